// The bench database: an embedded PostgreSQL in .data/bench-pg (kept between runs) or the server
// of DATABASE_URL; one database per dataset size, loaded with the project's own seed (CLI),
// rollups refreshed with the project's refreshStale, then VACUUM ANALYZE. Also the bench-only
// objects PostGraphile needs (schema `bench`), keys, and pg_stat_statements.
import { createRequire } from 'node:module';
import * as path from 'node:path';
import pg from 'pg';
import { run } from './processes';
import { BUSINESS_TIME_ZONE, DASHBOARD_FROM, DASHBOARD_TO } from './scenarios';

export interface BenchDatabase {
  url: string;
  database: string;
  embedded: boolean;
  pgStatStatements: boolean;
  stop: () => Promise<void>;
}

interface EmbeddedModule {
  startEmbeddedPostgres(opts: { dataDir: string; port: number; database?: string; log?: (line: string) => void }): Promise<{ url: string; stop(): Promise<void> }>;
}

interface RefreshModule {
  refreshStale(pool: pg.Pool): Promise<string[]>;
}

/** Loads a compiled module of the project (dist/), typed by the caller. */
function projectModule<T>(root: string, file: string): T {
  // A path computed at run time: dist/ is built by `npm run build` first.
  return createRequire(__filename)(path.join(root, 'dist', file)) as T;
}

