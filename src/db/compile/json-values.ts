// A column value as JSON text, written in SQL, exactly as the GraphQL scalar would serialise
// the value the row parser hands it (src/graphql/scalars.ts, src/db/pool.ts). A type not
// listed here is not compiled: the operation runs through graphql-js instead.
import { getNullableType, isEnumType, isListType, isScalarType, type GraphQLEnumType, type GraphQLOutputType } from 'graphql';
import { raw, sql, type Sql } from '../sql';
import { NotCompilable } from './not-compilable';

/** JSON text of a nullable string-like value. */
const str = (v: Sql): Sql => sql`coalesce(to_json((${v})::text)::text, 'null')`;

/**
 * JSON text of a nullable value whose text can hold nothing to escape, quoted as it is. Only for
 * SQL the compiler writes itself (digits and signs): text from a row always goes through to_json,
 * which escapes what a marker (./markers.ts) or a quote would be made of. to_json works out its
 * argument's type on every call: for the values that cannot need it, it was a fifth of a pull's
 * statement.
 */
export const quoted = (v: Sql): Sql => sql`coalesce('"' || (${v}) || '"', 'null')`;

/** A GraphQL name ([_A-Za-z][_0-9A-Za-z]*, the spec's): nothing in it to escape. */
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

const SCALARS: Record<string, (v: Sql) => Sql> = {
  ID: str,
  String: str,
  Decimal: str,
  Int: (v) => sql`coalesce(((${v})::bigint)::text, 'null')`,
  Float: (v) => sql`coalesce(((${v})::float8)::text, 'null')`,
  Boolean: (v) => sql`(case when (${v}) then 'true' when not (${v}) then 'false' else 'null' end)`,
  // formatMinor: integer minor units -> "-12.05"
  Money: (v) =>
    sql`(case when (${v}) is null then 'null' else '"' || (case when (${v}) < 0 then '-' else '' end) || (abs((${v})::bigint) / 100)::text || '.' || lpad((abs((${v})::bigint) % 100)::text, 2, '0') || '"' end)`,
  // Dates stay "YYYY-MM-DD" strings from the row parser; the scalar keeps the first 10 characters.
  Date: (v) => sql`coalesce(to_json(left((${v})::text, 10))::text, 'null')`,
  // GraphQLJSON: the stored JSON as it is.
  JSON: (v) => sql`coalesce((${v})::jsonb::text, 'null')`,
  // Date#toISOString: UTC, milliseconds, "Z".
  DateTime: (v) => sql`coalesce('"' || to_char((${v}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"', 'null')`,
};

/** Enums whose internal values are their names pass through as text. */
function passThroughEnum(type: GraphQLEnumType): boolean {
  return type.getValues().every((v) => v.value === v.name);
}

/**
 * `integerId`: the field is a row id (`filter: 'id'`; ids are PostgreSQL integers, src/db/where.ts
 * isRowId), so its text is digits: read through bigint, which fails rather than pass anything else.
 */
export function jsonValue(type: GraphQLOutputType, v: Sql, opts: { integerId?: boolean } = {}): Sql {
  const t = getNullableType(type);
  if (isListType(t)) {
    const item = getNullableType(t.ofType);
    if ((isScalarType(item) && item.name === 'String') || (isEnumType(item) && passThroughEnum(item))) {
      return sql`coalesce(to_json(${v})::text, 'null')`;
    }
    throw new NotCompilable(`list of ${String(item)}`);
  }
  if (isEnumType(t)) {
    if (!passThroughEnum(t)) throw new NotCompilable(`enum ${t.name}`);
    const names = t.getValues().map((e) => e.name);
    if (!names.every((n) => GRAPHQL_NAME.test(n))) return str(v);
    // A value that is one of the enum's names is quoted as it is; anything else the column may
    // hold is escaped as before, so the text is the same either way.
    return sql`(case when (${v})::text in (${raw(names.map((n) => `'${n}'`).join(', '))}) then '"' || (${v})::text || '"' else ${str(v)} end)`;
  }
  if (isScalarType(t) && t.name === 'ID' && opts.integerId) return quoted(sql`((${v})::bigint)::text`);
  if (isScalarType(t)) {
    const f = SCALARS[t.name];
    if (f) return f(v);
  }
  throw new NotCompilable(`type ${String(t)}`);
}
