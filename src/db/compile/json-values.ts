// A column value as JSON text, written in SQL, exactly as the GraphQL scalar would serialise
// the value the row parser hands it (src/graphql/scalars.ts, src/db/pool.ts). A type not
// listed here is not compiled: the operation runs through graphql-js instead.
import { getNullableType, isEnumType, isListType, isScalarType, type GraphQLEnumType, type GraphQLOutputType } from 'graphql';
import { sql, type Sql } from '../sql';
import { NotCompilable } from './not-compilable';

/** JSON text of a nullable string-like value. */
const str = (v: Sql): Sql => sql`coalesce(to_json((${v})::text)::text, 'null')`;

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

export function jsonValue(type: GraphQLOutputType, v: Sql): Sql {
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
    return str(v);
  }
  if (isScalarType(t)) {
    const f = SCALARS[t.name];
    if (f) return f(v);
  }
  throw new NotCompilable(`type ${String(t)}`);
}
