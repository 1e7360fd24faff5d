// The seed against real PostgreSQL: reference data, exact sizes, idempotence, determinism,
// settlement arithmetic and the quality-tier ladder. The file makes its own scratch databases
// (migrated here) so that it does not depend on the shared test setup.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { MikroORM } from '@mikro-orm/postgresql';
import { migrate } from '../../src/db/database';
import { ormConfig } from '../../src/db/orm.config';
import { seedDatabase, type SeedReport } from '../../seeds/seed';
import { referenceCases, referenceIndicators } from '../../seeds/reference/cases.data';
import { referencePartners } from '../../seeds/reference/partners.data';
import { copyArray, copyInto, copyRow, copyValue } from '../../seeds/synthetic/copy';

const ADMIN_URL = process.env.TEST_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const OPTIONS = { orders: 3_000, seed: 42 };
const created: string[] = [];

function urlFor(db: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${db}`;
  return u.toString();
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A new, migrated database; dropped in afterAll. */
async function scratchDatabase(): Promise<string> {
  const name = `ecograph_seedtest_${crypto.randomBytes(5).toString('hex')}`;
  await withClient(ADMIN_URL, (c) => c.query(`create database ${name}`));
  created.push(name);
  const url = urlFor(name);
  const orm = await MikroORM.init(ormConfig(url, { db: { poolMax: 2, connectTimeoutMs: 5000, statementTimeoutMs: 60000 } }));
  try {
    await migrate(orm);
  } finally {
    await orm.close(true);
  }
  return url;
}

const TABLES = [
  'partner', 'agreement', 'service_point', 'price_list_item', 'candidate_partner', 'customer', 'service_order', 'rating',
  'complaint', 'settlement', 'partner_tier_history', 'collaboration_case', 'case_kpi', 'report_indicator',
];

async function counts(c: pg.Client): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) out[t] = Number((await c.query(`select count(*) as n from ${t}`)).rows[0].n);
  return out;
}

/** md5 of every row of a table in id order (the whole row as text). */
async function tableDigest(c: pg.Client, table: string, order = 'id'): Promise<string> {
  const { rows } = await c.query(`select md5(coalesce(string_agg(t::text, E'\\n' order by ${order}), '')) as h from ${table} t`);
  return rows[0].h as string;
}

describe('seedDatabase', () => {
  let urlA: string;
  let first: SeedReport;

  beforeAll(async () => {
    urlA = await scratchDatabase();
    first = await seedDatabase(urlA, OPTIONS);
  });

  afterAll(async () => {
    await withClient(ADMIN_URL, async (c) => {
      for (const name of created) await c.query(`drop database if exists ${name} with (force)`);
    });
  });

  it('loads every reference partner, case, KPI and indicator and exactly 3,000 orders', async () => {
    expect(first.synthetic.skipped).toBe(false);
    expect(first.synthetic.orders).toBe(3_000);
    expect(first.synthetic.customers).toBe(500);
    expect(first.reference).toEqual({
      partners: referencePartners.length,
      cases: referenceCases.length,
      kpis: referenceCases.reduce((n, rc) => n + rc.kpis.length, 0),
      indicators: referenceIndicators.length,
    });

    await withClient(urlA, async (c) => {
      expect(Number((await c.query('select count(*) as n from service_order')).rows[0].n)).toBe(3_000);

      const partners = await c.query<{ slug: string; reference: boolean }>('select slug, reference from partner');
      const bySlug = new Map(partners.rows.map((r) => [r.slug, r.reference]));
      for (const p of referencePartners) expect(bySlug.get(p.slug), p.slug).toBe(true);

      const kpis = await c.query<{ slug: string; name: string }>(
        'select cc.slug, k.name from case_kpi k join collaboration_case cc on cc.id = k.case_id',
      );
      const kpiKeys = new Set(kpis.rows.map((r) => `${r.slug}|${r.name}`));
      const caseSlugs = new Set((await c.query<{ slug: string }>('select slug from collaboration_case')).rows.map((r) => r.slug));
      for (const rc of referenceCases) {
        expect(caseSlugs.has(rc.slug), rc.slug).toBe(true);
        for (const k of rc.kpis) expect(kpiKeys.has(`${rc.slug}|${k.name}`), `${rc.slug}: ${k.name}`).toBe(true);
      }

      const indicators = await c.query<{ slug: string; year: number }>('select slug, year from report_indicator');
      const indicatorKeys = new Set(indicators.rows.map((r) => `${r.slug}@${r.year}`));
      for (const i of referenceIndicators) expect(indicatorKeys.has(`${i.slug}@${i.year}`), `${i.slug}@${i.year}`).toBe(true);

      // Every partner has an agreement, service points and prices.
      const bare = await c.query(`
        select p.slug from partner p
        where not exists (select 1 from agreement a where a.partner_id = p.id)
           or not exists (select 1 from service_point s where s.partner_id = p.id)
           or not exists (select 1 from price_list_item i where i.partner_id = p.id)`);
      expect(bare.rows).toEqual([]);
      const state = await c.query(`select value from seed_state where key = 'synthetic'`);
      expect(state.rows[0].value).toMatchObject({ orders: 3_000, seed: 42 });
    });
  });

  it('skips the synthetic part when run again with the same options and changes nothing', async () => {
    const before = await withClient(urlA, async (c) => ({
      counts: await counts(c),
      partners: await tableDigest(c, 'partner'),
      agreements: await tableDigest(c, 'agreement'),
      points: await tableDigest(c, 'service_point'),
      kpis: await tableDigest(c, 'case_kpi'),
      orders: await tableDigest(c, 'service_order'),
    }));
    const again = await seedDatabase(urlA, OPTIONS);
    expect(again.synthetic.skipped).toBe(true);
    expect(again.synthetic.orders).toBe(3_000);
    expect(again.reference).toEqual(first.reference);
    const after = await withClient(urlA, async (c) => ({
      counts: await counts(c),
      partners: await tableDigest(c, 'partner'),
      agreements: await tableDigest(c, 'agreement'),
      points: await tableDigest(c, 'service_point'),
      kpis: await tableDigest(c, 'case_kpi'),
      orders: await tableDigest(c, 'service_order'),
    }));
    expect(after).toEqual(before);
  });

  it('produces byte-identical data from the same seed in two fresh databases', async () => {
    const urlB = await scratchDatabase();
    const second = await seedDatabase(urlB, OPTIONS);
    expect(second.synthetic).toMatchObject({ ...first.synthetic, seconds: second.synthetic.seconds });
    const digests = (url: string) =>
      withClient(url, async (c) => ({
        orders: await tableDigest(c, 'service_order'),
        customers: await tableDigest(c, 'customer'),
        ratings: await tableDigest(c, 'rating'),
        complaints: await tableDigest(c, 'complaint'),
        settlements: await tableDigest(c, 'settlement'),
        tiers: await tableDigest(c, 'partner_tier_history'),
        partners: await tableDigest(c, 'partner'),
      }));
    const [a, b] = await Promise.all([digests(urlA), digests(urlB)]);
    expect(b).toEqual(a);
  });

  it('settles every partner-month exactly: shares add up to gross, gross = fulfilled order amounts', async () => {
    await withClient(urlA, async (c) => {
      const { rows } = await c.query(`
        select s.partner_id, s.month, s.gross_minor, s.partner_share_minor, s.platform_share_minor,
               (select coalesce(sum(o.amount_minor), 0) from service_order o
                 where o.partner_id = s.partner_id and o.status = 'FULFILLED'
                   and date_trunc('month', o.created_at at time zone 'Asia/Shanghai')::date = s.month) as fulfilled
        from settlement s`);
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) {
        expect(BigInt(r.partner_share_minor) + BigInt(r.platform_share_minor)).toBe(BigInt(r.gross_minor));
        expect(BigInt(r.gross_minor)).toBe(BigInt(r.fulfilled));
      }
      // Every partner-month with fulfilled orders is settled.
      const missing = await c.query(`
        select o.partner_id, date_trunc('month', o.created_at at time zone 'Asia/Shanghai')::date as month
        from service_order o where o.status = 'FULFILLED'
        except select partner_id, month from settlement`);
      expect(missing.rows).toEqual([]);
      // The commission model's arithmetic: round(gross * rate), half away from zero, the rate 20%
      // lower in a GOLD month (SETTLEMENT_GOLD_COMMISSION_DISCOUNT's default).
      const wrong = await c.query(`
        select s.id from settlement s join agreement a on a.partner_id = s.partner_id
        left join partner_tier_history h on h.partner_id = s.partner_id and h.month = s.month
        where s.model = 'COMMISSION'
          and s.platform_share_minor <> round(s.gross_minor * a.commission_rate * case when h.tier = 'GOLD' then 0.8 else 1 end)`);
      expect(wrong.rows).toEqual([]);
      const gold = await c.query(`select count(*)::int as n from settlement s join partner_tier_history h on h.partner_id = s.partner_id and h.month = s.month
        where s.model = 'COMMISSION' and h.tier = 'GOLD' and s.gross_minor > 0`);
      expect(gold.rows[0].n).toBeGreaterThan(0);
    });
  });

  it('has GOLD and YELLOW_CARD months and a partner EXITED after three yellow cards in a row', async () => {
    await withClient(urlA, async (c) => {
      const tiers = await c.query<{ tier: string }>('select distinct tier from partner_tier_history where tier is not null');
      const found = new Set(tiers.rows.map((r) => r.tier));
      expect(found.has('GOLD')).toBe(true);
      expect(found.has('YELLOW_CARD')).toBe(true);

      const exited = await c.query(`
        select p.slug from partner p
        join partner_tier_history h0 on h0.partner_id = p.id and h0.tier = 'EXITED'
        join partner_tier_history h1 on h1.partner_id = p.id and h1.month = (h0.month - interval '1 month')::date and h1.tier = 'YELLOW_CARD'
        join partner_tier_history h2 on h2.partner_id = p.id and h2.month = (h0.month - interval '2 months')::date and h2.tier = 'YELLOW_CARD'
        where p.status = 'EXITED' and p.quality_tier = 'EXITED'`);
      expect(exited.rows.length).toBeGreaterThan(0);

      const gold = await c.query(`select reason from partner_tier_history where tier = 'GOLD' limit 1`);
      expect(gold.rows[0].reason).toMatch(/^rating \d\.\d+ > 4\.8 and complaint rate \d+\.\d+% < 0\.5%$/);
      const few = await c.query(`select reason from partner_tier_history where tier is null and order_count > 0 limit 1`);
      expect(few.rows[0].reason).toMatch(/^too few orders \(\d+\)$/);
    });
  });

  it('COPY text escaping round-trips backslashes, tabs, newlines, NULL and text[] literals', async () => {
    const texts = ['plain', 'back\\slash \\N', 'tab\there', 'line\nbreak\r\n', '引号 "quoted"', ''];
    const arrays: Array<Array<string | null>> = [['a', 'b c'], ['with "quote"', 'back\\slash', 'comma,brace}{'], [], [null, 'NULL', 'tab\t']];
    await withClient(urlA, async (c) => {
      await c.query('begin');
      await c.query('create temp table copy_check (id int, t text, a text[]) on commit drop');
      const rows = texts.map((t, i) => copyRow([copyValue(i), copyValue(t), copyArray(arrays[i] ?? null)]));
      rows.push(copyRow([copyValue(99), copyValue(null), copyArray(null)]));
      expect(await copyInto(c, 'copy_check', ['id', 't', 'a'], rows)).toBe(rows.length);
      const back = await c.query<{ id: number; t: string | null; a: Array<string | null> | null }>('select id, t, a from copy_check order by id');
      expect(back.rows).toEqual([
        ...texts.map((t, i) => ({ id: i, t, a: arrays[i] ?? null })),
        { id: 99, t: null, a: null },
      ]);
      await c.query('rollback');
    });
  });
});
