import { beforeAll, describe, expect, it } from 'vitest';
import { createKey, revokeKey } from '../../src/auth/keys';
import { Role } from '../../src/permissions/tier';
import { startTestServer, type TestServer } from '../setup/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});

const Q = '{ __typename }';

describe('authentication', () => {
  it('answers 401 with a code when the key is missing', async () => {
    const res = await server.gql(Q, undefined, null);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
    expect(res.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.body.errors?.[0].message).toMatch(/Authorization: Bearer/);
  });

  it('answers 401 for a malformed header and an unknown key', async () => {
    const malformed = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Basic abc' },
      body: JSON.stringify({ query: Q }),
    });
    expect(malformed.status).toBe(401);
    const unknown = await server.gql(Q, undefined, 'eco_not-a-real-key');
    expect(unknown.status).toBe(401);
    expect(unknown.body.errors?.[0].extensions?.code).toBe('INVALID_KEY');
  });

  it('accepts ECOGRAPH_ADMIN_KEY and stored keys, and refuses a revoked key on the next request', async () => {
    expect((await server.gql(Q)).status).toBe(200);
    const { id, key } = await createKey(server.pool, { role: Role.ADMIN, label: 'test' });
    const before = await server.gql('{ partners(first: 1) { totalCount } }', undefined, key);
    expect(before.status).toBe(200);
    expect(await revokeKey(server.pool, id)).toBe(true);
    const after = await server.gql(Q, undefined, key);
    expect(after.status).toBe(401);
    expect(after.body.errors?.[0].extensions?.code).toBe('KEY_REVOKED');
  });

  it('refuses an expired key', async () => {
    const { id, key } = await createKey(server.pool, { role: Role.ANALYST, expiresAt: new Date(Date.now() + 60_000) });
    await server.pool.query("update api_key set expires_at = now() - interval '1 second' where id = $1", [id]);
    const res = await server.gql(Q, undefined, key);
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0].extensions?.code).toBe('KEY_EXPIRED');
  });

  it('stores only a hash of the key', async () => {
    const { id, key } = await createKey(server.pool, { role: Role.DASHBOARD });
    const row = (await server.pool.query('select * from api_key where id = $1', [id])).rows[0];
    expect(JSON.stringify(row)).not.toContain(key.slice(12));
  });
});

describe('health', () => {
  it('answers /healthz and /readyz', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });
});
