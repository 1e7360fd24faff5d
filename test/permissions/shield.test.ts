// The generated shield rules on their own, with no per-role schema in front of them: every
// rule allows exactly the callers its field's declaration allows, and an operation naming any
// field its caller may not read is refused with FORBIDDEN before execution.
import { describe, expect, it } from 'vitest';
import { getNamedType, isObjectType, parse } from 'graphql';
import { Pseudonymizer } from '../../src/anonymisation/pseudonym';
import { samplePrincipal, SCHEMA_KEYS, type SchemaKey } from '../../src/auth/principal';
import { loadConfig } from '../../src/config';
import { CursorCodec } from '../../src/db/cursor';
import type { Executor } from '../../src/db/executor';
import { rootAccessOf } from '../../src/graphql/root-field';
import { fullSchema } from '../../src/graphql/schema';
import { isCustomerRows } from '../../src/permissions/role-schema';
import { checkOperation, shieldRules } from '../../src/permissions/shield';
import { tierInfoOf } from '../../src/permissions/tier-field';
import { tierVisible } from '../../src/permissions/tier';
import type { Context } from '../../src/server/context';
import { TEST_SECRET } from '../setup/constants';

const schema = fullSchema();
const rules = shieldRules(schema);

function context(key: SchemaKey): Context {
  return {
    principal: { ...samplePrincipal(key), partnerId: key.startsWith('PARTNER') ? 1 : undefined },
    exec: {} as Executor,
    services: { config: loadConfig({ NODE_ENV: 'test' }), cursors: new CursorCodec(TEST_SECRET), pseudonyms: new Pseudonymizer(TEST_SECRET), secretKey: TEST_SECRET },
    memo: new Map(),
    requestId: 'test',
    rows: 0,
  };
}

function expected(key: SchemaKey, typeName: string, fieldName: string): boolean {
  const p = samplePrincipal(key);
  const type = schema.getType(typeName);
  if (!isObjectType(type)) throw new Error(typeName);
  const field = type.getFields()[fieldName];
  const customerRows = isCustomerRows(getNamedType(field.type), schema);
  if (type === schema.getQueryType() || type === schema.getMutationType()) return rootAccessOf(field.extensions)!.roles.includes(p.role) && (p.visibility.customerRows || !customerRows);
  return tierVisible(tierInfoOf(field.extensions)!.tier, p.visibility) && (p.visibility.customerRows || !customerRows);
}

const fields = Object.values(schema.getTypeMap())
  .filter((t) => isObjectType(t) && !t.name.startsWith('__'))
  .flatMap((t) => (isObjectType(t) ? Object.keys(t.getFields()).map((f) => [t.name, f] as const) : []));

describe('shield rules', () => {
  it('exist for every field and root field, generated from the declarations', () => {
    for (const [t, f] of fields) expect(rules[t]?.[f], `${t}.${f}`).toBeDefined();
  });

  it.each(SCHEMA_KEYS)('allow %s exactly what each declaration allows', async (key) => {
    for (const [t, f] of fields) {
      const ctx = context(key) as Context & { _shield: { cache: Record<string, never> } };
      ctx._shield = { cache: {} };
      const result = await rules[t][f].resolve({}, {}, ctx, undefined as never, { debug: false } as never);
      const allowed = result === true;
      expect(allowed, `${key} ${t}.${f}`).toBe(expected(key, t, f));
      if (!allowed) expect((result as { extensions?: { code?: string } }).extensions?.code).toBe('FORBIDDEN');
    }
  });

  it('refuse a whole operation that names a forbidden field, even inside fragments', async () => {
    const doc = parse('{ customers(first: 1) { nodes { ...F } } } fragment F on Customer { ageBand ... on Customer { nationalId } }');
    expect((await checkOperation(rules, schema, doc, context('PARTNER_ANONYMIZED')))?.extensions?.code).toBe('FORBIDDEN');
    expect(await checkOperation(rules, schema, doc, context('ADMIN'))).toBeUndefined();
    const own = parse('{ customers(first: 1) { nodes { ageBand district } } }');
    expect(await checkOperation(rules, schema, own, context('PARTNER_ANONYMIZED'))).toBeUndefined();
    expect((await checkOperation(rules, schema, own, context('PARTNER_PUBLIC')))?.extensions?.code).toBe('FORBIDDEN');
    expect((await checkOperation(rules, schema, own, context('DASHBOARD')))?.extensions?.code).toBe('FORBIDDEN');
  });

  it('deny a field that has no rule (the fallback)', async () => {
    const partial = { ...rules, Customer: { ...rules.Customer } };
    delete (partial.Customer as Record<string, unknown>).ageBand;
    const doc = parse('{ customers(first: 1) { nodes { ageBand } } }');
    expect((await checkOperation(partial, schema, doc, context('ADMIN')))?.extensions?.code).toBe('FORBIDDEN');
  });
});
