// No acknowledged write is lost, and no retry writes twice:
// 1. PostgreSQL is stopped under a bounded write load and started again: during the outage
//    writes get 503 DATABASE_UNAVAILABLE with Retry-After (never another 5xx, never a hang);
//    each client retries with the same Idempotency-Key until it gets an answer; afterwards
//    every write answered 200 is in the database exactly once, with exactly one ledger record,
//    and nothing half-done (a row without its record, or the reverse) is left.
// 2. The server process (`node dist/src/main.js`, built by `npm test`'s pretest) is killed
//    with SIGKILL at a random moment of a write load, three times: every write answered 200
//    is in the database; the writes whose answer was lost are retried against a fresh process
//    with the same key and end up written exactly once.
// Runs on a throwaway embedded PostgreSQL of its own, so stopping it disturbs nobody.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../../src/auth/keys';
import { loadConfig, PROJECT_ROOT } from '../../src/config';
import { migrate } from '../../src/db/database';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded-postgres';
import { ormConfig } from '../../src/db/orm.config';
import { Role } from '../../src/permissions/tier';
import { createLogger } from '../../src/server/logger';
import { startServer, type RunningServer } from '../../src/server/start';
import { seedDatabase } from '../../seeds/seed';
import { TEST_ADMIN_KEY, TEST_SECRET } from '../setup/constants';
import { freePort } from '../setup/ports';

const RETRY_AFTER = 1;
const OUTAGE_MS = 2_500;
const REQUEST_TIMEOUT_MS = 8_000;
const MAIN = path.join(PROJECT_ROOT, 'dist', 'src', 'main.js');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let dataDir: string;
let port: number;
let database: EmbeddedPostgres | undefined;
let running: RunningServer | undefined;
let partnerKey: string;
let check: pg.Pool;
const children: ChildProcess[] = [];

const env = () => ({
  NODE_ENV: 'test',
  DATABASE_URL: database!.url,
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'silent',
  ECOGRAPH_ADMIN_KEY: TEST_ADMIN_KEY,
  ECOGRAPH_SECRET: TEST_SECRET,
  RETRY_AFTER_SECONDS: String(RETRY_AFTER),
  DB_CONNECT_TIMEOUT_MS: '1500',
  ROLLUP_REFRESH_MS: '3600000',
  SEED_ON_START: 'false',
  JOBS_ENABLED: 'false',
});

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'ecograph-writes-'));
  chmodSync(dataDir, 0o755);
  port = await freePort();
  database = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'pg'), port, database: 'ecograph' });
  const config = loadConfig(env());
  const orm = await MikroORM.init(ormConfig(database.url, config));
  await migrate(orm);
  await orm.close(true);
  await seedDatabase(database.url, { orders: 300 });
  const pool = new pg.Pool({ connectionString: database.url, max: 1 });
  const slug = (await pool.query<{ slug: string }>(`select slug from partner where status = 'ACTIVE' order by id limit 1`)).rows[0]!.slug;
  partnerKey = (await createKey(pool, { role: Role.PARTNER, partnerSlug: slug })).key;
  await pool.end();
}, 120_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await check?.end();
  await running?.close();
  await database?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const MUTATION = 'mutation($i: UpsertServicePointInput!) { upsertServicePoint(input: $i) { servicePoint { id name } } }';

interface Attempt {
  status: number | 'hung' | 'error';
  code?: string;
  retryAfter?: string | null;
}

