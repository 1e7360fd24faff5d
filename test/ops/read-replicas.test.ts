// With DATABASE_READ_URLS, the API's queries go to the read pools; keys and the ledger stay on
// the primary. (The "replica" here is the same database reached through its own pool, which
// is all that can be told apart on one machine: the connection's application_name.)
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/server/logger';
import { startServer } from '../../src/server/start';
import { TEST_ADMIN_KEY, TEST_SECRET } from '../setup/constants';
import { useTestDatabase } from '../setup/database';

describe('read replicas', () => {
  it('serve the queries of GraphQL requests', async () => {
    const url = await useTestDatabase();
    const config = loadConfig({
      NODE_ENV: 'test', DATABASE_URL: url, DATABASE_READ_URLS: `${url},${url}`, PORT: '0', HOST: '127.0.0.1',
      ECOGRAPH_ADMIN_KEY: TEST_ADMIN_KEY, ECOGRAPH_SECRET: TEST_SECRET, LOG_LEVEL: 'silent', SEED_ON_START: 'false',
    });
    const running = await startServer(config, createLogger(config));
    const check = new pg.Client({ connectionString: url });
    await check.connect();
    afterAll(async () => {
      await check.end();
      await running.close();
    });
    const db = new URL(url).pathname.slice(1);
    const readers = async () =>
      (await check.query("select count(*)::int n from pg_stat_activity where datname = $1 and application_name = 'ecograph-read'", [db])).rows[0].n as number;
    expect(await readers()).toBe(0);
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${running.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_KEY}` },
        body: JSON.stringify({ query: '{ partners(first: 3) { totalCount nodes { slug } } }' }),
      });
      expect(res.status).toBe(200);
    }
    // Both replicas' pools took requests in turn and keep their connections open.
    expect(await readers()).toBeGreaterThanOrEqual(2);
  });
});
