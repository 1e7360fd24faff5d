// The scaled deployment (docs/operations.md, "Scaling out"; docker-compose.scaled.yml) on this
// machine's loopback, with the project's own processes: two server processes of
// dist/src/main.js on two ports, as the load balancer would see them, on one PostgreSQL primary
// with a streaming standby for their reads (test/setup/standby.ts) and one Redis. A key created
// and revoked through replica 1 is refused by replica 2 on its very next request, even while the
// standby lags; a budget spent alternately on both replicas runs out at the same total as on
// one; both replicas read from the standby. Without Redis (127.0.0.1:6379, or TEST_REDIS_URL)
// the test is skipped with a warning.
import crypto from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_KEY } from '../setup/constants';
import { startStandbyPair, type StandbyPair } from '../setup/standby';
import { redisReachable, REDIS_URL, startServerProcess, stopServerProcess, type ServerAnswer, type ServerProcess } from '../setup/server-process';

/** Daily budget of the keys in the quota test: a day window never ends mid-test (unlike a minute). */
const BUDGET = 24;
/** 1 unit: an aggregate reads no rows. */
const AGGREGATE = '{ partners { totalCount } }';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Answer = ServerAnswer;
type Replica = ServerProcess;
const startReplica = (name: string, env: Record<string, string>) =>
  // As in docker-compose.scaled.yml: the API replicas run no jobs (the worker service does).
  startServerProcess(name, { JOBS_ENABLED: 'false', ...env });

const code = (a: Answer) => a.body.errors?.[0]?.extensions?.code;

/** A key minted through the API of `via`, with the admin key (docs/operators.md, "Keys"). */
async function createKey(via: Replica, input: string): Promise<{ id: string; secret: string }> {
  const res = await via.gql(`mutation { createApiKey(input: { ${input}, label: "scaled-topology test" }) { apiKey { id } secret } }`, TEST_ADMIN_KEY);
  expect(res.status, JSON.stringify(res.body.errors)).toBe(200);
  const created = res.body.data!.createApiKey as { apiKey: { id: string }; secret: string };
  return { id: created.apiKey.id, secret: created.secret };
}

/** Waits for the next UTC day when fewer than `seconds` are left in this one (daily budgets). */
async function freshDay(seconds: number): Promise<void> {
  const left = 86_400_000 - (Date.now() % 86_400_000);
  if (left < seconds * 1000) await sleep(left + 100);
}

