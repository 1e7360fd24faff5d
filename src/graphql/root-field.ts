// Every root field states who may call it, next to its resolver (Redwood's habit). The
// per-role schemas and the shield rules read it; a root field without it fails a test.
import { Extensions } from 'type-graphql';
import { Role } from '../permissions/tier';

export interface RootAccess {
  roles: Role[];
}

export const EVERY_ROLE: Role[] = [Role.ADMIN, Role.OPERATOR, Role.ANALYST, Role.DASHBOARD, Role.PARTNER];
export const INTERNAL_ROLES: Role[] = [Role.ADMIN, Role.OPERATOR, Role.ANALYST, Role.DASHBOARD];
export const ROW_LEVEL_ROLES: Role[] = [Role.ADMIN, Role.OPERATOR, Role.ANALYST, Role.PARTNER];

export function Access(...roles: Role[]): MethodDecorator {
  const access: RootAccess = { roles };
  return Extensions({ ecographRoot: access }) as MethodDecorator;
}

export function rootAccessOf(extensions: Record<string, unknown> | null | undefined): RootAccess | undefined {
  return extensions?.ecographRoot as RootAccess | undefined;
}

/**
 * Marks a root field whose resolver is exactly `list(cls, args, ctx, info)`: a page of the
 * projection under the caller's row scope. The compiled path (src/db/compile) may then answer
 * it from the declarations in one SQL statement; the resolver stays the reference behaviour.
 */
export function PlainList(cls: () => Function): MethodDecorator {
  return Extensions({ ecographList: { projection: cls } }) as MethodDecorator;
}

export function plainListOf(extensions: Record<string, unknown> | null | undefined): Function | undefined {
  return (extensions?.ecographList as { projection: () => Function } | undefined)?.projection();
}

/**
 * Marks a root field whose resolver is exactly `lookup(cls, idArgument(cls, id, ctx), ctx, info)`:
 * one row by its id (or the pseudonym the caller was given) under the caller's row scope. `keys`:
 * unique fields the lookup also takes as arguments, used (in order) when `id` is not given, each
 * answered as the list filtered by `{ <key>: { eq: value } }` (first: 1) would answer it.
 */
export function PlainLookup(cls: () => Function, keys: string[] = []): MethodDecorator {
  return Extensions({ ecographLookup: { projection: cls, keys } }) as MethodDecorator;
}

export function plainLookupOf(extensions: Record<string, unknown> | null | undefined): Function | undefined {
  return (extensions?.ecographLookup as { projection: () => Function } | undefined)?.projection();
}

/** The unique fields a plain lookup takes besides `id`. */
export function plainLookupKeysOf(extensions: Record<string, unknown> | null | undefined): string[] {
  return (extensions?.ecographLookup as { keys?: string[] } | undefined)?.keys ?? [];
}
