// Every list a non-admin caller can reach, every field its own schema offers, one level of
// relations deep: no raw SENSITIVE or un-anonymised value from the database appears anywhere
// in the answers.
import { beforeAll, describe, expect, it } from 'vitest';
import { createActors, type Actors } from '../setup/actors';
import { startTestServer, type TestServer } from '../setup/server';

let server: TestServer;
let actors: Actors;
let secrets: Set<string>;
beforeAll(async () => {
  server = await startTestServer();
  actors = await createActors(server.pool);
  const rows = await server.pool.query<{ v: string }>(`
    select name as v from customer union select national_id from customer union select phone from customer
    union select email from customer union select street_address from customer union select birth_date::text from customer
    union select comment from rating where comment is not null union select description from complaint where description is not null`);
  secrets = new Set(rows.rows.map((r) => r.v));
});

interface IntroType {
  name: string;
  kind: string;
  fields: { name: string; args: { name: string }[]; type: { kind: string; name: string | null; ofType: any } }[] | null;
}

function named(t: any): { kind: string; name: string } {
  return t.ofType ? named(t.ofType) : t;
}

async function schemaOf(key: string): Promise<Map<string, IntroType>> {
  const res = await server.gql(
    `{ __schema { types { name kind fields { name args { name } type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }`,
    undefined,
    key,
  );
  return new Map((res.body.data as any).__schema.types.map((t: IntroType) => [t.name, t]));
}

function selection(types: Map<string, IntroType>, typeName: string, depth: number): string {
  const t = types.get(typeName)!;
  const parts: string[] = [];
  for (const f of t.fields ?? []) {
    const n = named(f.type);
    if (n.kind === 'SCALAR' || n.kind === 'ENUM') parts.push(f.name);
    else if (depth > 0 && n.kind === 'OBJECT') {
      const first = f.args.some((a) => a.name === 'first') ? '(first: 5)' : '';
      const inner = selection(types, n.name, n.name.endsWith('Connection') || n.name.endsWith('Edge') || n.name === 'PageInfo' ? depth : depth - 1);
      if (inner) parts.push(`${f.name}${first} { ${inner} }`);
    }
  }
  return parts.join(' ');
}

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
  return out;
}

describe.each(['operator', 'analyst', 'dashboard', 'partnerPublic', 'partnerA', 'partnerB'] as const)('%s', (who) => {
  it('never receives a raw sensitive or identifying value, on any list it can reach', async () => {
    const key = actors[who];
    const types = await schemaOf(key);
    const query = types.get('Query')!;
    let scanned = 0;
    for (const root of query.fields ?? []) {
      const n = named(root.type);
      if (!n.name.endsWith('Connection')) continue;
      const q = `{ ${root.name}(first: 25) { ${selection(types, n.name, 2)} } }`;
      const res = await server.gql(q, undefined, key);
      expect(res.body.errors, `${who} ${root.name}`).toBeUndefined();
      for (const s of strings(res.body.data)) {
        scanned++;
        expect(secrets.has(s), `${who} ${root.name} returned "${s}"`).toBe(false);
      }
    }
    expect(scanned).toBeGreaterThan(100);
  });
});

describe('admin', () => {
  it('does receive them (the scan would notice a leak)', async () => {
    const res = await server.gql('{ customers(first: 25) { nodes { name nationalId phone email streetAddress birthDate } } }');
    expect(strings(res.body.data).filter((s) => secrets.has(s)).length).toBe(25 * 6);
  });
});

// Mutation payloads are another way to reach rows: every payload field the caller's schema
// offers, two levels of relations deep, after a real write, leaks nothing either.
describe('mutation payloads', () => {
  async function payloadSelection(key: string, mutation: string): Promise<string> {
    const types = await schemaOf(key);
    const field = types.get('Mutation')!.fields!.find((f) => f.name === mutation)!;
    return selection(types, named(field.type).name, 2);
  }

  it('setCustomerConsent (operator): the customer and what hangs off it, anonymised', async () => {
    const order = await server.pool.query<{ id: string }>('select id from service_order where customer_id = $1 limit 1', [actors.sharedCustomerId]);
    const found = await server.gql(`{ serviceOrder(id: "${order.rows[0]!.id}") { customer { id } } }`, undefined, actors.operator);
    const pseudonym = (found.body.data as any).serviceOrder.customer.id as string;
    const q = `mutation { setCustomerConsent(input: { customerId: "${pseudonym}", consentDataSharing: true }) { ${await payloadSelection(actors.operator, 'setCustomerConsent')} } }`;
    const res = await server.gql(q, undefined, actors.operator);
    expect(res.body.errors).toBeUndefined();
    const values = strings(res.body.data);
    expect(values.length).toBeGreaterThan(20);
    for (const s of values) expect(secrets.has(s), `operator payload returned "${s}"`).toBe(false);
  });

  it.each(['partnerPublic', 'partnerA'] as const)('upsertPriceListItem (%s): its partner and every relation under it', async (who) => {
    const q = `mutation { upsertPriceListItem(input: { serviceType: "LEAK_SCAN", unit: PER_USE, price: "1.00" }) { ${await payloadSelection(actors[who], 'upsertPriceListItem')} } }`;
    const res = await server.gql(q, undefined, actors[who]);
    expect(res.body.errors).toBeUndefined();
    const values = strings(res.body.data);
    expect(values.length).toBeGreaterThan(20);
    for (const s of values) expect(secrets.has(s), `${who} payload returned "${s}"`).toBe(false);
  });
});

// The change feed is another path to the same rows, including rows' old images in the log:
// after SENSITIVE fields change, every type's events (seeded history included) leak nothing.
describe('change feed', () => {
  beforeAll(async () => {
    await server.pool.query(`update customer set phone = phone || '0', street_address = street_address || ' (moved)' where id in (select customer_id from service_order where partner_id = $1 limit 20)`, [actors.partnerAId]);
    const rows = await server.pool.query<{ v: string }>('select phone as v from customer union select street_address from customer');
    for (const r of rows.rows) secrets.add(r.v);
  });

  it.each(['operator', 'analyst', 'partnerPublic', 'partnerA', 'partnerB'] as const)('%s: every type, from the oldest change kept', async (who) => {
    const key = actors[who];
    const types = await schemaOf(key);
    const union = await server.gql('{ __type(name: "ChangeNode") { possibleTypes { name } } }', undefined, key);
    const members = (union.body.data as any).__type.possibleTypes.map((t: { name: string }) => t.name) as string[];
    expect(members).toContain('ServiceOrder');
    let scanned = 0;
    for (const type of members) {
      const q = `{ changes(first: 50, types: [${type}]) { events { type id node { ... on ${type} { ${selection(types, type, 1)} } } } } }`;
      const res = await server.gql(q, undefined, key);
      expect(res.body.errors, `${who} ${type}`).toBeUndefined();
      for (const s of strings(res.body.data)) {
        scanned++;
        expect(secrets.has(s), `${who} changes(${type}) returned "${s}"`).toBe(false);
      }
    }
    expect(scanned).toBeGreaterThan(100);
  });
});
