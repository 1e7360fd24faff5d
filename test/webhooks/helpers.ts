// What the webhook tests share: a receiver on 127.0.0.1 that answers as told, a server that can
// be stopped and started again on the same database (with its log lines kept), and polling.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll } from 'vitest';
import { loadConfig, type Config } from '../../src/config';
import { createLogger } from '../../src/server/logger';
import { startServer, type RunningServer } from '../../src/server/start';
import { TEST_ADMIN_KEY, TEST_SECRET } from '../setup/constants';
import { useTestDatabase } from '../setup/database';
import type { GqlResponse } from '../setup/server';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` returns something truthy (or fails after timeoutMs with the last value). */
export async function waitFor<T>(what: string, check: () => Promise<T> | T, timeoutMs = 30_000, everyMs = 150): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  let last: T;
  for (;;) {
    last = await check();
    if (last) return last as NonNullable<T>;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
    await sleep(everyMs);
  }
}

export interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The status answered. */
  status: number;
  at: number;
}

export interface Receiver {
  url: string;
  requests: Received[];
  /** The status to answer this request with (default 200). */
  respond: (req: { headers: http.IncomingHttpHeaders; body: string }, received: Received[]) => number;
  /** How long to wait before answering. */
  delayMs: number;
  /** Requests that arrived, answered or not yet. */
  arrived: number;
  /** The most requests it was answering at once. */
  maxInFlight: number;
  /** The payloads of the requests answered 2xx, parsed. */
  delivered(): { id: string; type: string; data: { type: string; op: string; id: string; cursor: string; resync: boolean; node: Record<string, unknown> | null } }[];
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 with a random port: records every request, answers with `respond`. */
export async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = {
    url: '',
    requests: [],
    respond: () => 200,
    delayMs: 0,
    arrived: 0,
    maxInFlight: 0,
    delivered: () => receiver.requests.filter((r) => r.status < 300).map((r) => ({ id: String(r.headers['webhook-id']), ...JSON.parse(r.body) })),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  let inFlight = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      receiver.arrived++;
      inFlight++;
      receiver.maxInFlight = Math.max(receiver.maxInFlight, inFlight);
      const status = receiver.respond({ headers: req.headers, body }, receiver.requests);
      const answer = () => {
        inFlight--;
        receiver.requests.push({ headers: req.headers, body, status, at: Date.now() });
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status >= 300 ? `status ${status} as told` : 'ok');
      };
      if (receiver.delayMs > 0) setTimeout(answer, receiver.delayMs);
      else answer();
    });
  });
  server.keepAliveTimeout = 100;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  afterAll(() => receiver.close());
  return receiver;
}

/** Answers `status` the first `n` times each message (webhook-id) arrives, then 200. */
export function failEachMessage(n: number, status = 500): Receiver['respond'] {
  return (req, received) => (received.filter((r) => r.headers['webhook-id'] === req.headers['webhook-id']).length < n ? status : 200);
}

export interface WebhookServer {
  url: string;
  databaseUrl: string;
  config: Config;
  pool: pg.Pool;
  /** The server's JSON log lines, parsed. */
  logs: Record<string, unknown>[];
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, key?: string): Promise<GqlResponse<T>>;
  /** Stops this server (graceful: requests and jobs in flight finish). */
  close(): Promise<void>;
}

export const WEBHOOK_ENV = {
  JOBS_ENABLED: 'true',
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  WEBHOOK_DISABLE_MIN_FAILING_HOURS: '0',
  WEBHOOK_TIMEOUT_MS: '3000',
};

/** A server with jobs on `databaseUrl` (default: a fresh copy of the seeded database). */
export async function startWebhookServer(env: Record<string, string> = {}, databaseUrl?: string): Promise<WebhookServer> {
  const dbUrl = databaseUrl ?? (await useTestDatabase());
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: dbUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    ECOGRAPH_ADMIN_KEY: TEST_ADMIN_KEY,
    ECOGRAPH_SECRET: TEST_SECRET,
    LOG_LEVEL: 'info',
    ...WEBHOOK_ENV,
    ...env,
  });
  const logs: Record<string, unknown>[] = [];
  const running: RunningServer = await startServer(config, createLogger(config, { write: (line: string) => void logs.push(JSON.parse(line)) }));
  const pool = new pg.Pool({ connectionString: dbUrl, max: 2 });
  let closed: Promise<void> | undefined;
  const close = () => (closed ??= (async () => {
    await running.close();
    await pool.end();
  })());
  afterAll(close);
  return {
    url: running.url,
    databaseUrl: dbUrl,
    config,
    pool,
    logs,
    close,
    async gql(query, variables, key = TEST_ADMIN_KEY) {
      const res = await fetch(`${running.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, headers: res.headers, body: (await res.json()) as GqlResponse['body'], statements: -1 } as GqlResponse<any>;
    },
  };
}

export const CREATE = `mutation($i: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $i) { secret webhookEndpoint { id url status eventTypes version } } }`;

/** Registers an endpoint as `key`; returns its id and secret (fails the test on errors). */
export async function register(server: Pick<WebhookServer, 'gql'>, key: string, input: Record<string, unknown>): Promise<{ id: string; secret: string; version: number }> {
  const res = await server.gql(CREATE, { i: input }, key);
  if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
  const p = res.body.data!.createWebhookEndpoint;
  return { id: p.webhookEndpoint.id, secret: p.secret, version: p.webhookEndpoint.version };
}
