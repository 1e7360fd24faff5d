// The generated shield rules on their own, executed against the full schema (no per-role cut
// in front of them): every field a caller may not read is FORBIDDEN, and nothing else is.
import { beforeAll, describe, expect, it } from 'vitest';
import { getNamedType, graphql, isObjectType } from 'graphql';
import pg from 'pg';
import { Pseudonymizer } from '../../src/anonymisation/pseudonym';
import { samplePrincipal, type SchemaKey } from '../../src/auth/principal';
import { loadConfig } from '../../src/config';
import { CursorCodec } from '../../src/db/cursor';
import { Executor } from '../../src/db/executor';
import { fullSchema } from '../../src/graphql/schema';
import { isCustomerRows } from '../../src/permissions/role-schema';
import { shielded, shieldRules } from '../../src/permissions/shield';
import { tierInfoOf } from '../../src/permissions/tier-field';
import { tierVisible } from '../../src/permissions/tier';
import type { Context } from '../../src/server/context';
import { TEST_SECRET } from '../setup/constants';
import { useTestDatabase } from '../setup/database';

const schema = shielded(fullSchema());
let pool: pg.Pool;
let partnerId: number;
beforeAll(async () => {
  pool = new pg.Pool({ connectionString: await useTestDatabase(), max: 2 });
  partnerId = (await pool.query('select o.partner_id from service_order o join customer c on c.id = o.customer_id and c.consent_data_sharing limit 1')).rows[0].partner_id;
  return () => pool.end();
});

function context(key: SchemaKey): Context {
  const p = samplePrincipal(key);
  if (key.startsWith('PARTNER')) p.partnerId = partnerId;
  return {
    principal: p,
    exec: new Executor(pool),
    services: { config: loadConfig({ NODE_ENV: 'test' }), cursors: new CursorCodec(TEST_SECRET), pseudonyms: new Pseudonymizer(TEST_SECRET), secretKey: TEST_SECRET },
    memo: new Map(),
    requestId: 'test',
    rows: 0,
  };
}

describe('shield rules', () => {
  it('exist for every declared field and root field, generated, not hand-written', () => {
    const rules = shieldRules(fullSchema());
    for (const t of Object.values(fullSchema().getTypeMap())) {
      if (!isObjectType(t) || t.name.startsWith('__')) continue;
      for (const f of Object.values(t.getFields())) expect(rules[t.name]?.[f.name], `${t.name}.${f.name}`).toBeDefined();
    }
  });

  it.each(['ANALYST', 'DASHBOARD', 'PARTNER_PUBLIC', 'PARTNER_ANONYMIZED'] as SchemaKey[])('deny %s every field above its tier with FORBIDDEN', async (key) => {
    const v = samplePrincipal(key).visibility;
    const customer = fullSchema().getType('Customer');
    if (!isObjectType(customer)) throw new Error('no Customer');
    const fields = Object.values(customer.getFields()).filter((f) => !isObjectType(getNamedType(f.type)) && !getNamedType(f.type).name.endsWith('Connection'));
    const res = await graphql({
      schema,
      source: `{ customers(first: 2) { nodes { ${fields.map((f) => f.name).join(' ')} } } }`,
      contextValue: context(key),
    });
    const denied = new Set((res.errors ?? []).map((e) => `${e.extensions?.code}:${e.path?.at(-1) ?? e.path?.[0]}`));
    if (!v.customerRows) {
      expect([...denied]).toEqual(['FORBIDDEN:customers']);
      return;
    }
    const nodes = (res.data as any)?.customers?.nodes ?? [];
    expect(nodes.length).toBeGreaterThan(0);
    for (const f of fields) {
      const visible = tierVisible(tierInfoOf(f.extensions)!.tier, v);
      if (visible) expect(denied.has(`FORBIDDEN:${f.name}`), f.name).toBe(false);
      else {
        expect(denied.has(`FORBIDDEN:${f.name}`), f.name).toBe(true);
        for (const n of nodes) expect(n[f.name], f.name).toBeNull();
      }
    }
  });

  it('deny root fields to roles they do not name', async () => {
    const res = await graphql({ schema, source: '{ candidatePartners(first: 1) { totalCount } }', contextValue: context('PARTNER_ANONYMIZED') });
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const dash = await graphql({ schema, source: '{ serviceOrders(first: 1) { totalCount } }', contextValue: context('DASHBOARD') });
    expect(dash.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(isCustomerRows(fullSchema().getType('ServiceOrderConnection')!, fullSchema())).toBe(true);
  });

  it('let an admin read everything', async () => {
    const res = await graphql({ schema, source: '{ customers(first: 1) { nodes { name nationalId phone email birthDate } } }', contextValue: context('ADMIN') });
    expect(res.errors).toBeUndefined();
    expect((res.data as any).customers.nodes[0].nationalId).toEqual(expect.any(String));
  });
});
