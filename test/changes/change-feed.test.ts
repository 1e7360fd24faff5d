// The change feed as partners and staff read it: captured in PostgreSQL whatever writes, shown
// through each caller's policy, revocations included, resumable, with a retention horizon.
import { beforeAll, describe, expect, it } from 'vitest';
import { createActors, type Actors } from '../setup/actors';
import { startTestServer, type TestServer } from '../setup/server';

let server: TestServer;
let actors: Actors;
beforeAll(async () => {
  server = await startTestServer();
  actors = await createActors(server.pool);
});

const FEED = `query($after: String, $first: Int, $types: [ChangeType!]) {
  changes(after: $after, first: $first, types: $types) {
    endCursor hasNextPage
    events { cursor type op id resync node { __typename ... on ServiceOrder { id status responseMinutes } ... on Customer { customerId: id ageBand consentDataSharing } ... on Partner { id name } } }
  } }`;

async function cursorOf(key: string): Promise<string> {
  const res = await server.gql('{ changesCursor }', undefined, key);
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.changesCursor as string;
}

const PUBLIC_FEED = `query($after: String, $first: Int, $types: [ChangeType!]) {
  changes(after: $after, first: $first, types: $types) { endCursor hasNextPage events { cursor type op id resync } } }`;

async function drain(key: string, after: string, types?: string[], first = 100, query = FEED) {
  const events: any[] = [];
  let cursor = after;
  for (let i = 0; i < 200; i++) {
    const res = await server.gql(query, { after: cursor, first, types }, key);
    expect(res.body.errors).toBeUndefined();
    const page = res.body.data!.changes;
    events.push(...page.events);
    cursor = page.endCursor;
    if (!page.hasNextPage) return { events, cursor };
  }
  throw new Error('the feed did not end');
}

