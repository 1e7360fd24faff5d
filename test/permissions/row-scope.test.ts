// A partner sees the customers and orders it served (consenting customers only), its own
// terms and money, and the public catalogue; everything else is absent, not an error.
import { beforeAll, describe, expect, it } from 'vitest';
import { createActors, type Actors } from '../setup/actors';
import { startTestServer, type TestServer } from '../setup/server';

let server: TestServer;
let actors: Actors;
beforeAll(async () => {
  server = await startTestServer();
  actors = await createActors(server.pool);
});

const count = async (sql: string, values: unknown[]) => (await server.pool.query(sql, values)).rows[0].n as number;

async function data(query: string, key: string, variables?: Record<string, unknown>) {
  const res = await server.gql(query, variables, key);
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return res.body.data as any;
}

describe('row scopes for partners', () => {
  it('count only the consenting customers and their orders the partner served', async () => {
    const pid = actors.partnerAId;
    const d = await data('{ serviceOrders { totalCount } customers { totalCount } ratings { totalCount } complaints { totalCount } }', actors.partnerA);
    const consentOrders = 'from service_order o join customer c on c.id = o.customer_id where o.partner_id = $1 and c.consent_data_sharing';
    expect(d.serviceOrders.totalCount).toBe(await count(`select count(*)::int n ${consentOrders}`, [pid]));
    expect(d.customers.totalCount).toBe(await count(`select count(distinct o.customer_id)::int n ${consentOrders}`, [pid]));
    expect(d.ratings.totalCount).toBe(await count('select count(*)::int n from rating r join customer c on c.id = r.customer_id where r.partner_id = $1 and c.consent_data_sharing', [pid]));
    expect(d.complaints.totalCount).toBe(await count('select count(*)::int n from complaint r join customer c on c.id = r.customer_id where r.partner_id = $1 and c.consent_data_sharing', [pid]));
    // The consent rule actually removes something in the seeded data.
    expect(d.serviceOrders.totalCount).toBeLessThan(await count('select count(*)::int n from service_order where partner_id = $1', [pid]));
  });

  it('hide other partners’ orders in nested lists and lookups by id', async () => {
    const other = actors.partnerBId;
    const d = await data(`query($id: ID) { partner(id: $id) { slug orders(first: 5) { totalCount nodes { id } } settlements { totalCount } agreements { totalCount } tierHistory { totalCount } } }`, actors.partnerA, { id: String(other) });
    expect(d.partner.slug).toEqual(expect.any(String)); // the public profile stays visible
    expect(d.partner.orders).toEqual({ totalCount: 0, nodes: [] });
    expect(d.partner.settlements.totalCount).toBe(0);
    expect(d.partner.agreements.totalCount).toBe(0);
    expect(d.partner.tierHistory.totalCount).toBe(0);
    const foreignOrder = (await server.pool.query('select id from service_order where partner_id = $1 limit 1', [other])).rows[0].id;
    expect((await data(`{ serviceOrder(id: "${foreignOrder}") { id } }`, actors.partnerA)).serviceOrder).toBeNull();
  });

  it('show its own agreements, settlements and tier history', async () => {
    const pid = actors.partnerAId;
    const d = await data('{ agreements { totalCount } settlements { totalCount } partners(where: { id: { eq: "' + pid + '" } }) { nodes { tierHistory { totalCount } } } }', actors.partnerA);
    expect(d.agreements.totalCount).toBe(await count('select count(*)::int n from agreement where partner_id = $1', [pid]));
    expect(d.settlements.totalCount).toBe(await count('select count(*)::int n from settlement where partner_id = $1', [pid]));
    expect(d.partners.nodes[0].tierHistory.totalCount).toBe(await count('select count(*)::int n from partner_tier_history where partner_id = $1', [pid]));
  });

  it('leave the public catalogue whole', async () => {
    const d = await data('{ partners { totalCount } servicePoints { totalCount } priceListItems { totalCount } collaborationCases { totalCount } }', actors.partnerPublic);
    expect(d.partners.totalCount).toBe(await count('select count(*)::int n from partner', []));
    expect(d.servicePoints.totalCount).toBe(await count('select count(*)::int n from service_point', []));
    expect(d.priceListItems.totalCount).toBe(await count('select count(*)::int n from price_list_item', []));
    expect(d.collaborationCases.totalCount).toBe(await count('select count(*)::int n from collaboration_case', []));
  });

  it('apply to a PUBLIC-only partner too, which reaches no customer at all', async () => {
    const pid = actors.publicPartnerId;
    const d = await data('{ serviceOrders(first: 3) { totalCount nodes { id amount serviceType } } }', actors.partnerPublic);
    expect(d.serviceOrders.totalCount).toBe(
      await count('select count(*)::int n from service_order o join customer c on c.id = o.customer_id where o.partner_id = $1 and c.consent_data_sharing', [pid]),
    );
    const res = await server.gql('{ serviceOrders(first: 1) { nodes { customer { id } } } }', undefined, actors.partnerPublic);
    expect(res.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('pseudonyms through the API', () => {
  it('differ between two partners for one customer, stay stable, and work as arguments', async () => {
    const q = `query($ids: [Int!]) { serviceOrders(first: 100, where: { id: { in: $ids } }) { nodes { customer { id } } } }`;
    const orderOf = async (pid: number) =>
      String((await server.pool.query('select id from service_order where partner_id = $1 and customer_id = $2 limit 1', [pid, actors.sharedCustomerId])).rows[0].id);
    const viaA = await data(`{ serviceOrder(id: "${await orderOf(actors.partnerAId)}") { customer { id ageBand } } }`, actors.partnerA);
    const viaA2 = await data(`{ serviceOrder(id: "${await orderOf(actors.partnerAId)}") { customer { id } } }`, actors.partnerA);
    const viaB = await data(`{ serviceOrder(id: "${await orderOf(actors.partnerBId)}") { customer { id } } }`, actors.partnerB);
    const a = viaA.serviceOrder.customer.id;
    expect(a).toMatch(/^cus_/);
    expect(a).toBe(viaA2.serviceOrder.customer.id);
    expect(viaB.serviceOrder.customer.id).toMatch(/^cus_/);
    expect(viaB.serviceOrder.customer.id).not.toBe(a);
    expect(a).not.toContain(String(actors.sharedCustomerId));
    // Look the customer up by the pseudonym it was given; the other partner's pseudonym finds nothing.
    expect((await data(`{ customer(id: "${a}") { id ageBand } }`, actors.partnerA)).customer).toEqual({ id: a, ageBand: viaA.serviceOrder.customer.ageBand });
    expect((await data(`{ customer(id: "${a}") { id } }`, actors.partnerB)).customer).toBeNull();
    expect((await data(`{ customer(id: "${actors.sharedCustomerId}") { id } }`, actors.partnerA)).customer).toBeNull();
    const filtered = await data(`{ customers(where: { id: { eq: "${a}" } }) { totalCount } }`, actors.partnerA);
    expect(filtered.customers.totalCount).toBe(1);
    void q;
  });

  it('give analysts their own stable pseudonyms and transformed values', async () => {
    const id = actors.sharedCustomerId;
    const raw = (await server.pool.query('select birth_date::text b, street_address, district from customer where id = $1', [id])).rows[0];
    const q = `{ customers(first: 100, where: { district: { eq: ${JSON.stringify(raw.district)} } }) { nodes { id birthDate ageBand streetAddress district } } }`;
    const d1 = await data(q, actors.analyst);
    const d2 = await data(q, actors.analyst);
    expect(d1).toEqual(d2);
    for (const n of d1.customers.nodes) {
      expect(n.id).toMatch(/^cus_/);
      expect(n.birthDate).toMatch(/^\d+-\d+$/);
      expect(n.birthDate).toBe(n.ageBand);
      expect(n.streetAddress).toBe(n.district);
    }
    expect(JSON.stringify(d1)).not.toContain(raw.birth_date);
    expect(JSON.stringify(d1)).not.toContain(raw.street_address);
  });
});

describe('keys of partners that may no longer pull', () => {
  it('are refused when the partner exited or its agreement expired', async () => {
    const pid = actors.publicPartnerId;
    const q = '{ partners(first: 1) { totalCount } }';
    expect((await server.gql(q, undefined, actors.partnerPublic)).status).toBe(200);
    await server.pool.query("update agreement set valid_to = current_date - 1 where partner_id = $1", [pid]);
    const expired = await server.gql(q, undefined, actors.partnerPublic);
    expect(expired.status).toBe(401);
    expect(expired.body.errors?.[0].extensions?.code).toBe('AGREEMENT_EXPIRED');
    await server.pool.query('update agreement set valid_to = null where partner_id = $1', [pid]);
    await server.pool.query("update partner set status = 'EXITED' where id = $1", [pid]);
    const exited = await server.gql(q, undefined, actors.partnerPublic);
    expect(exited.status).toBe(401);
    expect(exited.body.errors?.[0].extensions?.code).toBe('PARTNER_EXITED');
    await server.pool.query("update partner set status = 'ACTIVE' where id = $1", [pid]);
    expect((await server.gql(q, undefined, actors.partnerPublic)).status).toBe(200);
  });

  it('follow a downgraded agreement on the next request', async () => {
    const q = '{ customers(first: 1) { totalCount } }';
    expect((await server.gql(q, undefined, actors.partnerB)).body.errors).toBeUndefined();
    await server.pool.query("update agreement set data_tier = 'PUBLIC' where partner_id = $1", [actors.partnerBId]);
    const res = await server.gql(q, undefined, actors.partnerB);
    expect(res.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    await server.pool.query("update agreement set data_tier = 'ANONYMIZED' where partner_id = $1", [actors.partnerBId]);
  });
});
