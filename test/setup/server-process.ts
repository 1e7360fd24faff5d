// The compiled server (dist/src/main.js) in a process of its own, for tests that need several
// servers side by side (replicas sharing Redis, a standby): ready once /readyz says so, stopped
// with SIGTERM (then SIGKILL), its output kept for error messages.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { PROJECT_ROOT } from '../../src/config';
import { TEST_ADMIN_KEY, TEST_SECRET } from './constants';
import { freePort } from './ports';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const MAIN = path.join(PROJECT_ROOT, 'dist', 'src', 'main.js');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A connected Redis at REDIS_URL, or undefined when none answers within a second. */
export async function redisReachable(): Promise<Redis | undefined> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 1_000, maxRetriesPerRequest: 0, retryStrategy: () => null, protocol: 2 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch {
    redis.disconnect();
    return undefined;
  }
}

export interface ServerAnswer {
  status: number;
  headers: Headers;
  body: { data?: Record<string, any> | null; errors?: { message: string; extensions?: { code?: string } }[] };
}

export interface ServerProcess {
  name: string;
  proc: ChildProcess;
  url: string;
  output: () => string;
  gql(query: string, key: string, variables?: Record<string, unknown>): Promise<ServerAnswer>;
}

export async function startServerProcess(name: string, env: Record<string, string>, readyTimeoutMs = 30_000): Promise<ServerProcess> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" (npm test does it in pretest)`);
  const port = await freePort();
  const proc = spawn(process.execPath, [MAIN], {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      ECOGRAPH_ADMIN_KEY: TEST_ADMIN_KEY,
      ECOGRAPH_SECRET: TEST_SECRET,
      SEED_ON_START: 'false',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${name} exited with ${proc.exitCode}:\n${out}`);
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`${name} did not become ready:\n${out}`);
    await sleep(100);
  }
  return {
    name,
    proc,
    url,
    output: () => out,
    async gql(query, key, variables) {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, headers: res.headers, body: (await res.json()) as ServerAnswer['body'] };
    },
  };
}

export async function stopServerProcess(s: ServerProcess): Promise<void> {
  if (s.proc.exitCode !== null || s.proc.signalCode !== null) return;
  const exited = new Promise((resolve) => s.proc.once('exit', resolve));
  s.proc.kill('SIGTERM');
  await Promise.race([exited, sleep(5_000)]);
  if (s.proc.exitCode === null && s.proc.signalCode === null) s.proc.kill('SIGKILL');
}
