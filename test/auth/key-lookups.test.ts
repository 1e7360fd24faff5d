// Key lookups grouped (src/auth/key-lookups.ts): requests asking at once share one statement,
// each gets the answer for its own key, and a lookup is never answered by a statement that was
// already running when it was asked, so a revocation committed before a request arrived is
// always seen. Real PostgreSQL; the pool is only wrapped to count statements and hold one open.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthFailure, Authenticator } from '../../src/auth/authenticate';
import { createKey, revokeKey } from '../../src/auth/keys';
import { Role, Tier } from '../../src/permissions/tier';
import { useTestDatabase } from '../setup/database';

let pool: pg.Pool;
let partnerSlug: string;
beforeAll(async () => {
  pool = new pg.Pool({ connectionString: await useTestDatabase(), max: 4 });
  const { rows } = await pool.query<{ slug: string }>(
    `select p.slug from partner p join agreement a on a.partner_id = p.id
      where p.status = 'ACTIVE' and a.data_tier = 'ANONYMIZED' and a.valid_from <= current_date
        and (a.valid_to is null or a.valid_to >= current_date) order by p.id limit 1`,
  );
  partnerSlug = rows[0]!.slug;
});
afterAll(async () => {
  await pool.end();
});

/** The pool, with each statement's keys recorded; the first `held` statements answer only when released. */
function gatedPool(held: number) {
  const groups: string[][] = [];
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const query = (async (config: pg.QueryConfig) => {
    const keys = config.values![0] as string | string[];
    groups.push(Array.isArray(keys) ? keys : [keys]);
    const n = groups.length;
    const result = await pool.query(config);
    if (n <= held) await released;
    return result;
  }) as unknown as pg.Pool['query'];
  return { pool: { query } as pg.Pool, groups, release };
}

const bearer = (key: string) => `Bearer ${key}`;
const code = (p: Promise<unknown>) => p.then(() => 'OK', (e: unknown) => (e instanceof AuthFailure ? e.code : String(e)));
const tick = () => new Promise((r) => setImmediate(r));

describe('grouped key lookups', () => {
  it('answers the keys asked at once with one statement, each request its own answer', async () => {
    const gated = gatedPool(0);
    const auth = new Authenticator(gated.pool, 'env-admin-key-0123456789');
    const analyst = await createKey(pool, { role: Role.ANALYST });
    const partner = await createKey(pool, { role: Role.PARTNER, partnerSlug });
    const revoked = await createKey(pool, { role: Role.DASHBOARD });
    await revokeKey(pool, revoked.id);
    const expired = await createKey(pool, { role: Role.OPERATOR });
    await pool.query("update api_key set expires_at = now() - interval '1 second' where id = $1", [expired.id]);

    const asked = [
      auth.authenticateRequest(bearer(analyst.key)),
      auth.authenticateRequest(bearer(partner.key)),
      auth.authenticateRequest(bearer(revoked.key)),
      auth.authenticateRequest(bearer('eco_not-a-real-key')),
      auth.authenticateRequest(bearer(expired.key)),
      auth.authenticateRequest(bearer(analyst.key)),
      auth.authenticateRequest(bearer('env-admin-key-0123456789')),
    ];
    const answers = await Promise.allSettled(asked);
    const [a, p, r, u, e, a2, admin] = answers;
    expect(a.status === 'fulfilled' && a.value.principal).toMatchObject({ role: Role.ANALYST, keyId: analyst.id });
    expect(a.status === 'fulfilled' && a.value.rollupVersion).toMatch(/^\d+$/);
    expect(p.status === 'fulfilled' && p.value.principal).toMatchObject({ role: Role.PARTNER, keyId: partner.id, partnerSlug, grantedTier: Tier.ANONYMIZED });
    expect(await code(Promise.resolve(r.status === 'rejected' ? Promise.reject(r.reason) : r.value))).toBe('KEY_REVOKED');
    expect(u.status === 'rejected' && (u.reason as AuthFailure).code).toBe('INVALID_KEY');
    expect(e.status === 'rejected' && (e.reason as AuthFailure).code).toBe('KEY_EXPIRED');
    expect(a2.status === 'fulfilled' && a2.value.principal.keyId).toBe(analyst.id);
    expect(admin.status === 'fulfilled' && admin.value.principal.role).toBe(Role.ADMIN);
    // One statement; the analyst's key asked twice is one of its five keys; the environment's
    // admin key is never looked up.
    expect(gated.groups).toHaveLength(1);
    expect(gated.groups[0]).toHaveLength(5);
  });

  it('starts a lone lookup at once, and groups what arrives while statements run', async () => {
    const gated = gatedPool(2);
    const auth = new Authenticator(gated.pool, undefined);
    const keys = await Promise.all(Array.from({ length: 4 }, () => createKey(pool, { role: Role.ANALYST })));
    const done: Promise<unknown>[] = [auth.authenticate(bearer(keys[0]!.key))];
    await tick();
    expect(gated.groups).toHaveLength(1); // no window waited for
    done.push(auth.authenticate(bearer(keys[1]!.key)));
    await tick();
    expect(gated.groups).toHaveLength(2); // the second slot
    for (let i = 0; i < 10; i++) done.push(auth.authenticate(bearer(keys[2 + (i % 2)]!.key)));
    await tick();
    expect(gated.groups).toHaveLength(2); // both slots busy: the ten wait
    gated.release();
    const principals = (await Promise.all(done)) as { keyId: number }[];
    expect(gated.groups).toHaveLength(3); // then share one statement, one row per key
    expect(gated.groups[2]).toHaveLength(2);
    expect(principals.map((p) => p.keyId)).toEqual([keys[0]!.id, keys[1]!.id, ...Array.from({ length: 10 }, (_, i) => keys[2 + (i % 2)]!.id)]);
  });

  it('never answers a lookup with a statement that was running when it was asked', async () => {
    const gated = gatedPool(1);
    const auth = new Authenticator(gated.pool, undefined);
    const { id, key } = await createKey(pool, { role: Role.ANALYST });
    // The first request's statement has read the key (valid) but not answered yet ...
    const first = code(auth.authenticate(bearer(key)));
    await tick();
    while (gated.groups.length < 1) await tick();
    // ... the key is revoked, then a second request arrives: it needs a statement of its own.
    await revokeKey(pool, id);
    const second = code(auth.authenticate(bearer(key)));
    const waited = new Promise((r) => setTimeout(r, 5_000, 'still waiting for the running statement'));
    expect(await Promise.race([second, waited])).toBe('KEY_REVOKED');
    gated.release();
    expect(await first).toBe('OK');
    expect(gated.groups).toHaveLength(2);
  });

  it('fails every request of a group whose statement fails, and the next group runs', async () => {
    let fail = true;
    const query = (async (config: pg.QueryConfig) => {
      if (fail) throw Object.assign(new Error('the database went away'), { code: '57P01' });
      return pool.query(config);
    }) as unknown as pg.Pool['query'];
    const auth = new Authenticator({ query } as pg.Pool, undefined);
    const { key } = await createKey(pool, { role: Role.ANALYST });
    const failed = await Promise.allSettled([auth.authenticate(bearer(key)), auth.authenticate(bearer('eco_other'))]);
    expect(failed.map((f) => f.status === 'rejected' && (f.reason as { code?: string }).code)).toEqual(['57P01', '57P01']);
    fail = false;
    expect((await auth.authenticate(bearer(key))).role).toBe(Role.ANALYST);
  });
});