export function datasetLabel(orders: number): string {
  if (orders % 1_000_000 === 0) return `${orders / 1_000_000}m`;
  if (orders % 1_000 === 0) return `${orders / 1_000}k`;
  return String(orders);
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** Starts (or reuses) the server and makes sure the bench database exists. */
export async function openBenchDatabase(opts: { root: string; orders: number; pgPort: number; log: (l: string) => void }): Promise<BenchDatabase> {
  const database = `ecograph_bench_${datasetLabel(opts.orders)}`;
  const external = process.env.DATABASE_URL;
  if (external) {
    await withClient(external, async (c) => {
      const found = await c.query('select 1 from pg_database where datname = $1', [database]);
      if (!found.rowCount) {
        opts.log(`creating database ${database} on the DATABASE_URL server`);
        await c.query(`create database ${c.escapeIdentifier(database)}`);
      }
    });
    const url = withDatabase(external, database);
    const pgStatStatements = await enablePgStatStatements(url).catch(() => false);
    return { url, database, embedded: false, pgStatStatements, stop: async () => undefined };
  }

  const { startEmbeddedPostgres } = projectModule<EmbeddedModule>(opts.root, 'src/db/embedded-postgres.js');
  const start = () =>
    startEmbeddedPostgres({ dataDir: path.join(opts.root, '.data', 'bench-pg'), port: opts.pgPort, database, log: (l) => opts.log(`  pg: ${l}`) });
  let server = await start();
  // pg_stat_statements needs to be preloaded: set it once in the bench cluster (postgresql.auto.conf
  // of .data/bench-pg, nobody else's), then restart.
  const preload = await withClient(server.url, async (c) => (await c.query<{ v: string }>("select current_setting('shared_preload_libraries') as v")).rows[0]!.v);
  if (!preload.includes('pg_stat_statements')) {
    opts.log('enabling pg_stat_statements in the bench cluster (one restart)');
    await withClient(server.url, (c) => c.query(`alter system set shared_preload_libraries = 'pg_stat_statements'`));
    await server.stop();
    server = await start();
  }
  const pgStatStatements = await enablePgStatStatements(server.url).catch((err: Error) => {
    opts.log(`pg_stat_statements unavailable (${err.message}): statements per request will be n/a for PostGraphile`);
    return false;
  });
  return { url: server.url, database, embedded: true, pgStatStatements, stop: () => server.stop() };
}

async function enablePgStatStatements(url: string): Promise<boolean> {
  return withClient(url, async (c) => {
    await c.query('create extension if not exists pg_stat_statements');
    await c.query('select pg_stat_statements_reset()');
    return true;
  });
}

export interface LoadReport {
  seeded: boolean;
  seedSeconds: number;
  refreshedMonths: number;
  vacuumed: boolean;
  counts: Record<string, number>;
}

/** Seeds (a no-op when already done), refreshes the rollups, VACUUM ANALYZE when anything changed. */
export async function loadDataset(db: BenchDatabase, opts: { root: string; orders: number; log: (l: string) => void }): Promise<LoadReport> {
  const env = { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'warn' };
  const t0 = Date.now();
  opts.log(`seeding ${opts.orders.toLocaleString('en')} orders (seed 42) into ${db.database} — a no-op when already loaded`);
  const out = await run(process.execPath, ['dist/src/cli/main.js', 'seed', '--orders', String(opts.orders), '--seed', '42'], {
    cwd: opts.root,
    env,
    prefix: '  seed: ',
  });
  const report = JSON.parse(out.slice(out.indexOf('{'))) as { synthetic: { skipped: boolean } };
  const seedSeconds = (Date.now() - t0) / 1000;

  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  try {
    const { refreshStale } = projectModule<RefreshModule>(opts.root, 'src/metrics/rollups/refresh.js');
    const t1 = Date.now();
    const months = await refreshStale(pool);
    if (months.length) opts.log(`refreshed the rollups of ${months.length} months in ${((Date.now() - t1) / 1000).toFixed(1)} s`);

    await pool.query('create schema if not exists bench_meta');
    await pool.query('create table if not exists bench_meta.state (key text primary key, value text not null)');
    const seededAt = (await pool.query<{ v: string }>(`select updated_at::text as v from seed_state where key = 'synthetic'`)).rows[0]?.v ?? '';
    const done = (await pool.query<{ value: string }>(`select value from bench_meta.state where key = 'vacuumed_for'`)).rows[0]?.value;
    let vacuumed = false;
    if (done !== seededAt || months.length > 0) {
      const t2 = Date.now();
      opts.log('VACUUM ANALYZE');
      await pool.query('vacuum analyze');
      opts.log(`VACUUM ANALYZE done in ${((Date.now() - t2) / 1000).toFixed(1)} s`);
      await pool.query(
        `insert into bench_meta.state (key, value) values ('vacuumed_for', $1) on conflict (key) do update set value = excluded.value`,
        [seededAt],
      );
      vacuumed = true;
    }
    const counts: Record<string, number> = {};
    for (const t of ['partner', 'customer', 'service_order', 'metric_group']) {
      counts[t] = Number((await pool.query<{ n: string }>(`select count(*) as n from ${t}`)).rows[0]!.n);
    }
    return { seeded: !report.synthetic.skipped, seedSeconds, refreshedMonths: months.length, vacuumed, counts };
  } finally {
    await pool.end();
  }
}

/**
 * Bench-only objects for PostGraphile, in the schema `bench` of the bench database (never in the
 * project's migrations): orders joined to their partner's category, for the dashboard question.
 * Restricted to the dashboard's window, as Ecograph and the floor are asked it: PostGraphile's
 * query has no range filter, and the pullwrites scenario leaves orders dated now in the database.
 */
export async function createBenchObjects(url: string): Promise<void> {
  const tz = `'${BUSINESS_TIME_ZONE}'`;
  await withClient(url, async (c) => {
    await c.query('create schema if not exists bench');
    await c.query(`create or replace view bench.service_order_with_category as
      select o.id, o.partner_id, o.status, o.amount_minor, o.created_at, p.category
        from public.service_order o join public.partner p on p.id = o.partner_id
       where o.created_at >= ('${DASHBOARD_FROM}'::timestamp at time zone ${tz})
         and o.created_at < ('${DASHBOARD_TO}'::timestamp at time zone ${tz})`);
    await c.query(`comment on view bench.service_order_with_category is
      'Benchmark only (npm run bench): service orders of the dashboard window with their partner''s category, for PostGraphile''s grouped aggregates.'`);
  });
}

/** The partner with an ANONYMIZED agreement in force that served the most consenting customers. */
export async function pickPartner(url: string): Promise<{ slug: string; customers: number }[]> {
  return withClient(url, async (c) => {
    const r = await c.query<{ slug: string; customers: string }>(
      `select p.slug, count(distinct o.customer_id) as customers
         from partner p
         join service_order o on o.partner_id = p.id
         join customer cu on cu.id = o.customer_id and cu.consent_data_sharing
        where p.status <> 'EXITED'
          and (select a.data_tier from agreement a
                where a.partner_id = p.id and a.valid_from <= current_date
                  and (a.valid_to is null or a.valid_to >= current_date)
                order by a.valid_from desc, a.id desc limit 1) = 'ANONYMIZED'
        group by p.slug
        order by customers desc, p.slug
        limit 5`,
    );
    return r.rows.map((row) => ({ slug: row.slug, customers: Number(row.customers) }));
  });
}

/** A new key from the project's CLI (the key is the last line of its stdout). */
export async function createKey(root: string, url: string, args: string[]): Promise<string> {
  const out = await run(process.execPath, ['dist/src/cli/main.js', 'keys', 'create', ...args, '--label', 'npm run bench'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' },
    quiet: true,
  });
  const key = out.trim().split('\n').pop()?.trim();
  if (!key) throw new Error(`keys create printed no key: ${out}`);
  return key;
}

export async function serverInfo(url: string): Promise<{ version: string; settings: Record<string, string> }> {
  return withClient(url, async (c) => {
    const version = (await c.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]!.v;
    const settings: Record<string, string> = {};
    for (const name of ['shared_buffers', 'work_mem', 'max_parallel_workers_per_gather', 'max_connections', 'jit']) {
      settings[name] = (await c.query<{ v: string }>('select current_setting($1) as v', [name])).rows[0]!.v;
    }
    return { version, settings };
  });
}

export interface StatementCount {
  total: number;
  statements: Array<{ calls: number; meanMs: number; query: string }>;
}

/** pg_stat_statements of the bench database: reset, and read (the harness's own queries left out). */
export class StatementCounter {
  constructor(private readonly url: string) {}

  reset(): Promise<void> {
    return withClient(this.url, async (c) => void (await c.query('select pg_stat_statements_reset()')));
  }

  read(): Promise<StatementCount> {
    return withClient(this.url, async (c) => {
      const r = await c.query<{ calls: string; mean: number; query: string }>(
        `select s.calls, s.mean_exec_time as mean, s.query from pg_stat_statements s join pg_database d on d.oid = s.dbid
          where d.datname = current_database() and s.query not ilike '%pg_stat_statements%'
          order by s.calls desc`,
      );
      const statements = r.rows.map((row) => ({
        calls: Number(row.calls),
        meanMs: Math.round(Number(row.mean) * 100) / 100,
        query: row.query.replace(/\s+/g, ' ').slice(0, 240),
      }));
      return { total: statements.reduce((a, s) => a + s.calls, 0), statements };
    });
  }
}

/**
 * Waits until no other session of the bench database runs a statement (queries of requests the
 * load generator abandoned at the end of a round), then cancels what is still running.
 * `olderOnly`: only statements already running when it was called count (a write load that
 * keeps starting its own is left alone).
 */
export async function waitQuiet(url: string, timeoutMs: number, opts: { olderOnly?: boolean } = {}): Promise<{ waitedMs: number; cancelled: number }> {
  return withClient(url, async (c) => {
    const started = Date.now();
    const since = opts.olderOnly ? (await c.query<{ t: Date }>('select clock_timestamp() as t')).rows[0]!.t : null;
    const active = async () =>
      (
        await c.query<{ pid: number }>(
          `select pid from pg_stat_activity
            where datname = current_database() and pid <> pg_backend_pid() and state = 'active'
              and backend_type = 'client backend' and ($1::timestamptz is null or query_start < $1)`,
          [since],
        )
      ).rows.map((r) => r.pid);
    let pids = await active();
    while (pids.length && Date.now() - started < timeoutMs) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      pids = await active();
    }
    for (const pid of pids) await c.query('select pg_cancel_backend($1)', [pid]);
    return { waitedMs: Date.now() - started, cancelled: pids.length };
  });
}

