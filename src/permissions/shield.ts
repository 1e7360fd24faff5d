// graphql-shield rules generated from the declarations: one rule per field tier and one per
// root-field access list, never written by hand. The per-role schema already hides what a
// caller may not read; these rules stand behind it, so a mistake in either is caught by the
// other. Denials are FORBIDDEN errors; anything without a rule is denied.
import type { ApolloServerPlugin } from '@apollo/server';
import { getNamedType, GraphQLError, isObjectType, TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema } from 'graphql';
import { rule } from 'graphql-shield';
import type { Context } from '../server/context';
import { memoByNode } from '../graphql/document-memo';
import { rootAccessOf } from '../graphql/root-field';
import { readable } from './policy';
import { tierInfoOf, type TierInfo } from './tier-field';
import { isCustomerRows } from './role-schema';
import { Role } from './tier';
import { refusedWrites } from './write-guard';

export function forbidden(): GraphQLError {
  return new GraphQLError('Not allowed for this key', { extensions: { code: 'FORBIDDEN' } });
}

// Rules depend on the caller only, never on the row, so a per-request ('contextual') cache
// is correct and each rule runs once per request.
const tierRules = new Map<string, ReturnType<ReturnType<typeof rule>>>();
function tierRule(info: TierInfo, customerRows: boolean) {
  const key = `${info.tier}${customerRows ? '-customer-rows' : ''}`;
  let r = tierRules.get(key);
  if (!r) {
    r = rule(`tier-${key}`, { cache: 'contextual' })((_parent, _args, ctx: Context) => {
      const v = ctx.principal.visibility;
      return (readable(info, v) && (v.customerRows || !customerRows)) || forbidden();
    });
    tierRules.set(key, r);
  }
  return r;
}

function accessRule(field: string, roles: Role[]) {
  return rule(`access-${field}`, { cache: 'contextual' })((_parent, _args, ctx: Context) => roles.includes(ctx.principal.role) || forbidden());
}

export type RuleTree = Record<string, Record<string, ReturnType<ReturnType<typeof rule>>>>;

export function shieldRules(schema: GraphQLSchema): RuleTree {
  const tree: RuleTree = {};
  const roots = new Set([schema.getQueryType(), schema.getMutationType()]);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const rules: RuleTree[string] = {};
    for (const field of Object.values(type.getFields())) {
      const customerRows = isCustomerRows(getNamedType(field.type), schema);
      if (roots.has(type)) {
        const access = rootAccessOf(field.extensions);
        if (access) rules[field.name] = accessRule(field.name, customerRows ? access.roles.filter((r) => r !== Role.DASHBOARD) : access.roles);
      } else {
        const info = tierInfoOf(field.extensions);
        if (info) rules[field.name] = tierRule(info, customerRows);
      }
    }
    tree[type.name] = rules;
  }
  return tree;
}

/**
 * Evaluates the rules once per operation, before execution: every field the operation names
 * (through fragments and inline fragments too) must pass its rule, or the request is refused
 * with FORBIDDEN. Rules depend on the caller only, so deciding per field and not per value is
 * exact, and execution keeps plain synchronous resolvers (no per-value async wrapper).
 */
export async function checkOperation(rules: RuleTree, schema: GraphQLSchema, document: DocumentNode, ctx: Context): Promise<GraphQLError | undefined> {
  // graphql-shield keeps its per-request rule cache on the context.
  const shieldCtx = ctx as Context & { _shield: { cache: Record<string, never> } };
  shieldCtx._shield ??= { cache: {} };
  for (const [typeName, fieldName] of fieldsNamed(schema, document)) {
    const r = rules[typeName]?.[fieldName];
    // Anything without a generated rule is denied (the fallback rule).
    const result = r ? await r.resolve({}, {}, shieldCtx, undefined as never, { debug: false } as never) : false;
    if (result !== true) return result instanceof GraphQLError ? result : forbidden();
  }
  return undefined;
}

/** Every field the document names, as [type, field], once per document. */
const fieldsNamed = memoByNode((schema: GraphQLSchema, document: DocumentNode): [string, string][] => {
  const wanted = new Map<string, [string, string]>();
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        // Introspection (__schema, __type and the __Type/__Field types below them) shows only
        // the caller's own cut of the schema and needs no rule.
        if (!parent || node.name.value.startsWith('__') || parent.name.startsWith('__')) return;
        wanted.set(`${parent.name}.${node.name.value}`, [parent.name, node.name.value]);
      },
    }),
  );
  return [...wanted.values()];
});

export function shieldPlugin(schema: GraphQLSchema): ApolloServerPlugin<Context> {
  const rules = shieldRules(schema);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema: roleSchema, document, operation, request, contextValue }) {
          const denied = await checkOperation(rules, roleSchema, document, contextValue);
          if (denied) throw new GraphQLError(denied.message, { extensions: { ...denied.extensions, code: 'FORBIDDEN', http: { status: 403 } } });
          const refused = !operation ? [] : refusedWrites(schema, roleSchema, document, operation, request.variables ?? {}, contextValue.principal);
          if (refused.length > 0) {
            throw new GraphQLError(`This key may not set ${refused.join(', ')}`, { extensions: { code: 'FORBIDDEN', fields: refused, http: { status: 403 } } });
          }
        },
      };
    },
  };
}
