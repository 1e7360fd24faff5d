// GraphiQL's example operations stay valid: each one against the schema of a role it is meant
// for (the first role whose schema accepts it), so a schema change cannot break them silently.
import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { SCHEMA_KEYS } from '../../src/auth/principal';
import { fullSchema } from '../../src/graphql/schema';
import { roleSchema } from '../../src/permissions/role-schema';
import { exampleOperations } from '../../src/server/graphiql-examples';

describe('GraphiQL examples', () => {
  const schemas = SCHEMA_KEYS.map((key) => ({ key, schema: roleSchema(fullSchema(), key) }));
  it.each(exampleOperations.map((e) => [e.name, e.query] as const))('%s is valid for some role', (_name, query) => {
    const doc = parse(query);
    const valid = schemas.filter(({ schema }) => validate(schema, doc).length === 0).map((s) => s.key);
    expect(valid.length, `valid for none of ${SCHEMA_KEYS.join(', ')}`).toBeGreaterThan(0);
  });
});
