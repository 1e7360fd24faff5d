// `npm run bench:dispatch`: the dispatch path, measured on the bench database with jobs running.
//
//   1. throughput: W operator loops each open a request (allocation included), have the offered
//      partner accept it and report COMPLETED (which settles the month), for each city size N
//      (partners eligible in the city): requests per second end to end and each step's latency;
//   2. contention: 20 partners of one city accept the same request at once, repeated: exactly
//      one wins each time; the latency of the answers;
//   3. the partner pull (serviceOrders, 100 a page) alone and while dispatch runs at full speed:
//      requests per second and latency, and the difference.
//
// Figures go to bench/results/<timestamp>-dispatch.json and are printed; docs/performance.md
// quotes them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { createKey as cliKey, datasetLabel, loadDataset, openBenchDatabase, pickPartner } from './lib/database';
import { arg, logger, pct, r1 } from './lib/side-bench';
import { cleanupAll, onCleanup, startChild, waitReady } from './lib/processes';

const ROOT = path.resolve(__dirname, '../..');
const log = logger('bench:dispatch');

const ORDERS = arg('orders', 200_000);
const PG_PORT = arg('pg-port', 54332);
const PORT = arg('port', 4620);
const SECONDS = arg('seconds', 15);
const WORKERS = arg('workers', 8);
const SIZES = [5, 20, 50];
/** Cities and partners of this run (a bench database keeps earlier runs' rows). */
const RUN = Date.now().toString(36);

const stats = (xs: number[]) => ({ n: xs.length, p50Ms: r1(pct(xs, 50)), p99Ms: r1(pct(xs, 99)) });

