// The partner lifecycle end to end, through the real server on real PostgreSQL: candidate ->
// screened -> onboarded -> agreement signed -> key created -> the partner pulls its data ->
// agreement amended down to PUBLIC -> the same key loses ANONYMIZED fields on its next request
// -> yellow cards -> suspended -> exited -> key refused. Orders and ratings are the only data
// set up with SQL: nothing in the API creates them yet.
import { beforeAll, describe, expect, it } from 'vitest';
import { createActors, type Actors } from '../setup/actors';
import { startTestServer, type TestServer } from '../setup/server';

let server: TestServer;
let actors: Actors;
beforeAll(async () => {
  server = await startTestServer();
  actors = await createActors(server.pool);
});

const today = () => new Date().toISOString().slice(0, 10);
function daysAgo(n: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() - n);
  return d.toISOString().slice(0, 10);
}
/** First day of the month `n` months before the current one, "YYYY-MM-01". */
function monthsAgo(n: number): string {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - n, 1)).toISOString().slice(0, 10);
}

async function ok(query: string, variables: Record<string, unknown> | undefined, key: string) {
  const res = await server.gql(query, variables, key);
  expect(res.body.errors, query).toBeUndefined();
  expect(res.status).toBe(200);
  return res.body.data as Record<string, any>;
}

/** `count` orders of the partner in the month, each rated `score` (complaint-free). */
async function ordersIn(partnerId: number, month: string, count: number, score: number): Promise<void> {
  await server.pool.query(
    `with c as (select id from customer where consent_data_sharing order by id limit $3),
          o as (insert into service_order (customer_id, partner_id, service_type, city, channel, status, created_at, fulfilled_at, response_minutes, amount_minor)
                select c.id, $1, 'COURTESY_CAR', 'Shanghai', 'ONLINE', 'FULFILLED', $2::date + interval '9 days 4 hours', $2::date + interval '9 days 5 hours', 25, 12000 from c
                returning id, customer_id, created_at)
     insert into rating (order_id, partner_id, customer_id, score, created_at) select o.id, $1, o.customer_id, $4, o.created_at + interval '2 hours' from o`,
    [partnerId, month, count, score],
  );
}

