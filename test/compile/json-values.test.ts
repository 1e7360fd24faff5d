// Column values as JSON text written by PostgreSQL (src/db/compile/json-values.ts): the text is
// exactly what JSON.stringify gives for the value the scalar serialises, also on the paths that
// skip to_json (enum names, integer ids), and nothing from a row reaches it unescaped.
import { GraphQLEnumType, GraphQLID } from 'graphql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonValue } from '../../src/db/compile/json-values';
import { raw, sql } from '../../src/db/sql';
import { useTestDatabase } from '../setup/database';

let pool: pg.Pool;
beforeAll(async () => {
  pool = new pg.Pool({ connectionString: await useTestDatabase(), max: 1 });
});
afterAll(async () => {
  await pool.end();
});

/** The JSON texts of `values` (SQL literals of `type`) through jsonValue. */
async function texts(json: (v: ReturnType<typeof raw>) => ReturnType<typeof sql>, values: string[], type: string): Promise<string[]> {
  const q = sql`select ${json(raw('x.v'))} as j from unnest(${values}::${raw(type)}[]) with ordinality as x(v, i) order by x.i`.toQuery();
  return (await pool.query<{ j: string }>(q.text, q.values)).rows.map((r) => r.j);
}

const Status = new GraphQLEnumType({ name: 'Status', values: { CREATED: { value: 'CREATED' }, IN_PROGRESS: { value: 'IN_PROGRESS' } } });

describe('JSON values', () => {
  it('quote an enum name as it is, and escape anything else the column holds', async () => {
    const values = ['CREATED', 'IN_PROGRESS', 'created', 'CREATED"', 'a\u0001b\n', null] as unknown as string[];
    expect(await texts((v) => jsonValue(Status, v), values, 'text')).toEqual(values.map((v) => (v === null ? 'null' : JSON.stringify(v))));
  });

  it('quote an integer id as its digits, and refuse a non-integer instead of quoting it raw', async () => {
    const ids = ['0', '73', '2147483647', '-5', null] as unknown as string[];
    expect(await texts((v) => jsonValue(GraphQLID, v, { integerId: true }), ids, 'int8')).toEqual(ids.map((v) => (v === null ? 'null' : JSON.stringify(v))));
    await expect(texts((v) => jsonValue(GraphQLID, v, { integerId: true }), ['7"'], 'text')).rejects.toThrow(/invalid input syntax for type bigint/);
    // Without the flag an ID is any text, escaped.
    expect(await texts((v) => jsonValue(GraphQLID, v), ['a"b'], 'text')).toEqual(['"a\\"b"']);
  });
});