/**
 * pullwrites opens its requests for customers 201-300 in the API's default order (created_at,
 * then id); the pull reads the first 100 by that order (Ecograph) and by id (PostGraphile, the
 * floor). Throws when the two overlap: the writes would then change the cross-checked answer.
 */
export async function checkWriteCustomers(url: string): Promise<void> {
  await withClient(url, async (c) => {
    const r = await c.query<{ n: string }>(
      `select count(*) as n from (select id from customer order by created_at, id offset 200 limit 100) w
        where w.id in (select id from customer order by id limit 100)`,
    );
    if (Number(r.rows[0]!.n) > 0) throw new Error(`${r.rows[0]!.n} of the write load's customers are among the first 100 by id, which the pull reads`);
  });
}

/**
 * The rows of the small requests: the lowest-numbered order of the partner `slug` whose customer
 * consents to data sharing (so the partner sees both), with that customer's real id.
 */
export async function pickSmallRows(url: string, slug: string): Promise<{ orderId: string; customerId: string }> {
  return withClient(url, async (c) => {
    const r = await c.query<{ order_id: string; customer_id: string }>(
      `select o.id::text as order_id, o.customer_id::text as customer_id
         from service_order o
         join partner p on p.id = o.partner_id
         join customer cu on cu.id = o.customer_id and cu.consent_data_sharing
        where p.slug = $1
        order by o.id
        limit 1`,
      [slug],
    );
    if (!r.rows[0]) throw new Error(`no order of ${slug} with a consenting customer`);
    return { orderId: r.rows[0].order_id, customerId: r.rows[0].customer_id };
  });
}
