// `partnerId` filters on apiKeys and serviceRequests (what the console's keys and requests panels
// ask for): staff get exactly that partner's rows; the filter never widens a partner key's row
// scope, so another partner's id matches nothing of it. On the compiled path and through the
// resolvers (COMPILED_QUERIES=false) alike.
import { beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../../src/auth/keys';
import { Role } from '../../src/permissions/tier';
import { createActors, type Actors } from '../setup/actors';
import { startTestServer, type TestServer } from '../setup/server';

const OPEN = '[OPEN, OFFERED, ACCEPTED, DISPATCHED, ARRIVED]';

describe.each([['compiled', 'true'], ['resolvers', 'false']])('on the %s path', (_path, compiledQueries) => {
  let server: TestServer;
  let actors: Actors;

  beforeAll(async () => {
    server = await startTestServer({ COMPILED_QUERIES: compiledQueries });
    actors = await createActors(server.pool);
    const slug = async (id: number) => (await server.pool.query<{ slug: string }>('select slug from partner where id = $1', [id])).rows[0]!.slug;
    // Partner A gets two more keys (three in all), partner B one more (two).
    for (const [id, n] of [[actors.partnerAId, 2], [actors.partnerBId, 1]] as const) {
      for (let i = 0; i < n; i++) await createKey(server.pool, { role: Role.PARTNER, partnerSlug: await slug(id), label: `filter test ${i}` });
    }
    // Requests: A holds three open ones and a completed one, B two open ones; one is unallocated.
    const rows: [number | null, string][] = [
      [actors.partnerAId, 'OFFERED'],
      [actors.partnerAId, 'ACCEPTED'],
      [actors.partnerAId, 'DISPATCHED'],
      [actors.partnerAId, 'COMPLETED'],
      [actors.partnerBId, 'OFFERED'],
      [actors.partnerBId, 'ARRIVED'],
      [null, 'UNALLOCATED'],
    ];
    for (const [partnerId, status] of rows) {
      await server.pool.query(
        `insert into service_request (service_type, city, customer_id, window_start, window_end, status, partner_id, opened_at)
         values ('COURTESY_CAR', 'FilterTown', $1, now(), now() + interval '30 minutes', $2, $3, now())`,
        [actors.sharedCustomerId, status, partnerId],
      );
    }
  });

  async function data(query: string, key: string | undefined, variables?: Record<string, unknown>) {
    const res = await server.gql(query, variables, key);
    expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
    return res.body.data as any;
  }

  const ids = async (sql: string, values: unknown[]) => (await server.pool.query<{ id: number }>(sql, values)).rows.map((r) => String(r.id)).sort();
  const sorted = (nodes: { id: string }[]) => nodes.map((n) => n.id).sort();

  describe('apiKeys(where: { partnerId })', () => {
    it('gives an operator exactly that partner’s keys', async () => {
      for (const pid of [actors.partnerAId, actors.partnerBId]) {
        const d = await data('query($p: ID) { apiKeys(first: 100, where: { partnerId: { eq: $p } }) { totalCount nodes { id role partnerId partner { id } } } }', actors.operator, { p: String(pid) });
        const expected = await ids('select id from api_key where partner_id = $1', [pid]);
        expect(expected.length).toBeGreaterThanOrEqual(2);
        expect(d.apiKeys.totalCount).toBe(expected.length);
        expect(sorted(d.apiKeys.nodes)).toEqual(expected);
        for (const k of d.apiKeys.nodes) expect(k).toMatchObject({ role: 'PARTNER', partnerId: String(pid), partner: { id: String(pid) } });
      }
    });

    it('takes in, combines with other conditions, and matches nothing for an unknown id', async () => {
      const both = await data(`{ apiKeys(first: 100, where: { partnerId: { in: ["${actors.partnerAId}", "${actors.partnerBId}"] }, not: { label: { startsWith: "filter test" } } }) { nodes { id } } }`, actors.operator);
      expect(sorted(both.apiKeys.nodes)).toEqual(await ids("select id from api_key where partner_id = any($1) and label not like 'filter test%'", [[actors.partnerAId, actors.partnerBId]]));
      const none = await data('{ apiKeys(where: { partnerId: { eq: "999999" } }) { totalCount } a: apiKeys(where: { partnerId: { eq: "not-an-id" } }) { totalCount } }', undefined);
      expect(none).toEqual({ apiKeys: { totalCount: 0 }, a: { totalCount: 0 } });
    });

    it('is not in a partner key’s schema (partners never list keys)', async () => {
      const res = await server.gql(`{ apiKeys(where: { partnerId: { eq: "${actors.partnerAId}" } }) { totalCount } }`, undefined, actors.partnerA);
      expect(res.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    });
  });

  describe('serviceRequests(where: { partnerId })', () => {
    const q = `query($p: ID) { serviceRequests(first: 100, where: { partnerId: { eq: $p }, status: { in: ${OPEN} } }) { totalCount nodes { id status partnerId partner { id } } } }`;

    it('gives an operator exactly that partner’s open requests', async () => {
      for (const pid of [actors.partnerAId, actors.partnerBId]) {
        const d = await data(q, actors.operator, { p: String(pid) });
        const expected = await ids(`select id from service_request where partner_id = $1 and status in ('OPEN', 'OFFERED', 'ACCEPTED', 'DISPATCHED', 'ARRIVED')`, [pid]);
        expect(expected.length).toBeGreaterThanOrEqual(2);
        expect(d.serviceRequests.totalCount).toBe(expected.length);
        expect(sorted(d.serviceRequests.nodes)).toEqual(expected);
        for (const r of d.serviceRequests.nodes) expect(r).toMatchObject({ partnerId: String(pid), partner: { id: String(pid) } });
      }
      // Without the status condition, the completed one too; and the same for an admin key.
      const all = await data('query($p: ID) { serviceRequests(first: 100, where: { partnerId: { eq: $p } }) { nodes { id } } }', undefined, { p: String(actors.partnerAId) });
      expect(sorted(all.serviceRequests.nodes)).toEqual(await ids('select id from service_request where partner_id = $1', [actors.partnerAId]));
    });

    it('leaves a partner key its own requests, and gives it none of another partner’s', async () => {
      const own = await data(q, actors.partnerA, { p: String(actors.partnerAId) });
      expect(own.serviceRequests.totalCount).toBe(3);
      const other = await data(q, actors.partnerA, { p: String(actors.partnerBId) });
      expect(other.serviceRequests).toEqual({ totalCount: 0, nodes: [] });
      // Nor through `or`, `not` or `in`: the row scope stands behind every filter.
      const widened = await data(
        `{ serviceRequests(first: 100, where: { or: [{ partnerId: { eq: "${actors.partnerBId}" } }, { not: { partnerId: { eq: "${actors.partnerAId}" } } }, { partnerId: { in: ["${actors.partnerBId}"] } }] }) { totalCount } }`,
        actors.partnerA,
      );
      expect(widened.serviceRequests.totalCount).toBe(0);
    });
  });
});
