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
import pg from 'pg';
import { createKey as cliKey, datasetLabel, loadDataset, openBenchDatabase, pickPartner } from './lib/database';
import { ACCEPT, COMPLETE, customersOf, gql as gqlAt, makeCity, OPEN, openInput, partnerKeyMaker, type City } from './lib/dispatch-city';
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

const stats = (xs: number[]) => ({ n: xs.length, p50Ms: r1(pct(xs, 50)), p99Ms: r1(pct(xs, 99)) });
const gql = (key: string, query: string, variables: Record<string, unknown> = {}) => gqlAt(PORT, key, query, variables);

async function timed<T>(out: number[], fn: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const v = await fn();
  out.push(performance.now() - t);
  return v;
}

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
      const o = await timed(open, () => gql(operatorKey, OPEN, openInput(city, c++)));
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
    const o = await gql(operatorKey, OPEN, openInput(city, i));
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

  const keyFor = await partnerKeyMaker(ROOT, pool, 'npm run bench:dispatch');
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
  const customerIds = await customersOf(PORT, operatorKey);
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