async function write(url: string, name: string): Promise<Attempt> {
  try {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${partnerKey}`, 'idempotency-key': name },
      body: JSON.stringify({ query: MUTATION, variables: { i: { name, city: 'Wuhan', district: 'Jianghan', latitude: '30.6', longitude: '114.3', openingHours: '24h' } } }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const body = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
    return { status: res.status, code: body.errors?.[0]?.extensions?.code, retryAfter: res.headers.get('retry-after') };
  } catch (err) {
    return { status: (err as Error).name === 'TimeoutError' ? 'hung' : 'error' };
  }
}

/** Rows and ledger records per written name. */
async function stored(prefix: string): Promise<{ rows: Map<string, number>; records: Map<string, number> }> {
  if (!check) {
    check = new pg.Pool({ connectionString: database!.url, max: 1 });
    // Its idle connection dies with the database this test stops: expected, not a crash.
    check.on('error', () => undefined);
  }
  const rows = await check.query<{ name: string; n: number }>(`select name, count(*)::int as n from service_point where name like $1 group by name`, [`${prefix}%`]);
  const records = await check.query<{ name: string; n: number }>(
    `select c->'after'->>'name' as name, count(*)::int as n from access_ledger, jsonb_array_elements(changes) c
      where mutation = 'upsertServicePoint' and c->'after'->>'name' like $1 group by 1`,
    [`${prefix}%`],
  );
  return { rows: new Map(rows.rows.map((r) => [r.name, r.n])), records: new Map(records.rows.map((r) => [r.name, r.n])) };
}

describe('writes across a database outage', () => {
  it('are answered 503 + Retry-After while it is down, and every acknowledged one is stored exactly once', async () => {
    running = await startServer(loadConfig(env()), createLogger(loadConfig(env())));
    const attempts: Attempt[] = [];
    const acknowledged = new Set<string>();
    const tried = new Set<string>();
    let stop = false;
    let outageOver = Infinity;
    const loops = Array.from({ length: 4 }, async (_, w) => {
      for (let n = 0; !stop; n++) {
        const name = `outage-${w}-${n}`;
        tried.add(name);
        // The client's side of the contract: retry the same request with the same key until answered.
        for (;;) {
          const a = await write(running!.url, name);
          attempts.push(a);
          if (a.status === 200) {
            acknowledged.add(name);
            break;
          }
          if (Date.now() > outageOver + 10_000) break;
          await sleep(a.status === 503 ? 200 : 50);
        }
        await sleep(10);
      }
    });
    await sleep(700);
    await database!.stop();
    await sleep(OUTAGE_MS);
    database = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'pg'), port, database: 'ecograph' });
    outageOver = Date.now();
    await sleep(3_000);
    stop = true;
    await Promise.all(loops);

    const by = attempts.reduce<Record<string, number>>((m, a) => ((m[`${a.status}${a.code ? ` ${a.code}` : ''}`] = (m[`${a.status}${a.code ? ` ${a.code}` : ''}`] ?? 0) + 1), m), {});
    console.log(`writes across an outage: ${tried.size} writes, ${acknowledged.size} acknowledged, attempts ${JSON.stringify(by)}`);
    // Only answers a client can act on: 200, or 503/504 with Retry-After.
    const bad = attempts.filter((a) => a.status !== 200 && a.status !== 503 && a.status !== 504);
    expect(bad, JSON.stringify(bad.slice(0, 5))).toEqual([]);
    for (const a of attempts.filter((x) => x.status === 503)) {
      expect(a.code).toBe('DATABASE_UNAVAILABLE');
      expect(a.retryAfter).toBe(String(RETRY_AFTER));
    }
    expect(attempts.filter((a) => a.status === 503).length).toBeGreaterThan(0);
    expect(acknowledged.size).toBeGreaterThan(20);

    const { rows, records } = await stored('outage-');
    for (const name of acknowledged) {
      expect(rows.get(name), name).toBe(1);
      expect(records.get(name), name).toBe(1);
    }
    // Nothing half-done, nothing doubled, even for the writes still unanswered at the end.
    for (const [name, n] of rows) {
      expect(n, name).toBe(1);
      expect(records.get(name), name).toBe(1);
    }
    for (const name of records.keys()) expect(rows.has(name), name).toBe(true);
  }, 60_000);
});

async function startChild(): Promise<{ proc: ChildProcess; url: string }> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" (npm test does it in pretest)`);
  const childPort = await freePort();
  const proc = spawn(process.execPath, [MAIN], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH, ...env(), NODE_ENV: 'production', PORT: String(childPort) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(proc);
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  const url = `http://127.0.0.1:${childPort}`;
  const deadline = Date.now() + 45_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`the server exited during start-up:\n${err}`);
    try {
      if ((await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1_000) })).status === 200) return { proc, url };
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`the server did not become ready:\n${err}`);
    await sleep(100);
  }
}

describe('writes across kill -9 of the server', () => {
  it('keep every acknowledged write, and a retry with the same key writes the lost ones exactly once', async () => {
    await running?.close();
    running = undefined;
    const acknowledged = new Set<string>();
    const unanswered = new Set<string>();
    for (let round = 0; round < 3; round++) {
      const child = await startChild();
      let stop = false;
      const loops = Array.from({ length: 4 }, async (_, w) => {
        for (let n = 0; !stop; n++) {
          const name = `kill-${round}-${w}-${n}`;
          const a = await write(child.url, name);
          if (a.status === 200) acknowledged.add(name);
          else unanswered.add(name);
          if (a.status === 'error' || a.status === 'hung') return;
        }
      });
      await sleep(300 + Math.floor(Math.random() * 900));
      child.proc.kill('SIGKILL');
      stop = true;
      await Promise.all(loops);
      await new Promise((r) => (child.proc.exitCode !== null || child.proc.signalCode !== null ? r(null) : child.proc.once('exit', r)));
    }
    const before = await stored('kill-');
    console.log(`writes across kill -9: ${acknowledged.size} acknowledged, ${unanswered.size} unanswered (${[...unanswered].filter((n) => before.rows.has(n)).length} of them committed)`);
    expect(acknowledged.size).toBeGreaterThan(30);
    for (const name of acknowledged) {
      expect(before.rows.get(name), name).toBe(1);
      expect(before.records.get(name), name).toBe(1);
    }
    // The client retries what it got no answer for, with the same key, on a fresh process.
    const child = await startChild();
    for (const name of unanswered) expect((await write(child.url, name)).status, name).toBe(200);
    child.proc.kill('SIGKILL');
    const after = await stored('kill-');
    for (const name of [...acknowledged, ...unanswered]) {
      expect(after.rows.get(name), name).toBe(1);
      expect(after.records.get(name), name).toBe(1);
    }
  }, 120_000);
});
