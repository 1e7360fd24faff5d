// The GraphQL-over-HTTP conformance audit (graphql-http's serverAudits) against the running
// server: no MUST may fail, and no SHOULD either. Of the MAYs, GET requests without a preflight
// header are refused on purpose (CSRF prevention: a GET must carry apollo-require-preflight or
// a non-simple content type), which the audit's three GET notices report.
import { serverAudits } from 'graphql-http';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_KEY } from '../setup/constants';
import { startTestServer, type TestServer } from '../setup/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});

describe('GraphQL over HTTP', () => {
  it('passes the graphql-http audit: every MUST and every SHOULD; GETs need a preflight header', async () => {
    const fetchFn = (input: Parameters<typeof fetch>[0], init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${TEST_ADMIN_KEY}`);
      return fetch(input, { ...init, headers });
    };
    const results = await Promise.all(serverAudits({ url: `${server.url}/graphql`, fetchFn }).map((a) => a.fn()));
    const failed = results.filter((r) => r.status !== 'ok').map((r) => `${r.status} ${r.id} ${r.name}: ${'reason' in r ? r.reason : ''}`);
    console.log(`graphql-http audit: ${results.length} audits, ${results.length - failed.length} pass${failed.length ? `\n${failed.join('\n')}` : ''}`);
    expect(results.filter((r) => r.status === 'error').map((r) => r.name)).toEqual([]);
    expect(results.filter((r) => r.status === 'warn').map((r) => r.name)).toEqual([]);
    expect(results.filter((r) => r.status === 'notice').map((r) => r.id).sort()).toEqual(['5A70', '6A70', 'D6D5']);
  });
});
