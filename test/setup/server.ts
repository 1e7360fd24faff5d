// An Ecograph server in this process, on its own copy of the seeded database.
import { afterAll } from 'vitest';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config';
import { createLogger } from '../../src/server/logger';
import { startServer } from '../../src/server/start';
import { TEST_ADMIN_KEY, TEST_SECRET } from './constants';
import { useTestDatabase } from './database';

export interface GqlResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: { data?: T | null; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] };
  statements: number;
}

export interface TestServer {
  url: string;
  databaseUrl: string;
  config: Config;
  pool: pg.Pool;
  /** Writes the queued access-ledger entries now. */
  flushLedger(): Promise<void>;
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, key?: string | null): Promise<GqlResponse<T>>;
}

export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const databaseUrl = await useTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    ECOGRAPH_ADMIN_KEY: TEST_ADMIN_KEY,
    ECOGRAPH_SECRET: TEST_SECRET,
    LOG_LEVEL: 'silent',
    // Scheduled jobs are tested on their own (test/jobs); other tests need no worker.
    JOBS_ENABLED: 'false',
    ...env,
  });
  const running = await startServer(config, createLogger(config));
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  afterAll(async () => {
    await pool.end();
    await running.close();
  });
  return {
    url: running.url,
    databaseUrl,
    config,
    pool,
    flushLedger: () => running.ledger.flush(),
    async gql(query, variables, key = TEST_ADMIN_KEY) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (key !== null) headers.authorization = `Bearer ${key}`;
      const res = await fetch(`${running.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
      return {
        status: res.status,
        headers: res.headers,
        body: (await res.json()) as GqlResponse['body'],
        statements: Number(res.headers.get('x-sql-statements') ?? -1),
      } as GqlResponse<any>;
    },
  };
}
