// The key terms' generation (migrations/Migration20261204200000_key_terms_generation.ts): every
// write that could change what a key authenticates as moves it, whatever path writes; writes
// that cannot, do not (else every early answer would pay the full check). A lookup reads it with
// the key, and keyTermsUnchanged holds only while it has not moved and the terms' until has not
// come. Real PostgreSQL; each write runs in a transaction that holds the generation's row and is
// rolled back, so the moves counted are that write's alone.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticator, keyTermsUnchanged } from '../../src/auth/authenticate';
import { createKey } from '../../src/auth/keys';
import { Role } from '../../src/permissions/tier';
import { useTestDatabase } from '../setup/database';

let pool: pg.Pool;
let partnerId: number;
let partnerSlug: string;
let agreementId: number;
let keyId: number;
let key: string;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: await useTestDatabase(), max: 2 });
  const { rows } = await pool.query<{ id: number; slug: string; agreement_id: number }>(
    `select p.id, p.slug, a.id as agreement_id from partner p join agreement a on a.partner_id = p.id
      where p.status = 'ACTIVE' and a.valid_from <= current_date and (a.valid_to is null or a.valid_to >= current_date)
      order by p.id limit 1`,
  );
  ({ id: partnerId, slug: partnerSlug, agreement_id: agreementId } = rows[0]!);
  const created = await createKey(pool, { role: Role.PARTNER, partnerSlug });
  ({ id: keyId, key } = created);
});
afterAll(async () => {
  await pool.end();
});

/** How far `write` moves the generation, in a transaction rolled back afterwards. */
async function moves(write: string, values: unknown[] = [], setup?: string): Promise<number> {
  const c = await pool.connect();
  try {
    await c.query('begin');
    const before = (await c.query<{ g: string }>('select generation::text as g from key_terms_generation where id = 1 for update')).rows[0]!.g;
    if (setup) await c.query(setup);
    await c.query(write, values);
    const after = (await c.query<{ g: string }>('select generation::text as g from key_terms_generation where id = 1')).rows[0]!.g;
    return Number(after) - Number(before);
  } finally {
    await c.query('rollback');
    c.release();
  }
}

describe('the key terms generation', () => {
  it.each([
    ['a key revoked', 'update api_key set revoked_at = now() where id = $1'],
    ['a key given an expiry', "update api_key set expires_at = now() + interval '1 day' where id = $1"],
    ['a key re-roled', "update api_key set role = 'ANALYST', partner_id = null where id = $1"],
    ['a key deleted', 'delete from api_key where id = $1'],
  ])('moves when %s', async (_what, write) => {
    expect(await moves(write, [keyId])).toBeGreaterThan(0);
  });

  it.each([
    ['a partner suspended', "update partner set status = 'SUSPENDED' where id = $1"],
    ['a partner renamed by slug', "update partner set slug = slug || '-renamed' where id = $1"],
    ['an agreement changed', 'update agreement set daily_quota = 5 where partner_id = $1'],
    ['an agreement ended', 'update agreement set valid_to = current_date - 1 where partner_id = $1'],
    ['an agreement removed', 'delete from agreement where partner_id = $1'],
  ])('moves when %s', async (_what, write) => {
    expect(await moves(write, [partnerId])).toBeGreaterThan(0);
  });

  it('moves when an agreement is added, and when a table is truncated', async () => {
    const columns = `partner_id, sla_response_minutes, service_standard, pricing_model, price_minor, settlement_model, commission_rate,
      revenue_share_rate, monthly_fee_minor, data_tier, exclusive, liability, valid_from, valid_to, rate_limit_per_minute, daily_quota, persisted_only`;
    expect(await moves(`insert into agreement (${columns}) select ${columns} from agreement where id = $1`, [agreementId])).toBeGreaterThan(0);
    for (const table of ['api_key', 'partner', 'agreement']) expect(await moves(`truncate ${table} cascade`), table).toBeGreaterThan(0);
  });

  it('moves even where triggers are off for replication', async () => {
    expect(await moves('update api_key set revoked_at = now() where id = $1', [keyId], 'set local session_replication_role = replica')).toBeGreaterThan(0);
  });

  it.each([
    ['a key relabelled', "update api_key set label = 'relabelled' where id = $1", () => keyId],
    ['a partner described', "update partner set description = 'new words', quality_tier = 'GOLD' where id = $1", () => partnerId],
    ['a key created', "insert into api_key (label, role, hash, prefix, created_at) values ('new', 'ANALYST', md5($1::text), 'eco_x', now())", () => keyId],
  ])('stays when %s: no key authenticates differently', async (_what, write, arg) => {
    expect(await moves(write, [arg()])).toBe(0);
  });

  it('is read with the key, with the until its terms hold without a write', async () => {
    const auth = new Authenticator(pool, undefined);
    await auth.authenticate(`Bearer ${key}`);
    const known = auth.remembered(`Bearer ${key}`)!;
    const { rows } = await pool.query<{ g: string; tomorrow: Date }>(
      'select generation::text as g, (current_date + 1)::timestamptz as tomorrow from key_terms_generation where id = 1',
    );
    expect(known.generation).toBe(rows[0]!.g);
    // No expiry: the end of today, when another agreement may come into force with no write.
    expect(known.until).toEqual(rows[0]!.tomorrow);
  });

  it('confirms a key only while the generation stands and its until has not come', async () => {
    const { rows } = await pool.query<{ g: string }>('select generation::text as g from key_terms_generation where id = 1');
    const g = rows[0]!.g;
    const holds = async (generation: string, until: Date) => {
      const q = keyTermsUnchanged(generation, until).toQuery();
      return (await pool.query<{ ok: boolean }>(`select ${q.text} as ok`, q.values)).rows[0]!.ok;
    };
    const later = new Date(Date.now() + 3_600_000);
    expect(await holds(g, later)).toBe(true);
    expect(await holds(String(Number(g) - 1), later)).toBe(false);
    expect(await holds(g, new Date(Date.now() - 1_000))).toBe(false);
  });
});