async function gql(key: string, query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const res = await fetch(`http://127.0.0.1:${PORT}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as any;
}

async function timed<T>(out: number[], fn: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const v = await fn();
  out.push(performance.now() - t);
  return v;
}

interface City {
  name: string;
  /** As the operator sees them: pseudonyms. */
  customerIds: string[];
  servicePointId: number;
  keys: Map<string, string>;
}

/** A city of `n` rental partners (GOLD, SILVER, BRONZE in turn) with agreements, depots, prices and keys. */
async function makeCity(pool: pg.Pool, n: number, keyFor: (slug: string) => Promise<string>, customerIds: string[]): Promise<City> {
  const name = `BenchCity-${RUN}-${n}`;
  const keys = new Map<string, string>();
  const tiers = ['GOLD', 'SILVER', 'BRONZE'];
  const repair = await pool.query<{ id: number }>(
    `insert into partner (slug, name, name_en, category, industry, service_types, cities, api_openness, quality_tier, joined_on)
     values ($1, $1, $1, 'CAPABILITY_COMPLEMENT', 'repair', '{QUICK_SERVICE}', array[$2], 'PARTNER_API', 'SILVER', current_date - 400) returning id`,
    [`bench-repair-${RUN}-${n}`, name],
  );
  const sp = await pool.query<{ id: number }>(
    `insert into service_point (partner_id, name, city, district, latitude, longitude, opening_hours) values ($1, 'workshop', $2, 'Centre', 31.2, 121.4, '08:00-20:00') returning id`,
    [repair.rows[0]!.id, name],
  );
  for (let i = 0; i < n; i++) {
    const slug = `bench-rental-${RUN}-${n}-${i}`;
    const p = await pool.query<{ id: number }>(
      `insert into partner (slug, name, name_en, category, industry, service_types, cities, api_openness, quality_tier, joined_on)
       values ($1, $1, $1, 'CAPABILITY_COMPLEMENT', 'car rental', '{COURTESY_CAR}', array[$2], 'PARTNER_API', $3, current_date - 400) returning id`,
      [slug, name, tiers[i % 3]],
    );
    const id = p.rows[0]!.id;
    await pool.query(
      `insert into agreement (partner_id, sla_response_minutes, pricing_model, price_minor, settlement_model, commission_rate, data_tier, valid_from)
       values ($1, 30, 'PER_USE', 0, 'COMMISSION', 0.08, 'ANONYMIZED', current_date - 400)`,
      [id],
    );
    await pool.query(`insert into service_point (partner_id, name, city, district, latitude, longitude, opening_hours) values ($1, 'depot', $2, 'Centre', 31.2, 121.4, '00:00-24:00')`, [id, name]);
    await pool.query(`insert into price_list_item (partner_id, service_type, unit, price_minor) values ($1, 'COURTESY_CAR', 'PER_DAY', 10000)`, [id]);
    keys.set(slug, await keyFor(slug));
  }
  return { name, customerIds, servicePointId: sp.rows[0]!.id, keys };
}

/** Customers as the operator knows them (pseudonyms). */
async function customersOf(operatorKey: string): Promise<string[]> {
  const d = await gql(operatorKey, '{ customers(first: 100) { nodes { id } } }');
  if (!d.data) throw new Error(JSON.stringify(d.errors));
  return d.data.customers.nodes.map((c: { id: string }) => c.id);
}

const OPEN = `mutation($input: OpenServiceRequestInput!) { openServiceRequest(input: $input) { serviceRequest { id partner { slug } } } }`;
const ACCEPT = `mutation($id: ID!) { acceptServiceRequest(input: { id: $id }) { serviceRequest { id status } } }`;
const COMPLETE = `mutation($id: ID!) { reportFulfilment(input: { id: $id, milestone: COMPLETED }) { serviceRequest { id status } } }`;

/** W loops of open -> accept -> complete for `seconds`. */
async function throughput(city: City, operatorKey: string, seconds: number, workers: number) {
  const open: number[] = [];
  const accept: number[] = [];
  const complete: number[] = [];
  let done = 0;
  let errors = 0;
  const until = performance.now() + seconds * 1000;
  let c = 0;
  const loop = async () => {
    while (performance.now() < until) {
      const customerId = city.customerIds[c++ % city.customerIds.length];
      const o = await timed(open, () => gql(operatorKey, OPEN, { input: { serviceType: 'COURTESY_CAR', customerId: String(customerId), servicePointId: String(city.servicePointId) } }));
      const r = o.data?.openServiceRequest?.serviceRequest;
      const key = r?.partner ? city.keys.get(r.partner.slug) : undefined;
      if (!key) {
        if (errors++ === 0) log(`open failed: ${JSON.stringify(o).slice(0, 400)}`);
        continue;
      }
      const a = await timed(accept, () => gql(key, ACCEPT, { id: r.id }));
      if (a.errors) {
        if (errors++ === 0) log(`accept failed: ${JSON.stringify(a).slice(0, 400)}`);
        continue;
      }
      const f = await timed(complete, () => gql(key, COMPLETE, { id: r.id }));
      if (f.errors) {
        if (errors++ === 0) log(`complete failed: ${JSON.stringify(f).slice(0, 400)}`);
      } else done++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: workers }, loop));
  const secs = (performance.now() - started) / 1000;
  return { partners: city.keys.size, workers, seconds: r1(secs), completed: done, errors, requestsPerSecond: r1(done / secs), open: stats(open), accept: stats(accept), complete: stats(complete) };
}

/** 20 partners answer one request at once, `rounds` times: one winner each time. */
async function contention(city: City, operatorKey: string, rounds: number) {
  const latencies: number[] = [];
  let winners = 0;
  const keys = [...city.keys.values()].slice(0, 20);
  for (let i = 0; i < rounds; i++) {
    const o = await gql(operatorKey, OPEN, { input: { serviceType: 'COURTESY_CAR', customerId: String(city.customerIds[i % city.customerIds.length]), servicePointId: String(city.servicePointId) } });
    const id = o.data.openServiceRequest.serviceRequest.id;
    const answers = await Promise.all(keys.map((k) => timed(latencies, () => gql(k, ACCEPT, { id }))));
    winners += answers.filter((a) => !a.errors).length;
  }
  return { rounds, partnersAnswering: keys.length, winners, oneWinnerEachRound: winners === rounds, answer: stats(latencies) };
}

const PULL = `query($after: String) { serviceOrders(first: 100, after: $after) { pageInfo { endCursor hasNextPage } nodes { id serviceType status amount createdAt customer { id ageBand } } } }`;

async function partnerPull(key: string, seconds: number, concurrency: number) {
  const lat: number[] = [];
  const until = performance.now() + seconds * 1000;
  const loop = async () => {
    let after: string | null = null;
    while (performance.now() < until) {
      const d = await timed(lat, () => gql(key, PULL, { after }));
      const page = d.data?.serviceOrders;
      after = page?.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, loop));
  const secs = (performance.now() - started) / 1000;
  return { requestsPerSecond: r1(lat.length / secs), ...stats(lat) };
}

async function main(): Promise<void> {
  const db = await openBenchDatabase({ root: ROOT, orders: ORDERS, pgPort: PG_PORT, log });
  onCleanup(() => db.stop());
  await loadDataset(db, { root: ROOT, orders: ORDERS, log });
  const pool = new pg.Pool({ connectionString: db.url, max: 4 });
  pool.on('error', () => undefined); // the database stops first at cleanup
  onCleanup(() => pool.end());

  // Keys through the project's own code (the CLI would start a process per key).
  const keys = (await import(pathToFileURL(path.join(ROOT, 'dist', 'src', 'auth', 'keys.js')).href)) as {
    createKey(db: pg.Pool, input: { role: string; partnerSlug?: string; label?: string }): Promise<{ key: string }>;
  };
  const keyFor = async (slug: string) => (await keys.createKey(pool, { role: 'PARTNER', partnerSlug: slug, label: 'npm run bench:dispatch' })).key;
  const operatorKey = await cliKey(ROOT, db.url, ['--role', 'operator']);
  const [pullPartner] = await pickPartner(db.url);
  const pullKey = await keyFor(pullPartner!.slug);

  const server = startChild('ecograph', process.execPath, ['dist/src/main.js'], {
    cwd: ROOT,
    env: {
      ...process.env, NODE_ENV: 'production', DATABASE_URL: db.url, PORT: String(PORT), HOST: '127.0.0.1', LOG_LEVEL: 'warn',
      JOBS_ENABLED: 'true', SEED_ON_START: 'false', ECOGRAPH_SECRET: 'bench-dispatch-secret-0123456789abcdef01',
      DISPATCH_BRONZE_MONTHLY_CAP: '1000000',
      QUOTA_PARTNER_PER_MINUTE: 'unlimited', QUOTA_PARTNER_PER_DAY: 'unlimited', QUOTA_OPERATOR_PER_MINUTE: 'unlimited',
    },
    logFile: path.join(ROOT, '.data', 'bench-logs', 'dispatch-ecograph.log'),
  });
  onCleanup(async () => {
    server.child.kill('SIGTERM');
  });
  await waitReady(server, async () => (await fetch(`http://127.0.0.1:${PORT}/readyz`).catch(() => undefined))?.ok === true, 60_000);
  const cities = new Map<number, City>();
  const customerIds = await customersOf(operatorKey);
  for (const n of SIZES) cities.set(n, await makeCity(pool, n, keyFor, customerIds));

  // Every key once first: a key's first use verifies its hash (then cached), not what is measured.
  for (const city of cities.values()) for (const k of city.keys.values()) await gql(k, '{ __typename }');
  await gql(pullKey, '{ __typename }');

  const results: Record<string, unknown>[] = [];
  for (const n of SIZES) {
    for (const w of [1, WORKERS]) {
      const r = await throughput(cities.get(n)!, operatorKey, SECONDS, w);
      log(`throughput ${JSON.stringify(r)}`);
      results.push(r);
    }
  }
  const contended = await contention(cities.get(20)!, operatorKey, 20);
  log(`contention ${JSON.stringify(contended)}`);

  const pullAlone = await partnerPull(pullKey, SECONDS, 8);
  log(`partner pull alone ${JSON.stringify(pullAlone)}`);
  const [pullDuring, dispatchDuring] = await Promise.all([partnerPull(pullKey, SECONDS, 8), throughput(cities.get(20)!, operatorKey, SECONDS, 4)]);
  log(`partner pull while dispatching ${JSON.stringify(pullDuring)}; dispatch meanwhile ${JSON.stringify(dispatchDuring)}`);

  const result = {
    at: new Date().toISOString(),
    dataset: { label: datasetLabel(ORDERS), orders: ORDERS },
    throughput: results,
    contention: contended,
    partnerPull: {
      alone: pullAlone,
      whileDispatching: pullDuring,
      dispatchMeanwhile: dispatchDuring,
      addedP50Ms: r1(pullDuring.p50Ms - pullAlone.p50Ms),
      addedP99Ms: r1(pullDuring.p99Ms - pullAlone.p99Ms),
      throughputRatio: r1((pullDuring.requestsPerSecond / pullAlone.requestsPerSecond) * 100) / 100,
    },
  };
  const file = path.join(ROOT, 'bench', 'results', `${result.at.replace(/[-:]/g, '').slice(0, 15)}Z-dispatch.json`);
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  log(`written ${path.relative(ROOT, file)}`);
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => cleanupAll());