describe('the partner lifecycle through the API', () => {
  it('runs from candidate to exit, and the key follows every step', async () => {
    const op = actors.operator;
    // 1. A candidate for a capability gap, screened with the four scores.
    const created = await ok(
      `mutation($i: CreateCandidateInput!) { createCandidate(input: $i) { candidate { id slug version screeningScore } } }`,
      { i: { slug: 'ehi-rent', name: '一嗨租车', category: 'CAPABILITY_COMPLEMENT', industry: 'car rental', capabilityGap: 'COURTESY_CAR', cities: ['Shanghai', 'Beijing'] } },
      op,
    );
    const candidate = created.createCandidate.candidate;
    expect(candidate.screeningScore).toBeNull();
    const screened = await ok(
      `mutation($i: ScreenCandidateInput!) { screenCandidate(input: $i) { candidate { version screeningScore } } }`,
      { i: { id: candidate.id, expectedVersion: candidate.version, serviceQuality: '90', coverage: '80', cost: '70', integration: '60' } },
      op,
    );
    // 90*0.4 + 80*0.25 + 70*0.2 + 60*0.15 = 79
    expect(screened.screenCandidate.candidate.screeningScore).toBe('79.00');
    const ranking = await ok('{ candidateRanking(capabilityGap: "COURTESY_CAR") { slug score } }', undefined, op);
    expect(ranking.candidateRanking.map((r: any) => r.slug)).toContain('ehi-rent');

    // 2. Onboarded, an agreement granting ANONYMIZED data, a key.
    const onboarded = await ok(
      `mutation($i: OnboardPartnerInput!) { onboardPartner(input: $i) { partner { id slug status statusHistory { nodes { toStatus reason } } } candidate { partnerId } } }`,
      { i: { candidateId: candidate.id, nameEn: 'eHi Car Rental', serviceTypes: ['COURTESY_CAR'] } },
      op,
    );
    const partner = onboarded.onboardPartner.partner;
    expect(partner.status).toBe('ACTIVE');
    expect(onboarded.onboardPartner.candidate.partnerId).toBe(partner.id);
    expect(partner.statusHistory.nodes).toEqual([{ toStatus: 'ACTIVE', reason: 'onboarded from candidate ehi-rent' }]);
    const signed = await ok(
      `mutation($i: SignAgreementInput!) { signAgreement(input: $i) { agreement { id version dataTier validFrom validTo } } }`,
      { i: { partnerId: partner.id, slaResponseMinutes: 30, pricingModel: 'PER_USE', price: '120.00', settlementModel: 'COMMISSION', commissionRate: '0.08', dataTier: 'ANONYMIZED', validFrom: daysAgo(150) } },
      op,
    );
    const agreement = signed.signAgreement.agreement;
    const keyed = await ok(`mutation { createApiKey(input: { role: PARTNER, partnerId: "${partner.id}", label: "ehi production" }) { apiKey { id role partner { slug } } secret } }`, undefined, op);
    const secret: string = keyed.createApiKey.secret;
    expect(secret).toMatch(/^eco_/);
    expect(keyed.createApiKey.apiKey.partner.slug).toBe('ehi-rent');

    // 3. The partner pulls what it is entitled to: its orders and its customers, anonymised.
    const pid = Number(partner.id);
    for (const m of [4, 3, 2, 1]) await ordersIn(pid, monthsAgo(m), 25, m === 4 ? 5 : 2);
    const pulled = await ok('{ customers(first: 5) { totalCount nodes { id ageBand } } serviceOrders(first: 5) { totalCount } }', undefined, secret);
    expect(pulled.customers.totalCount).toBe(25);
    expect(pulled.customers.nodes[0].ageBand).toMatch(/^\d+-\d+$|^\d+\+$/);
    expect(pulled.serviceOrders.totalCount).toBe(100);

    // 4. Amended down to PUBLIC from today: the same key loses the ANONYMIZED fields on its next request.
    const amended = await ok(
      `mutation($i: AmendAgreementInput!) { amendAgreement(input: $i) { agreement { dataTier validFrom supersedesId price commissionRate } previous { validTo version } } }`,
      { i: { id: agreement.id, expectedVersion: agreement.version, effectiveFrom: today(), dataTier: 'PUBLIC' } },
      op,
    );
    expect(amended.amendAgreement.agreement).toEqual({ dataTier: 'PUBLIC', validFrom: today(), supersedesId: agreement.id, price: '120.00', commissionRate: '0.0800' });
    expect(amended.amendAgreement.previous.validTo).toBe(daysAgo(1));
    const downgraded = await server.gql('{ customers(first: 5) { nodes { ageBand } } }', undefined, secret);
    expect(downgraded.status).toBe(400);
    expect(downgraded.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect((await ok('{ serviceOrders(first: 1) { totalCount } }', undefined, secret)).serviceOrders.totalCount).toBe(100);
    const history = await ok('{ agreements { nodes { dataTier validFrom validTo } } }', undefined, secret);
    expect(history.agreements.nodes.map((a: any) => a.dataTier)).toEqual(['PUBLIC', 'ANONYMIZED']);

    // 5. Three yellow months in a row: suspended after the first, exited after the third.
    const evaluate = async (month: string) =>
      (await ok(`mutation { evaluateQualityTiers(input: { month: "${month}" }) { partnersEvaluated statusChanges { toStatus rule month partner { slug } } } }`, undefined, op))
        .evaluateQualityTiers;
    expect((await evaluate(monthsAgo(4))).statusChanges.filter((c: any) => c.partner.slug === 'ehi-rent')).toEqual([]);
    const first = await evaluate(monthsAgo(3));
    expect(first.statusChanges.filter((c: any) => c.partner.slug === 'ehi-rent')).toEqual([
      { toStatus: 'SUSPENDED', rule: 'QUALITY_YELLOW_CARD', month: monthsAgo(3), partner: { slug: 'ehi-rent' } },
    ]);
    // Suspended: the key works for its own commercial data, but no customer data at all.
    const suspended = await ok('{ partner(slug: "ehi-rent") { status statusReason qualityTier } serviceOrders(first: 1) { totalCount } agreements { totalCount } }', undefined, secret);
    expect(suspended.partner.status).toBe('SUSPENDED');
    expect(suspended.partner.statusReason).toMatch(/^YELLOW_CARD in \d{4}-\d{2}: rating 2\.00 < 4\.0$/);
    expect(suspended.serviceOrders.totalCount).toBe(0);
    expect(suspended.agreements.totalCount).toBe(2);
    expect((await evaluate(monthsAgo(2))).statusChanges.filter((c: any) => c.partner.slug === 'ehi-rent')).toEqual([]);
    const third = await evaluate(monthsAgo(1));
    expect(third.statusChanges.filter((c: any) => c.partner.slug === 'ehi-rent')).toEqual([
      { toStatus: 'EXITED', rule: 'QUALITY_EXIT', month: monthsAgo(1), partner: { slug: 'ehi-rent' } },
    ]);

    // 6. Exited: the key is refused, the agreement ended, the history says why.
    const refused = await server.gql('{ __typename }', undefined, secret);
    expect(refused.status).toBe(401);
    expect(['KEY_REVOKED', 'PARTNER_EXITED']).toContain(refused.body.errors?.[0]?.extensions?.code);
    const after = await ok(
      `{ partner(id: "${partner.id}") { status qualityTier agreements { nodes { validTo terminationReason } } statusHistory { nodes { fromStatus toStatus rule } } tierHistory(first: 3) { nodes { tier } } } }`,
      undefined,
      op,
    );
    expect(after.partner.status).toBe('EXITED');
    expect(after.partner.qualityTier).toBe('EXITED');
    expect(after.partner.agreements.nodes[0]).toEqual({ validTo: today(), terminationReason: expect.stringMatching(/^partner exited: EXITED in /) });
    expect(after.partner.statusHistory.nodes).toEqual([
      { fromStatus: 'SUSPENDED', toStatus: 'EXITED', rule: 'QUALITY_EXIT' },
      { fromStatus: 'ACTIVE', toStatus: 'SUSPENDED', rule: 'QUALITY_YELLOW_CARD' },
      { fromStatus: null, toStatus: 'ACTIVE', rule: null },
    ]);
    expect(after.partner.tierHistory.nodes.map((n: any) => n.tier)).toEqual(['EXITED', 'YELLOW_CARD', 'YELLOW_CARD']);
    const keys = await ok(`{ apiKeys(where: { id: { eq: "${keyed.createApiKey.apiKey.id}" } }) { nodes { revokedAt revokeReason } } }`, undefined, op);
    expect(keys.apiKeys.nodes[0].revokedAt).not.toBeNull();

    // 7. Every step is in the ledger, with the rows before and after (admins read the changes).
    await server.flushLedger();
    const ledger = await ok(`{ accessLedger(first: 50, where: { mutation: { eq: "amendAgreement" } }) { nodes { role keyId mutation changes } } }`, undefined, actors.admin);
    const record = ledger.accessLedger.nodes[0];
    expect(record.role).toBe('OPERATOR');
    const [old, fresh] = record.changes as { type: string; op: string; before: any; after: any }[];
    // An update is recorded by what changed; a new row whole.
    expect(old).toEqual({ type: 'Agreement', id: Number(agreement.id), op: 'UPDATE', before: { validTo: null, version: 1 }, after: { validTo: daysAgo(1), version: 2 } });
    expect(fresh).toMatchObject({ type: 'Agreement', op: 'CREATE', before: null, after: { dataTier: 'PUBLIC', validFrom: today() } });
  });

  it('a later good month lifts a suspension the quality rules made, not one an operator made', async () => {
    const op = actors.operator;
    const pid = actors.partnerBId;
    const id = String(pid);
    const M = [3, 2, 1].map(monthsAgo);
    await server.pool.query(`delete from rating where order_id in (select id from service_order where partner_id = $1 and created_at >= $2::date)`, [pid, M[0]]);
    await ordersIn(pid, M[0], 25, 2);
    await ordersIn(pid, M[1], 25, 5);
    const evaluate = (month: string) => ok(`mutation { evaluateQualityTiers(input: { month: "${month}" }) { statusChanges { toStatus rule partner { id } } } }`, undefined, op);
    const yellow = await evaluate(M[0]);
    expect(yellow.evaluateQualityTiers.statusChanges.filter((c: any) => c.partner.id === id)).toEqual([{ toStatus: 'SUSPENDED', rule: 'QUALITY_YELLOW_CARD', partner: { id } }]);
    const good = await evaluate(M[1]);
    expect(good.evaluateQualityTiers.statusChanges.filter((c: any) => c.partner.id === id)).toEqual([{ toStatus: 'ACTIVE', rule: 'QUALITY_RECOVERED', partner: { id } }]);
    // An operator's suspension stays until reinstatePartner.
    await ok(`mutation { suspendPartner(input: { id: "${id}", reason: "contract review" }) { partner { status } } }`, undefined, op);
    const again = await evaluate(M[1]);
    expect(again.evaluateQualityTiers.statusChanges.filter((c: any) => c.partner.id === id)).toEqual([]);
    const reinstated = await ok(`mutation { reinstatePartner(input: { id: "${id}", reason: "review done" }) { partner { status statusReason } } }`, undefined, op);
    expect(reinstated.reinstatePartner.partner).toEqual({ status: 'ACTIVE', statusReason: 'review done' });
  });

  it('a suspended partner keeps its key and catalogue but reads no customer data, until reinstated', async () => {
    const op = actors.operator;
    const id = String(actors.partnerAId);
    const q = '{ serviceOrders(first: 1) { totalCount } settlements(first: 1) { totalCount } partner(id: "ID") { status } }'.replace('ID', id);
    const before = await ok(`${q.slice(0, -1)} customers(first: 1) { totalCount } }`, undefined, actors.partnerA);
    expect(before.customers.totalCount).toBeGreaterThan(0);
    expect(before.serviceOrders.totalCount).toBeGreaterThan(0);
    const version = (await ok(`{ partner(id: "${id}") { version } }`, undefined, op)).partner.version;
    await ok(`mutation { suspendPartner(input: { id: "${id}", expectedVersion: ${version}, reason: "yellow card under review" }) { partner { status } } }`, undefined, op);
    const during = await ok(q, undefined, actors.partnerA);
    expect(during.serviceOrders.totalCount).toBe(0);
    expect(during.settlements.totalCount).toBe(before.settlements.totalCount);
    expect(during.partner.status).toBe('SUSPENDED');
    // ANONYMIZED data is gone from its schema; its catalogue stays its own to correct.
    const anonymised = await server.gql('{ customers(first: 1) { totalCount } }', undefined, actors.partnerA);
    expect(anonymised.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    await ok(`mutation { upsertPriceListItem(input: { serviceType: "CAR_WASH", unit: PER_USE, price: "35.00" }) { priceListItem { price } } }`, undefined, actors.partnerA);
    await ok(`mutation { reinstatePartner(input: { id: "${id}", reason: "rectified" }) { partner { status } } }`, undefined, op);
    const back = await ok(`${q.slice(0, -1)} customers(first: 1) { totalCount } }`, undefined, actors.partnerA);
    expect(back).toEqual(before);
  });

  it('a PUBLIC partner asking the very same query is answered without customer rows once suspended (no cached statement survives)', async () => {
    const op = actors.operator;
    const id = String(actors.publicPartnerId);
    const q = '{ serviceOrders(first: 3) { totalCount nodes { id } } }';
    const before = await ok(q, undefined, actors.partnerPublic);
    expect(before.serviceOrders.totalCount).toBeGreaterThan(0);
    await ok(q, undefined, actors.partnerPublic);
    await ok(`mutation { suspendPartner(input: { id: "${id}", reason: "audit" }) { partner { status } } }`, undefined, op);
    expect((await ok(q, undefined, actors.partnerPublic)).serviceOrders).toEqual({ totalCount: 0, nodes: [] });
    await ok(`mutation { reinstatePartner(input: { id: "${id}", reason: "audit done" }) { partner { status } } }`, undefined, op);
    expect(await ok(q, undefined, actors.partnerPublic)).toEqual(before);
  });
});
