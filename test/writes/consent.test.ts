// Consent withdrawn through the API takes effect on the very next request of every partner
// that saw the customer; the operator names the customer by the pseudonym its own key sees.
import { beforeAll, describe, expect, it } from 'vitest';
import { createActors, type Actors } from '../setup/actors';
import { startTestServer, type TestServer } from '../setup/server';

let server: TestServer;
let actors: Actors;
beforeAll(async () => {
  server = await startTestServer();
  actors = await createActors(server.pool);
});

describe('setCustomerConsent', () => {
  it('withdraws a customer from every partner at once, and gives it back', async () => {
    // The operator finds the customer through an order, under its own pseudonym.
    const opView = await server.gql(
      `{ serviceOrders(first: 1, where: { id: { eq: "${(await server.pool.query('select id from service_order where customer_id = $1 and partner_id = $2 limit 1', [actors.sharedCustomerId, actors.partnerAId])).rows[0].id}" } }) { nodes { customer { id version } } } }`,
      undefined,
      actors.operator,
    );
    const opCustomer = opView.body.data!.serviceOrders.nodes[0].customer;
    expect(opCustomer.id).not.toBe(String(actors.sharedCustomerId));
    const seen = async (key: string, partnerId: number) => {
      const order = (await server.pool.query('select id from service_order where customer_id = $1 and partner_id = $2 limit 1', [actors.sharedCustomerId, partnerId])).rows[0].id;
      const res = await server.gql(`{ serviceOrder(id: "${order}") { id customer { id } } customers(first: 1) { totalCount } }`, undefined, key);
      expect(res.body.errors).toBeUndefined();
      return { order: res.body.data!.serviceOrder, total: res.body.data!.customers.totalCount as number };
    };
    const beforeA = await seen(actors.partnerA, actors.partnerAId);
    const beforeB = await seen(actors.partnerB, actors.partnerBId);
    expect(beforeA.order.customer.id).not.toBe(beforeB.order.customer.id);

    const withdraw = await server.gql(
      `mutation($i: SetCustomerConsentInput!) { setCustomerConsent(input: $i) { customer { id consentDataSharing version } } }`,
      { i: { customerId: opCustomer.id, expectedVersion: opCustomer.version, consentDataSharing: false } },
      actors.operator,
    );
    expect(withdraw.body.errors).toBeUndefined();
    expect(withdraw.body.data!.setCustomerConsent.customer).toEqual({ id: opCustomer.id, consentDataSharing: false, version: opCustomer.version + 1 });

    const afterA = await seen(actors.partnerA, actors.partnerAId);
    const afterB = await seen(actors.partnerB, actors.partnerBId);
    expect([afterA.order, afterB.order]).toEqual([null, null]);
    expect([afterA.total, afterB.total]).toEqual([beforeA.total - 1, beforeB.total - 1]);

    // A pseudonym of another audience names no customer for the operator.
    const foreign = await server.gql(`mutation { setCustomerConsent(input: { customerId: "${beforeA.order.customer.id}", consentDataSharing: true }) { customer { id } } }`, undefined, actors.operator);
    expect(foreign.status).toBe(404);
    expect(foreign.body.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'input.customerId' });

    await server.gql(`mutation { setCustomerConsent(input: { customerId: "${opCustomer.id}", consentDataSharing: true }) { customer { id } } }`, undefined, actors.operator);
    expect((await seen(actors.partnerA, actors.partnerAId)).order).toEqual(beforeA.order);
  });
});
