// The crash soak's data: the project's own CLI migrates and seeds a small dataset and mints the
// two keys of the load (a partner's, an operator's); the partner is one that can read its orders
// and write its catalogue.
import pg from 'pg';
import { run } from './processes';

export interface CrashDataset {
  partnerSlug: string;
  partnerKey: string;
  partnerKeyId: number;
  operatorKey: string;
  operatorKeyId: number;
  /** Orders the operator files complaints about (any order will do; spread over a few). */
  orderIds: string[];
}

async function cli(root: string, env: NodeJS.ProcessEnv, args: string[]): Promise<string> {
  return run(process.execPath, ['dist/src/cli/main.js', ...args], { cwd: root, env, prefix: '  cli: ', quiet: true });
}

async function key(root: string, env: NodeJS.ProcessEnv, args: string[]): Promise<{ key: string; id: number }> {
  const out = await cli(root, env, ['keys', 'create', ...args, '--label', 'npm run soak -- --crash']);
  const id = Number(/#(\d+)/.exec(out)?.[1]);
  const secret = out.trim().split('\n').pop()?.trim();
  if (!secret || !Number.isInteger(id)) throw new Error(`keys create printed no key: ${out}`);
  return { key: secret, id };
}

export async function prepareDataset(opts: { root: string; url: string; env: NodeJS.ProcessEnv; orders: number; log: (l: string) => void }): Promise<CrashDataset> {
  const env = { ...opts.env, DATABASE_URL: opts.url, LOG_LEVEL: 'warn' };
  opts.log(`migrating and seeding ${opts.orders} orders (the project's CLI)`);
  await cli(opts.root, env, ['seed', '--orders', String(opts.orders), '--seed', '42']);
  const pool = new pg.Pool({ connectionString: opts.url, max: 1 });
  try {
    const partner = await pool.query<{ id: number; slug: string }>(`
      select p.id, p.slug from partner p
       where p.status = 'ACTIVE'
         and exists (select 1 from agreement a where a.partner_id = p.id and a.valid_from <= current_date and (a.valid_to is null or a.valid_to >= current_date))
         and exists (select 1 from service_order o where o.partner_id = p.id)
       order by p.id limit 1`);
    const p = partner.rows[0];
    if (!p) throw new Error('the seeded data has no ACTIVE partner with an agreement in force and orders');
    // The soak measures durability, not quotas: the agreement's own budgets would answer 429.
    await pool.query('update agreement set rate_limit_per_minute = null, daily_quota = null where partner_id = $1', [p.id]);
    const orders = await pool.query<{ id: string }>('select id::text as id from service_order order by id limit 50');
    const partnerKey = await key(opts.root, env, ['--role', 'partner', '--partner', p.slug]);
    const operatorKey = await key(opts.root, env, ['--role', 'operator']);
    return {
      partnerSlug: p.slug,
      partnerKey: partnerKey.key,
      partnerKeyId: partnerKey.id,
      operatorKey: operatorKey.key,
      operatorKeyId: operatorKey.id,
      orderIds: orders.rows.map((r) => r.id),
    };
  } finally {
    await pool.end();
  }
}
