// `npm run bench:feed`: the change feed, measured on the bench database.
//
//   1. catch-up: one consumer reads a partner's (and an admin's) whole feed from the oldest
//      change kept, pages of 100: events per second, page latency;
//   2. steady state: new orders for the partner arrive in batches; the consumer reads them:
//      events per second and the delay from commit to read;
//   3. capture cost on the order write path: the same inserts with the capture triggers on and
//      off (session_replication_role = replica), single-row commits and one large statement.
//
// Figures go to bench/results/<timestamp>-feed.json and are printed; docs/performance.md
// quotes them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import pg from 'pg';
import { createKey, datasetLabel, loadDataset, openBenchDatabase, pickPartner } from './lib/database';
import { arg, logger, pct, r1 } from './lib/side-bench';
import { cleanupAll, onCleanup, sleep, startChild, waitReady } from './lib/processes';

const ROOT = path.resolve(__dirname, '../..');
const log = logger('bench:feed');

const ORDERS = arg('orders', 200_000);
const PG_PORT = arg('pg-port', 54331);
const PORT = arg('port', 4610);
const CATCH_UP_SECONDS = arg('seconds', 20);


async function gql(key: string, query: string, variables: Record<string, unknown>): Promise<any> {
  const res = await fetch(`http://127.0.0.1:${PORT}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as any;
  if (body.errors) throw new Error(JSON.stringify(body.errors).slice(0, 300));
  return body.data;
}

const FEED = `query($after: String) { changes(after: $after, first: 100) { endCursor hasNextPage events { cursor type op id
  node { ... on ServiceOrder { id status amount createdAt } ... on Customer { customerId: id ageBand city district } } } } }`;

async function catchUp(key: string, seconds: number) {
  let after: string | null = null;
  let events = 0;
  const pages: number[] = [];
  const started = performance.now();
  for (;;) {
    const t = performance.now();
    const d: any = await gql(key, FEED, { after });
    pages.push(performance.now() - t);
    events += d.changes.events.length;
    after = d.changes.endCursor;
    if (!d.changes.hasNextPage || performance.now() - started > seconds * 1000) break;
  }
  const secs = (performance.now() - started) / 1000;
  return { events, pages: pages.length, seconds: r1(secs), eventsPerSecond: Math.round(events / secs), pageP50Ms: r1(pct(pages, 50)), pageP99Ms: r1(pct(pages, 99)), cursor: after! };
}

async function steadyState(pool: pg.Pool, key: string, partnerId: number, cursor: string) {
  const batches = 20;
  const perBatch = 50;
  let after = cursor;
  // Catch up first: the feed is at the head.
  for (;;) {
    const d: any = await gql(key, FEED, { after });
    after = d.changes.endCursor;
    if (!d.changes.hasNextPage) break;
  }
  let events = 0;
  const delays: number[] = [];
  const started = performance.now();
  for (let b = 0; b < batches; b++) {
    await pool.query(
      `insert into service_order (customer_id, partner_id, service_type, city, channel, status, created_at, amount_minor)
       select o.customer_id, o.partner_id, o.service_type, o.city, o.channel, 'CREATED', now(), o.amount_minor
         from service_order o join customer c on c.id = o.customer_id and c.consent_data_sharing
        where o.partner_id = $1 order by o.id limit $2`,
      [partnerId, perBatch],
    );
    const committed = performance.now();
    let got = 0;
    while (got < perBatch) {
      const d: any = await gql(key, FEED, { after });
      got += d.changes.events.filter((e: any) => e.type === 'ServiceOrder').length;
      events += d.changes.events.length;
      after = d.changes.endCursor;
      if (got < perBatch) await sleep(5);
    }
    delays.push(performance.now() - committed);
  }
  const secs = (performance.now() - started) / 1000;
  return { batches, perBatch, events, eventsPerSecond: Math.round(events / secs), commitToReadP50Ms: r1(pct(delays, 50)), commitToReadP99Ms: r1(pct(delays, 99)) };
}

async function captureCost(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const single = 1_000;
  const bulk = 50_000;
  const insertOne = `insert into service_order (customer_id, partner_id, service_type, city, channel, status, created_at, amount_minor)
    select customer_id, partner_id, service_type, city, channel, 'CREATED', now(), amount_minor from service_order where id = $1`;
  const insertMany = `insert into service_order (customer_id, partner_id, service_type, city, channel, status, created_at, amount_minor)
    select customer_id, partner_id, service_type, city, channel, 'CREATED', now(), amount_minor from service_order order by id limit ${bulk}`;
  const out: Record<string, { singleRowUs: number; bulkRowUs: number }> = {};
  for (const mode of ['off', 'on', 'off', 'on'] as const) {
    await client.query(`set session_replication_role = ${mode === 'on' ? 'origin' : 'replica'}`);
    const maxId = (await client.query<{ m: number }>('select max(id) as m from service_order')).rows[0]!.m;
    let t = performance.now();
    for (let i = 0; i < single; i++) await client.query(insertOne, [1 + (i % 1000)]);
    const singleRowUs = ((performance.now() - t) * 1000) / single;
    t = performance.now();
    await client.query(insertMany);
    const bulkRowUs = ((performance.now() - t) * 1000) / bulk;
    // Clean up without leaving anything in the feed.
    await client.query('set session_replication_role = replica');
    await client.query('delete from service_order where id > $1', [maxId]);
    await client.query(`delete from change_log where table_name = 'service_order' and row_id > $1`, [maxId]);
    out[mode] = { singleRowUs: r1(singleRowUs), bulkRowUs: r1(bulkRowUs) };
  }
  await client.end();
  return {
    singleRowInserts: single,
    bulkRows: bulk,
    withoutCapture: out.off!,
    withCapture: out.on!,
    singleRowOverheadPct: Math.round((out.on!.singleRowUs / out.off!.singleRowUs - 1) * 100),
    bulkOverheadPct: Math.round((out.on!.bulkRowUs / out.off!.bulkRowUs - 1) * 100),
  };
}

async function main(): Promise<void> {
  const db = await openBenchDatabase({ root: ROOT, orders: ORDERS, pgPort: PG_PORT, log });
  onCleanup(() => db.stop());
  const load = await loadDataset(db, { root: ROOT, orders: ORDERS, log });
  log(`data: ${Object.entries(load.counts).map(([t, n]) => `${t} ${n}`).join(', ')}`);
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  onCleanup(() => pool.end());
  const logEntries = (await pool.query<{ n: string }>('select count(*) as n from change_log')).rows[0]!.n;

  const [partner] = await pickPartner(db.url);
  const partnerId = (await pool.query<{ id: number }>('select id from partner where slug = $1', [partner!.slug])).rows[0]!.id;
  const partnerKey = await createKey(ROOT, db.url, ['--role', 'partner', '--partner', partner!.slug]);
  const adminKey = await createKey(ROOT, db.url, ['--role', 'admin']);

  const server = startChild('ecograph', process.execPath, ['dist/src/main.js'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: db.url, PORT: String(PORT), HOST: '127.0.0.1', LOG_LEVEL: 'warn', JOBS_ENABLED: 'false', SEED_ON_START: 'false', ECOGRAPH_SECRET: 'bench-feed-secret-0123456789abcdef0123', QUOTA_PARTNER_PER_MINUTE: 'unlimited', QUOTA_PARTNER_PER_DAY: 'unlimited' },
    logFile: path.join(ROOT, '.data', 'bench-logs', 'feed-ecograph.log'),
  });
  onCleanup(async () => {
    server.child.kill('SIGTERM');
  });
  await waitReady(server, async () => (await fetch(`http://127.0.0.1:${PORT}/readyz`).catch(() => undefined))?.ok === true, 60_000);

  log(`catch-up: partner ${partner!.slug} from the oldest of ${logEntries} log entries (at most ${CATCH_UP_SECONDS} s)`);
  const partnerCatchUp = await catchUp(partnerKey, CATCH_UP_SECONDS);
  log(`  ${JSON.stringify(partnerCatchUp, (k, v) => (k === 'cursor' ? undefined : v))}`);
  const adminCatchUp = await catchUp(adminKey, CATCH_UP_SECONDS);
  log(`catch-up: admin ${JSON.stringify(adminCatchUp, (k, v) => (k === 'cursor' ? undefined : v))}`);
  const headCursor = (await gql(partnerKey, '{ changesCursor }', {})).changesCursor as string;
  const steady = await steadyState(pool, partnerKey, partnerId, headCursor);
  log(`steady state: ${JSON.stringify(steady)}`);
  const capture = await captureCost(db.url);
  log(`capture cost: ${JSON.stringify(capture)}`);

  const result = {
    at: new Date().toISOString(),
    dataset: { label: datasetLabel(ORDERS), orders: ORDERS, logEntries: Number(logEntries) },
    partner: partner!.slug,
    partnerCatchUp: { ...partnerCatchUp, cursor: undefined },
    adminCatchUp: { ...adminCatchUp, cursor: undefined },
    steady,
    capture,
  };
  const file = path.join(ROOT, 'bench', 'results', `${result.at.replace(/[-:]/g, '').slice(0, 15)}Z-feed.json`);
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  log(`written ${path.relative(ROOT, file)}`);
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => cleanupAll());
