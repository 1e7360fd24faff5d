// Graceful shutdown of the compiled server (`node dist/src/main.js`, built by `npm test`'s
// pretest): SIGTERM in the middle of a stream of partner requests. /readyz fails at once, no
// new connections are taken, the requests in flight finish with 200, the access ledger gets
// one row per answered request, and the process exits 0. Then kill -9 at random moments: no
// answer a client received is missing from the ledger (each is committed before it is sent).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../../src/auth/keys';
import { loadConfig, PROJECT_ROOT } from '../../src/config';
import { Role } from '../../src/permissions/tier';
import { createLogger } from '../../src/server/logger';
import { startServer } from '../../src/server/start';
import { TEST_ADMIN_KEY, TEST_SECRET } from '../setup/constants';
import { useTestDatabase } from '../setup/database';
import { freePort } from '../setup/ports';

const MAIN = path.join(PROJECT_ROOT, 'dist', 'src', 'main.js');
const QUERY = 'query Pull { serviceOrders(first: 20) { totalCount nodes { id amount status createdAt partner { slug } } } }';

let databaseUrl: string;
let pool: pg.Pool;
let partnerSlug: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  databaseUrl = await useTestDatabase();
  pool = new pg.Pool({ connectionString: databaseUrl, max: 3 });
  // A partner with an agreement in force today and orders of its own.
  const found = await pool.query<{ slug: string }>(`
    select p.slug from partner p
     where p.status <> 'EXITED'
       and exists (select 1 from agreement a where a.partner_id = p.id and a.valid_from <= current_date and (a.valid_to is null or a.valid_to >= current_date))
       and exists (select 1 from service_order o where o.partner_id = p.id)
     order by p.id limit 1`);
  partnerSlug = found.rows[0]!.slug;
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await pool?.end();
});


const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Child {
  proc: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function startChild(): Promise<Child> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" (npm test does it in pretest)`);
  const port = await freePort();
  const proc = spawn(process.execPath, [MAIN], {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH,
      // As deployed: some libraries (Apollo) install signal handlers outside NODE_ENV=test.
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      ECOGRAPH_ADMIN_KEY: TEST_ADMIN_KEY,
      ECOGRAPH_SECRET: TEST_SECRET,
      LOG_LEVEL: 'info',
      DRAIN_TIMEOUT_MS: '10000',
      ROLLUP_REFRESH_MS: '3600000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(proc);
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  const deadline = started + 45_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`the server exited during start-up:\n${out}`);
    try {
      if ((await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1_000) })).status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`the server did not become ready:\n${out}`);
    await sleep(100);
  }
  console.log(`server child ready in ${Date.now() - started} ms`);
  return { proc, url, output: () => out, exited };
}

type Result = { status: number } | { error: string };