describe('changes', () => {
  it('shows a partner its own order changes, not another partner’s, as its schema shows them', async () => {
    const a = await cursorOf(actors.partnerA);
    const admin = await cursorOf(actors.admin);
    const mine = (await server.pool.query(`select o.id from service_order o join customer c on c.id = o.customer_id and c.consent_data_sharing where o.partner_id = $1 order by o.id limit 1`, [actors.partnerAId])).rows[0].id;
    const theirs = (await server.pool.query(`select id from service_order where partner_id = $1 order by id limit 1`, [actors.partnerBId])).rows[0].id;
    await server.pool.query(`update service_order set response_minutes = coalesce(response_minutes, 0) + 1 where id = any($1)`, [[mine, theirs]]);
    const { events } = await drain(actors.partnerA, a);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'ServiceOrder', op: 'UPSERT', id: String(mine), resync: false, node: { __typename: 'ServiceOrder', id: String(mine) } });
    const all = await drain(actors.admin, admin);
    expect(all.events.map((e) => Number(e.id)).sort()).toEqual([mine, theirs].sort((x, y) => x - y));
  });

  it('takes a customer and its activity away from every partner that saw it when consent is withdrawn, and gives them back', async () => {
    const c = actors.sharedCustomerId;
    const [a, b] = [await cursorOf(actors.partnerA), await cursorOf(actors.partnerB)];
    const aOrders = (await server.pool.query('select id from service_order where customer_id = $1 and partner_id = $2 order by id', [c, actors.partnerAId])).rows.map((r) => String(r.id));
    const aRatings = (await server.pool.query('select id from rating where customer_id = $1 and partner_id = $2 order by id', [c, actors.partnerAId])).rows.map((r) => String(r.id));
    const seenByA = await server.gql(`{ serviceOrder(id: "${aOrders[0]}") { customer { id } } }`, undefined, actors.partnerA);
    const pseudonymA = seenByA.body.data!.serviceOrder.customer.id as string;

    await server.pool.query('update customer set consent_data_sharing = false where id = $1', [c]);
    const gone = await drain(actors.partnerA, a);
    expect(gone.events.every((e) => e.op === 'DELETE' && e.node === null && !e.resync)).toBe(true);
    expect(gone.events.filter((e) => e.type === 'Customer').map((e) => e.id)).toEqual([pseudonymA]);
    expect(gone.events.filter((e) => e.type === 'ServiceOrder').map((e) => e.id).sort()).toEqual(aOrders.sort());
    expect(gone.events.filter((e) => e.type === 'Rating').map((e) => e.id).sort()).toEqual(aRatings.sort());
    const goneB = await drain(actors.partnerB, b);
    expect(goneB.events.some((e) => e.type === 'Customer' && e.op === 'DELETE')).toBe(true);
    expect(goneB.events.filter((e) => e.type === 'Customer')[0].id).not.toBe(pseudonymA);

    await server.pool.query('update customer set consent_data_sharing = true where id = $1', [c]);
    const back = await drain(actors.partnerA, gone.cursor);
    expect(back.events.every((e) => e.op === 'UPSERT')).toBe(true);
    expect(back.events.find((e) => e.type === 'Customer')).toMatchObject({ id: pseudonymA, node: { customerId: pseudonymA, consentDataSharing: true } });
    expect(back.events.filter((e) => e.type === 'ServiceOrder').map((e) => e.id).sort()).toEqual(aOrders.sort());
  });

  it('gives no event to a caller whose visible fields did not change', async () => {
    const c = actors.sharedCustomerId;
    const [a, analyst, admin] = [await cursorOf(actors.partnerA), await cursorOf(actors.analyst), await cursorOf(actors.admin)];
    // A SENSITIVE field, and a birth date moved within its 10-year band.
    await server.pool.query(`update customer set phone = '+86 138 0000 0000', birth_date = case when extract(day from birth_date) = 1 then birth_date + 1 else birth_date - 1 end where id = $1`, [c]);
    expect((await drain(actors.partnerA, a)).events).toEqual([]);
    expect((await drain(actors.analyst, analyst)).events).toEqual([]);
    const forAdmin = await drain(actors.admin, admin);
    expect(forAdmin.events).toMatchObject([{ type: 'Customer', op: 'UPSERT', id: String(c) }]);
  });

  it('resumes from any event’s cursor without losing one, also inside one change that yields several events', async () => {
    const c = actors.sharedCustomerId;
    const a = await cursorOf(actors.partnerA);
    await server.pool.query('update customer set consent_data_sharing = false where id = $1', [c]);
    await server.pool.query('update customer set consent_data_sharing = true where id = $1', [c]);
    const whole = await drain(actors.partnerA, a);
    const oneByOne = await drain(actors.partnerA, a, undefined, 1);
    expect(whole.events.length).toBeGreaterThan(2);
    expect(oneByOne.events.map((e) => [e.type, e.op, e.id])).toEqual(whole.events.map((e) => [e.type, e.op, e.id]));
    // From the middle: what follows is exactly the rest.
    const mid = Math.floor(whole.events.length / 2);
    const rest = await drain(actors.partnerA, whole.events[mid - 1].cursor);
    expect(rest.events.map((e) => [e.type, e.op, e.id])).toEqual(whole.events.slice(mid).map((e) => [e.type, e.op, e.id]));
  });

  it('captures writes from any path, seeds included, and a page costs a bounded number of statements', async () => {
    const seeded = await server.pool.query(`select count(*)::int as n from change_log where table_name = 'service_order' and op = 'I'`);
    const orders = await server.pool.query('select count(*)::int as n from service_order');
    expect(seeded.rows[0].n).toBeGreaterThanOrEqual(orders.rows[0].n);
    const small = await server.gql(FEED, { first: 5, types: ['ServiceOrder'] });
    const large = await server.gql(FEED, { first: 100, types: ['ServiceOrder'] });
    expect(small.body.errors).toBeUndefined();
    expect(large.body.data!.changes.events).toHaveLength(100);
    expect(large.statements).toBe(small.statements);
    // Every type in one page: one statement per type at most, plus the log.
    const mixed = await server.gql(FEED, { first: 100 });
    expect(mixed.statements).toBeLessThanOrEqual(2 * 15 + 4);
  });

  it('refuses another caller’s cursor, and a cursor older than retention with CURSOR_EXPIRED', async () => {
    const a = await cursorOf(actors.partnerA);
    const stolen = await server.gql(FEED, { after: a }, actors.partnerB);
    expect(stolen.body.errors?.[0]?.extensions?.code).toBe('BAD_CURSOR');
    const old = await cursorOf(actors.admin);
    await server.pool.query(`update service_order set response_minutes = coalesce(response_minutes, 0) + 1 where id = (select min(id) from service_order)`);
    await server.pool.query(`update change_log set at = now() - interval '1000 hours'`);
    const { pruneChangeLog } = await import('../../src/changes/retention');
    expect(await pruneChangeLog(server.pool, 24)).toBeGreaterThan(0);
    const expired = await server.gql(FEED, { after: old });
    expect(expired.status).toBe(400);
    expect(expired.body.errors?.[0]).toMatchObject({ extensions: { code: 'CURSOR_EXPIRED' } });
    expect(expired.body.errors?.[0]?.message).toMatch(/snapshot/);
    // A snapshot's cursor continues.
    const snap = await server.gql('{ serviceOrders(first: 1) { changesCursor nodes { id } } }');
    const fresh = await server.gql(FEED, { after: snap.body.data!.serviceOrders.changesCursor });
    expect(fresh.body.errors).toBeUndefined();
  });

  it('re-states a partner’s copy when its agreement is downgraded: every customer it held is deleted', async () => {
    const a = await cursorOf(actors.partnerA);
    const held = await server.gql('{ customers(first: 100) { totalCount nodes { id } } }', undefined, actors.partnerA);
    const ids = held.body.data!.customers.nodes.map((n: { id: string }) => n.id);
    expect(ids.length).toBeGreaterThan(0);
    await server.pool.query(`update agreement set data_tier = 'PUBLIC' where partner_id = $1`, [actors.partnerAId]);
    try {
      const { events } = await drain(actors.partnerA, a, undefined, 7, PUBLIC_FEED);
      const deleted = events.filter((e) => e.type === 'Customer');
      expect(deleted.every((e) => e.op === 'DELETE' && e.resync)).toBe(true);
      expect(deleted.map((e) => e.id).sort()).toEqual(expect.arrayContaining(ids));
      expect(deleted.length).toBeGreaterThanOrEqual(held.body.data!.customers.totalCount);
      // Ratings lose their ANONYMIZED comment field: re-stated in the PUBLIC shape.
      const ratings = events.filter((e) => e.type === 'Rating');
      expect(ratings.every((e) => e.resync)).toBe(true);
      expect(ratings.some((e) => e.op === 'UPSERT')).toBe(true);
      expect(events.some((e) => e.type === 'ServiceOrder')).toBe(false);
    } finally {
      await server.pool.query(`update agreement set data_tier = 'ANONYMIZED' where partner_id = $1`, [actors.partnerAId]);
    }
  });
});