describe('two replicas behind one load balancer: a primary with a streaming standby, one Redis', () => {
  const prefix = `ecograph-test:scaled:${process.pid}-${crypto.randomBytes(4).toString('hex')}:`;
  const replicas: Replica[] = [];
  let redis: Redis | undefined;
  let pair: StandbyPair | undefined;
  let pool: pg.Pool | undefined;
  /** Two partners with an agreement in force: one for the revocation, one for the quotas. */
  let partners: number[] = [];

  beforeAll(async () => {
    redis = await redisReachable();
    if (!redis) {
      console.warn(`scaled-topology.test.ts: no Redis at ${REDIS_URL} (set TEST_REDIS_URL for another): SKIPPING the two-replica topology test`);
      return;
    }
    // Its own primary (migrated, seeded) and a standby streaming from it, not the shared test database.
    pair = await startStandbyPair({ orders: 500 });
    pool = new pg.Pool({ connectionString: pair.primaryUrl, max: 2 });
    partners = (
      await pool.query<{ id: number }>(`
        select p.id from partner p
         where p.status = 'ACTIVE'
           and exists (select 1 from agreement a where a.partner_id = p.id and a.valid_from <= current_date and (a.valid_to is null or a.valid_to >= current_date))
         order by p.id limit 2`)
    ).rows.map((r) => r.id);
    expect(partners).toHaveLength(2);
    // The quota partner's agreement: BUDGET units a day per key, read by both replicas on every request.
    await pool.query(
      `update agreement set daily_quota = $2, rate_limit_per_minute = null
        where partner_id = $1 and valid_from <= current_date and (valid_to is null or valid_to >= current_date)`,
      [partners[1], BUDGET],
    );
    const env = {
      DATABASE_URL: pair.primaryUrl,
      DATABASE_READ_URLS: pair.standbyUrl,
      REDIS_URL,
      QUOTA_REDIS_PREFIX: prefix,
      QUOTA_ANALYST_PER_DAY: String(BUDGET),
    };
    replicas.push(...(await Promise.all([startReplica('replica 1', env), startReplica('replica 2', env)])));
  });

  afterAll(async () => {
    await Promise.all(replicas.map(stopServerProcess));
    if (redis) {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
    await pool?.end();
    await pair?.close();
  });

  it('a key revoked through replica 1 is refused by replica 2 on its very next request', async (ctx) => {
    if (!redis) return ctx.skip();
    const [one, two] = replicas as [Replica, Replica];
    const key = await createKey(one, `role: PARTNER, partnerId: "${partners[0]}"`);
    // Minted on replica 1, usable on both at once: no replica holds keys of its own.
    for (const r of [two, one, two]) {
      const res = await r.gql(AGGREGATE, key.secret);
      expect(res.status, `${r.name}: ${JSON.stringify(res.body.errors)}`).toBe(200);
      expect(res.body.data!.partners.totalCount).toBeGreaterThan(0);
    }
    const revoked = await one.gql(`mutation { revokeApiKey(input: { id: "${key.id}", reason: "scaled-topology test" }) { apiKey { revokedAt } } }`, TEST_ADMIN_KEY);
    expect(revoked.status, JSON.stringify(revoked.body.errors)).toBe(200);
    expect(revoked.body.data!.revokeApiKey.apiKey.revokedAt).toBeTruthy();
    // The very next request, on the replica that did not revoke it.
    const refused = await two.gql(AGGREGATE, key.secret);
    expect(refused.status).toBe(401);
    expect(code(refused)).toBe('KEY_REVOKED');
    expect(refused.body.data).toBeUndefined();
    const alsoRefused = await one.gql(AGGREGATE, key.secret);
    expect([alsoRefused.status, code(alsoRefused)]).toEqual([401, 'KEY_REVOKED']);
  });

  // Partner budgets come from the agreement, analyst budgets from the role's default
  // (QUOTA_ANALYST_PER_DAY): both are counted in Redis, per key.
  for (const role of ['PARTNER', 'ANALYST'] as const) {
    it(`${role === 'ANALYST' ? 'an analyst' : 'a partner'} key's budget spent alternately on both replicas runs out at the same total as on one`, async (ctx) => {
      if (!redis) return ctx.skip();
      const [one, two] = replicas as [Replica, Replica];
      const input = role === 'PARTNER' ? `role: PARTNER, partnerId: "${partners[1]}"` : 'role: ANALYST';
      const [alternating, single] = [await createKey(one, input), await createKey(one, input)];
      await freshDay(30);

      /** Requests in turn on `order` until the first refusal: the units they got, and that refusal. */
      const spend = async (secret: string, order: Replica[]) => {
        const remaining: number[] = [];
        for (let i = 0; i < BUDGET * 2 + 2; i++) {
          const r = order[i % order.length]!;
          const res = await r.gql(AGGREGATE, secret);
          if (res.status !== 200) return { remaining, refusal: res, next: order[(i + 1) % order.length]! };
          remaining.push(Number(res.headers.get('x-quota-remaining-day')));
        }
        throw new Error(`no refusal after ${BUDGET * 2 + 2} requests: the budget is not enforced`);
      };

      const shared = await spend(alternating.secret, [one, two]);
      // One budget between them: what is left counts down across both replicas.
      expect(shared.remaining).toEqual(Array.from({ length: BUDGET }, (_, i) => BUDGET - 1 - i));
      expect([shared.refusal.status, code(shared.refusal)]).toEqual([429, 'QUOTA_EXCEEDED']);
      expect(shared.refusal.headers.get('x-quota-remaining-day')).toBe('0');
      expect(Number(shared.refusal.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      // The other replica refuses it as well.
      const other = await shared.next.gql(AGGREGATE, alternating.secret);
      expect([other.status, code(other)]).toEqual([429, 'QUOTA_EXCEEDED']);

      // The same budget on one replica alone ends at the same total.
      const alone = await spend(single.secret, [one]);
      expect(alone.remaining.length).toBe(shared.remaining.length);
      expect([alone.refusal.status, code(alone.refusal)]).toEqual([429, 'QUOTA_EXCEEDED']);

      // Both replicas counted in Redis throughout: no fallback to counting per process.
      for (const r of replicas) {
        const metrics = await (await fetch(`${r.url}/metrics`)).text();
        expect(metrics, r.name).toMatch(/^ecograph_quota_store_errors_total 0$/m);
        expect(r.output(), r.name).not.toMatch(/counting per process/);
      }
    }, 60_000); // room for freshDay's wait just before 00:00 UTC
  }

  it('both replicas read from the standby; keys are checked on the primary, so a lagging standby delays no revocation', async (ctx) => {
    if (!redis) return ctx.skip();
    const [one, two] = replicas as [Replica, Replica];
    const { slug, name } = (await pool!.query<{ slug: string; name: string }>('select slug, name from partner where id = $1', [partners[0]])).rows[0]!;
    // A caller that wrote nothing: its reads go to the standby without waiting (read-your-writes
    // concerns only a caller's own mutations).
    const reader = await createKey(one, 'role: ANALYST');
    const nameOn = async (r: Replica) => {
      const res = await r.gql('query($slug: String!) { partners(first: 1, where: { slug: { eq: $slug } }) { nodes { name } } }', reader.secret, { slug });
      expect(res.status, `${r.name}: ${JSON.stringify(res.body.errors)}`).toBe(200);
      return (res.body.data!.partners.nodes as { name: string }[])[0]?.name;
    };
    await pair!.waitForReplay();

    await pair!.pauseReplay();
    try {
      await pool!.query("update partner set name = name || ' (renamed)' where id = $1", [partners[0]]);
      // The primary has the new name; both replicas still answer what the standby has replayed.
      expect(await nameOn(one)).toBe(name);
      expect(await nameOn(two)).toBe(name);
      // A key minted and revoked meanwhile: the standby has neither row, and it does not matter.
      const key = await createKey(one, `role: PARTNER, partnerId: "${partners[0]}"`);
      expect((await two.gql(AGGREGATE, key.secret)).status).toBe(200);
      const revoked = await one.gql(`mutation { revokeApiKey(input: { id: "${key.id}" }) { apiKey { revokedAt } } }`, TEST_ADMIN_KEY);
      expect(revoked.status, JSON.stringify(revoked.body.errors)).toBe(200);
      const refused = await two.gql(AGGREGATE, key.secret);
      expect([refused.status, code(refused)]).toEqual([401, 'KEY_REVOKED']);
    } finally {
      await pair!.resumeReplay();
    }
    await pair!.waitForReplay();
    expect(await nameOn(one)).toBe(`${name} (renamed)`);
    expect(await nameOn(two)).toBe(`${name} (renamed)`);
  });
});
