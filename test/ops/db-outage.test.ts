// The database goes away under load and comes back: requests get 503 DATABASE_UNAVAILABLE with
// Retry-After (or 504 DATABASE_TIMEOUT), never another 5xx and never a hang; /readyz fails
// while /healthz stays up; the pool reconnects by itself and normal answers resume within 5 s.
// Runs on a throwaway embedded PostgreSQL of its own, so stopping it disturbs nobody.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../../src/auth/keys';
import { loadConfig } from '../../src/config';
import { migrate } from '../../src/db/database';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded-postgres';
import { ormConfig } from '../../src/db/orm.config';
import { Role } from '../../src/permissions/tier';
import { createLogger } from '../../src/server/logger';
import { startServer, type RunningServer } from '../../src/server/start';
import { seedDatabase } from '../../seeds/seed';
import { TEST_ADMIN_KEY, TEST_SECRET } from '../setup/constants';
import { startTestServer } from '../setup/server';
import { freePort } from '../setup/ports';

const RETRY_AFTER = 2;
const OUTAGE_MS = 3_000;
const REQUEST_TIMEOUT_MS = 5_000;


const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let dataDir: string;
let port: number;
let database: EmbeddedPostgres | undefined;
let running: RunningServer | undefined;
let analystKey: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'ecograph-outage-'));
  chmodSync(dataDir, 0o755);
  port = await freePort();
  database = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'pg'), port, database: 'ecograph' });
  const env = {
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    ECOGRAPH_ADMIN_KEY: TEST_ADMIN_KEY,
    ECOGRAPH_SECRET: TEST_SECRET,
    RETRY_AFTER_SECONDS: String(RETRY_AFTER),
    DB_CONNECT_TIMEOUT_MS: '2000',
    JOBS_ENABLED: 'false',
  };
  const config = loadConfig(env);
  const orm = await MikroORM.init(ormConfig(database.url, config));
  await migrate(orm);
  await orm.close(true);
  await seedDatabase(database.url, { orders: 500 });
  running = await startServer(config, createLogger(config));
  const pool = new pg.Pool({ connectionString: database.url, max: 1 });
  analystKey = (await createKey(pool, { role: Role.ANALYST })).key;
  await pool.end();
}, 120_000);

