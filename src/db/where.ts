// Compiles a `where` input into SQL, field by field from the projection's declarations. The
// caller's policy decides which fields it may name; the schema each role gets already hides
// the others, and this check stands behind it.
import { GraphQLError } from 'graphql';
import { audienceOf } from '../anonymisation/present';
import type { ProjectionMeta } from '../graphql/projection';
import { parseMoney } from '../graphql/scalars';
import type { DeclaredField } from '../permissions/tier-field';
import { filterAllowed } from '../permissions/policy';
import type { Context } from '../server/context';
import { and, FALSE, or, raw, sql, TRUE, type Sql } from './sql';

export type WhereInput = Record<string, unknown>;

export function fieldExpr(f: DeclaredField, alias: string): Sql {
  if (!f.info.sql) throw new Error(`${f.name} has no SQL expression`);
  return raw(f.info.sql.replaceAll('{t}', alias));
}

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function convert(f: DeclaredField, kindValue: unknown, meta: ProjectionMeta, ctx: Context): unknown {
  const kind = f.info.filter;
  if (kind === 'money') return parseMoney(String(kindValue)).toString();
  if (kind === 'id') {
    const s = String(kindValue);
    if (f.info.transform === 'pseudonym' && ctx.principal.visibility.anonymise) {
      // An unknown pseudonym matches nothing, like an unknown id: no error tells them apart.
      return ctx.services.pseudonyms.decode(audienceOf(ctx.principal), f.info.pseudonymKind ?? meta.name.toLowerCase(), s) ?? null;
    }
    return isRowId(s) ? Number(s) : null;
  }
  if (typeof kindValue === 'string' && kindValue.includes('\u0000')) {
    throw new GraphQLError('Text values cannot contain the NUL character', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return kindValue;
}

/** Ids are PostgreSQL integers: anything else names no row. */
export function isRowId(s: string): boolean {
  return /^\d{1,10}$/.test(s) && Number(s) <= 2_147_483_647;
}

/** Integer filters compare as bigint, so a value out of a smallint column's range matches nothing instead of failing. */
function bind(f: DeclaredField, value: unknown): Sql {
  return f.info.filter === 'int' ? sql`${value}::bigint` : sql`${value}`;
}

function op(expr: Sql, name: string, value: unknown, f: DeclaredField, meta: ProjectionMeta, ctx: Context): Sql {
  const v = (x: unknown) => convert(f, x, meta, ctx);
  switch (name) {
    case 'eq': {
      const c = v(value);
      return c === null ? FALSE : sql`${expr} = ${bind(f, c)}`;
    }
    case 'ne': {
      const c = v(value);
      return c === null ? TRUE : sql`${expr} is distinct from ${bind(f, c)}`;
    }
    case 'in': {
      const list = (value as unknown[]).map(v).filter((c) => c !== null);
      return list.length === 0 ? FALSE : f.info.filter === 'int' ? sql`${expr} = any(${list}::bigint[])` : sql`${expr} = any(${list})`;
    }
    case 'lt':
      return sql`${expr} < ${bind(f, v(value))}`;
    case 'lte':
      return sql`${expr} <= ${bind(f, v(value))}`;
    case 'gt':
      return sql`${expr} > ${bind(f, v(value))}`;
    case 'gte':
      return sql`${expr} >= ${bind(f, v(value))}`;
    case 'contains':
      return sql`${expr} ilike ${`%${likeEscape(String(v(value)))}%`}`;
    case 'startsWith':
      return sql`${expr} like ${`${likeEscape(String(v(value)))}%`}`;
    case 'has':
      return sql`${v(value)} = any(${expr})`;
    case 'hasAny':
      return sql`${expr} && ${(value as unknown[]).map(v)}::text[]`;
    default:
      throw new GraphQLError(`Unknown filter operator "${name}"`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
}

export function compileWhere(meta: ProjectionMeta, where: WhereInput | null | undefined, alias: string, ctx: Context): Sql {
  if (!where) return TRUE;
  const parts: Sql[] = [];
  for (const [key, value] of Object.entries(where)) {
    if (value === null || value === undefined) continue;
    if (key === 'and') {
      parts.push(and((value as WhereInput[]).map((w) => compileWhere(meta, w, alias, ctx))));
    } else if (key === 'or') {
      parts.push(or((value as WhereInput[]).map((w) => compileWhere(meta, w, alias, ctx))));
    } else if (key === 'not') {
      parts.push(sql`not coalesce(${compileWhere(meta, value as WhereInput, alias, ctx)}, false)`);
    } else {
      const f = meta.fields.find((x) => x.name === key && x.info.filter !== undefined);
      if (!f || !filterAllowed(f, ctx.principal)) throw unknownField(meta.name, key);
      const expr = fieldExpr(f, alias);
      for (const [opName, opValue] of Object.entries(value as Record<string, unknown>)) {
        if (opValue === null || opValue === undefined) continue;
        parts.push(op(expr, opName, opValue, f, meta, ctx));
      }
    }
  }
  return and(parts);
}

export function unknownField(typeName: string, field: string): GraphQLError {
  return new GraphQLError(`"${field}" cannot be used to filter or sort ${typeName}`, {
    extensions: { code: 'FIELD_NOT_ALLOWED' },
  });
}