/** One partner request on a keep-alive agent; errors are reported, not thrown. */
function pull(url: string, key: string, agent: http.Agent, requestId?: string): Promise<Result> {
  return new Promise((resolve) => {
    const body = JSON.stringify({ query: QUERY });
    const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${key}` };
    if (requestId) headers['x-request-id'] = requestId;
    const req = http.request(
      `${url}/graphql`,
      { method: 'POST', agent, headers },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
        res.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
      },
    );
    req.setTimeout(15_000, () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    req.end(body);
  });
}

function getStatus(url: string, agent?: http.Agent): Promise<number | string> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.setTimeout(5_000, () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

async function ledgerRows(keyId: number): Promise<number> {
  return (await pool.query<{ n: number }>('select count(*)::int as n from access_ledger where key_id = $1', [keyId])).rows[0]!.n;
}

describe('shutdown', () => {
  it('SIGTERM: readiness fails at once, requests in flight finish, the ledger is written, exit 0', async () => {
    const { id: keyId, key } = await createKey(pool, { role: Role.PARTNER, partnerSlug, label: 'shutdown test' });
    const child = await startChild();
    const agents = Array.from({ length: 4 }, () => new http.Agent({ keepAlive: true, maxSockets: 1 }));
    const results: Result[] = [];
    let inFlightAtSigterm = 0;
    let active = 0;
    let sigtermSent = false;
    const loops = agents.map(async (agent) => {
      for (;;) {
        active++;
        const r = await pull(child.url, key, agent);
        active--;
        results.push(r);
        if ('error' in r) return; // the server stopped listening: this client moves on
        if (!sigtermSent) await sleep(5);
      }
    });
    await sleep(800);
    expect(results.length).toBeGreaterThan(0);

    // Hold the requests in the database for a moment, so that some are surely in flight when
    // SIGTERM arrives.
    const probeAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    expect(await getStatus(`${child.url}/readyz`, probeAgent)).toBe(200);
    const blocker = await pool.connect();
    await blocker.query('begin');
    await blocker.query('lock table service_order in access exclusive mode');
    await sleep(300);
    const answeredBefore = results.length;
    inFlightAtSigterm = active;
    const sigtermAt = Date.now();
    sigtermSent = true;
    child.proc.kill('SIGTERM');
    await sleep(150);
    // Readiness fails at once: on a connection the server already had, /readyz says 503, and
    // a new connection is refused.
    const readyOnKeptConnection = await getStatus(`${child.url}/readyz`, probeAgent);
    const readyOnNewConnection = await getStatus(`${child.url}/readyz`);
    await sleep(700);
    await blocker.query('rollback');
    blocker.release();

    await Promise.all(loops);
    const exit = await child.exited;
    const exitMs = Date.now() - sigtermAt;
    for (const a of [...agents, probeAgent]) a.destroy();

    const answered = results.filter((r) => 'status' in r) as { status: number }[];
    const errors = results.filter((r) => 'error' in r) as { error: string }[];
    const dropped = errors.filter((e) => e.error !== 'ECONNREFUSED');
    const rows = await ledgerRows(keyId);
    console.log(
      `shutdown: ${answered.length} answered (${answered.length - answeredBefore} after SIGTERM, ${inFlightAtSigterm} in flight at SIGTERM), ` +
        `${errors.length - dropped.length} refused after close, ${dropped.length} dropped; exit ${exit.code} after ${exitMs} ms; ` +
        `ledger rows ${rows}; /readyz during drain: kept connection ${readyOnKeptConnection}, new connection ${readyOnNewConnection}`,
    );
    expect(exit, child.output().slice(-3000)).toEqual({ code: 0, signal: null });
    expect(answered.every((r) => r.status === 200), JSON.stringify(answered.filter((r) => r.status !== 200).slice(0, 5))).toBe(true);
    expect(dropped, child.output().slice(-3000)).toEqual([]);
    expect(inFlightAtSigterm).toBeGreaterThan(0);
    expect(answered.length - answeredBefore).toBeGreaterThanOrEqual(inFlightAtSigterm);
    expect(readyOnKeptConnection).toBe(503);
    expect(readyOnNewConnection).toBe('ECONNREFUSED');
    expect(rows).toBe(answered.length);
    expect(child.output()).toMatch(/"msg":"draining/);
  }, 90_000);

  it('kill -9 at a random moment, ten times over: every answer a client received has its ledger row', async () => {
    const { key } = await createKey(pool, { role: Role.PARTNER, partnerSlug, label: 'kill -9 test' });
    let total = 0;
    for (let round = 0; round < 10; round++) {
      const child = await startChild();
      const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
      const answered: string[] = [];
      let stop = false;
      let n = 0;
      const loops = Array.from({ length: 4 }, async () => {
        while (!stop) {
          const id = `kill9-${round}-${n++}`;
          const r = await pull(child.url, key, agent, id);
          if ('status' in r && r.status === 200) answered.push(id);
          if ('error' in r) return;
        }
      });
      await sleep(200 + Math.random() * 800);
      child.proc.kill('SIGKILL');
      stop = true;
      await Promise.all(loops);
      const exit = await child.exited;
      agent.destroy();
      expect(exit.signal).toBe('SIGKILL');
      const { rows } = await pool.query<{ request_id: string }>('select request_id from access_ledger where request_id = any($1)', [answered]);
      const recorded = new Set(rows.map((r) => r.request_id));
      expect(answered.filter((id) => !recorded.has(id)), `round ${round}`).toEqual([]);
      total += answered.length;
    }
    console.log(`kill -9, 10 rounds: ${total} answers received, every one with its ledger row`);
    expect(total).toBeGreaterThan(0);
  }, 180_000);

  it('a request still running at DRAIN_TIMEOUT_MS is cut, and close() goes on', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      ECOGRAPH_ADMIN_KEY: TEST_ADMIN_KEY,
      ECOGRAPH_SECRET: TEST_SECRET,
      LOG_LEVEL: 'silent',
      DRAIN_TIMEOUT_MS: '500',
      ROLLUP_REFRESH_MS: '3600000',
    });
    const running = await startServer(config, createLogger(config));
    const blocker = await pool.connect();
    try {
      await blocker.query('begin');
      await blocker.query('lock table service_order in access exclusive mode');
      const stuck = fetch(`${running.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_KEY}` },
        body: JSON.stringify({ query: QUERY }),
      }).then(
        (res) => `answered ${res.status}`,
        (err: Error) => `cut: ${err.message}`,
      );
      await sleep(200);
      const started = Date.now();
      const closing = running.close();
      const outcome = await stuck;
      const cutAfter = Date.now() - started;
      await blocker.query('rollback');
      await closing;
      console.log(`drain timeout: the stuck request was ${outcome} ${cutAfter} ms after close() began (DRAIN_TIMEOUT_MS 500)`);
      expect(outcome).toMatch(/^cut/);
      expect(cutAfter).toBeGreaterThanOrEqual(450);
      expect(cutAfter).toBeLessThan(3_000);
    } finally {
      await blocker.query('rollback').catch(() => undefined);
      blocker.release();
      await running.close();
    }
  }, 30_000);
});