afterAll(async () => {
  await running?.close();
  await database?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

interface Outcome {
  at: number;
  ms: number;
  status: number | 'hung' | 'error';
  code?: string;
  retryAfter?: string | null;
  detail?: string;
}

const QUERY = '{ partners(first: 5, orderBy: [{ slug: ASC }]) { totalCount nodes { slug settlements(first: 1) { nodes { month } } } } }';

async function ask(key: string): Promise<Outcome> {
  const at = Date.now();
  try {
    const res = await fetch(`${running!.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: QUERY }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const body = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
    return { at, ms: Date.now() - at, status: res.status, code: body.errors?.[0]?.extensions?.code, retryAfter: res.headers.get('retry-after') };
  } catch (err) {
    const e = err as Error;
    return { at, ms: Date.now() - at, status: e.name === 'TimeoutError' ? 'hung' : 'error', detail: `${e.name}: ${e.message} ${String((e as { cause?: unknown }).cause ?? '')}` };
  }
}

const probe = async (p: string) => (await fetch(`${running!.url}${p}`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })).status;

describe('database outage', () => {
  it('answers 503 while the database is down and recovers by itself', async () => {
    const outcomes: Outcome[] = [];
    let stop = false;
    const loops = Array.from({ length: 4 }, async (_, i) => {
      const key = i % 2 === 0 ? TEST_ADMIN_KEY : analystKey; // analyst keys are looked up in the database
      while (!stop) {
        outcomes.push(await ask(key));
        await sleep(10);
      }
    });

    await sleep(800);
    expect(await probe('/readyz')).toBe(200);

    const downAt = Date.now();
    await database!.stop();
    const stoppedAt = Date.now();
    await sleep(300);
    const readyDuring = await probe('/readyz');
    const healthDuring = await probe('/healthz');
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - downAt)));

    const restartAt = Date.now();
    database = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'pg'), port, database: 'ecograph' });
    const upAt = Date.now();
    let firstOk: number | undefined;
    while (Date.now() - upAt < 6_000) {
      const o = await ask(TEST_ADMIN_KEY);
      outcomes.push(o);
      if (o.status === 200) {
        firstOk = Date.now();
        break;
      }
      await sleep(50);
    }
    let readyAfter = 0;
    for (let t = Date.now(); Date.now() - t < 5_000; await sleep(100)) {
      readyAfter = await probe('/readyz');
      if (readyAfter === 200) break;
    }
    await sleep(1_000);
    stop = true;
    await Promise.all(loops);

    // The first normal answer of any loop after the restart began (the database may accept
    // connections before startEmbeddedPostgres returns).
    const firstAnswer = outcomes.filter((o) => o.at >= restartAt && o.status === 200).map((o) => o.at + o.ms).sort((a, b) => a - b)[0];
    if (firstAnswer !== undefined) firstOk = Math.min(firstOk ?? Infinity, firstAnswer);
    const after = outcomes.filter((o) => o.at >= (firstOk ?? Infinity) + 200);
    const during = outcomes.filter((o) => o.at >= stoppedAt && o.at < restartAt);
    const count = (xs: Outcome[]) => Object.entries(xs.reduce<Record<string, number>>((m, o) => ((m[`${o.status}${o.code ? ` ${o.code}` : ''}`] = (m[`${o.status}${o.code ? ` ${o.code}` : ''}`] ?? 0) + 1), m), {}));
    const recoveryMs = firstOk === undefined ? undefined : Math.max(0, firstOk - upAt);
    console.log(
      `database outage: stop took ${stoppedAt - downAt} ms, down ${restartAt - downAt} ms, restart took ${upAt - restartAt} ms; ` +
        `recovery: first 200 ${recoveryMs} ms after the restart returned (${firstOk === undefined ? '-' : firstOk - restartAt} ms after it began); ` +
        `${outcomes.length} requests: ${JSON.stringify(count(outcomes))}; during the outage: ${JSON.stringify(count(during))}; ` +
        `slowest ${Math.max(...outcomes.map((o) => o.ms))} ms`,
    );

    // No hang, no dropped connection, no 5xx but 503/504.
    const bad = outcomes.filter((o) => typeof o.status !== 'number' || (o.status >= 500 && o.status !== 503 && o.status !== 504) || (o.status !== 200 && o.status < 500));
    expect(bad, JSON.stringify(bad.slice(0, 5))).toEqual([]);
    // Every refusal says why and when to come back. A partner request whose data was read just
    // before the stop but whose ledger entry could not be committed is refused as unrecorded.
    for (const o of outcomes.filter((x) => x.status === 503 || x.status === 504)) {
      expect(o.status === 503 ? ['DATABASE_UNAVAILABLE', 'LEDGER_UNAVAILABLE'] : ['DATABASE_TIMEOUT']).toContain(o.code);
      expect(o.retryAfter).toBe(String(RETRY_AFTER));
    }
    // The outage was seen, by requests authenticated from the environment and from the database.
    expect(during.filter((o) => o.status === 503).length).toBeGreaterThan(0);
    expect(during.every((o) => o.status === 503 || o.status === 504)).toBe(true);
    expect(readyDuring).toBe(503);
    expect(healthDuring).toBe(200);
    // Back within 5 s, without a restart of the server.
    expect(recoveryMs).toBeDefined();
    expect(recoveryMs!).toBeLessThan(5_000);
    expect(readyAfter).toBe(200);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((o) => o.status === 200)).toBe(true);
    // The access-ledger entries queued during the outage are written once it is over.
    await running!.ledger.flush();
    expect(running!.ledger.depth).toBe(0);
  }, 30_000);
});

describe('pool and statement timeouts', () => {
  it('a statement cut by statement_timeout is a 504, a connection not had in time a 503', async () => {
    const server = await startTestServer({ DB_POOL_MAX: '1', DB_CONNECT_TIMEOUT_MS: '300', DB_STATEMENT_TIMEOUT_MS: '1000', ROLLUP_REFRESH_MS: '3600000' });
    const post = async () => {
      const res = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_KEY}` },
        body: JSON.stringify({ query: '{ partners(first: 1) { totalCount } }' }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const body = (await res.json()) as { errors?: { extensions?: { code?: string }; message: string }[] };
      return { status: res.status, code: body.errors?.[0]?.extensions?.code, message: body.errors?.[0]?.message, retryAfter: res.headers.get('retry-after') };
    };
    // Hold a lock that makes every read of partner wait; the server's one connection waits on it.
    const blocker = await server.pool.connect();
    try {
      await blocker.query('begin');
      await blocker.query('lock table partner in access exclusive mode');
      const slow = post();
      await sleep(100);
      const queued = await post();
      expect(queued).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE', retryAfter: '5' });
      expect(queued.message).toMatch(/Retry-After/);
      expect(await slow).toMatchObject({ status: 504, code: 'DATABASE_TIMEOUT', retryAfter: '5' });
    } finally {
      await blocker.query('rollback');
      blocker.release();
    }
    expect((await post()).status).toBe(200);
  });
});
