// Where webhooks may go: private, loopback, link-local and CGNAT targets are refused unless
// allowed, unspecified and multicast ones always; the operator's host allow-list; the check at
// registration (WEBHOOK_TARGET_FORBIDDEN on input.url) and again on the connection of every
// attempt (a name resolving inward is refused before any byte is sent).
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { postWebhook } from '../../src/webhooks/send';
import { addressRefusal, checkEndpointUrl, hostAllowed, parseEndpointUrl, TargetForbidden } from '../../src/webhooks/url-policy';
import { createActors, type Actors } from '../setup/actors';
import { startTestServer, type TestServer } from '../setup/server';
import { CREATE, startReceiver, type Receiver } from './helpers';

const closed = { allowPrivateTargets: false, allowedHosts: [] as string[] };
const open = { allowPrivateTargets: true, allowedHosts: [] as string[] };

describe('addresses', () => {
  const internal = ['127.0.0.1', '127.8.9.10', '::1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', 'fd12:3456::1', 'fc00::1',
    '169.254.169.254', 'fe80::1', '100.64.0.1', '100.127.255.254', '198.18.0.1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '64:ff9b::a9fe:a9fe', '2002:a00:1::1'];
  const never = ['0.0.0.0', '0.1.2.3', '::', '224.0.0.1', '239.255.255.250', 'ff02::1', '255.255.255.255', '240.0.0.1', '192.0.2.10', '2001:db8::1', '::ffff:0.0.0.0'];
  const publicOnes = ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '11.0.0.1', '192.169.0.1'];

  it.each(internal)('%s is refused unless private targets are allowed', (a) => {
    expect(addressRefusal(a, closed)).toMatch(/loopback|private|link-local|CGNAT/);
    expect(addressRefusal(a, open)).toBeUndefined();
  });

  it.each(never)('%s is always refused', (a) => {
    expect(addressRefusal(a, closed)).toMatch(/unspecified|multicast|reserved/);
    expect(addressRefusal(a, open)).toMatch(/unspecified|multicast|reserved/);
  });

  it.each(publicOnes)('%s is a public address', (a) => {
    expect(addressRefusal(a, closed)).toBeUndefined();
  });
});

describe('URLs and hosts', () => {
  it('take http(s) URLs without credentials or fragment', () => {
    expect(parseEndpointUrl('https://hooks.example.com/x?y=1', closed).hostname).toBe('hooks.example.com');
    for (const bad of ['ftp://example.com/', 'file:///etc/passwd', 'gopher://example.com', 'https://user:pw@example.com/', 'https://example.com/#x', 'not a url', `https://example.com/${'a'.repeat(2_001)}`]) {
      expect(() => parseEndpointUrl(bad, closed), bad).toThrow(TargetForbidden);
    }
  });

  it('keep to the operator’s allow-list when there is one', () => {
    const list = ['hooks.example.com', '*.partner.cn'];
    expect(hostAllowed('hooks.example.com', list)).toBe(true);
    expect(hostAllowed('HOOKS.example.com.', list)).toBe(true);
    expect(hostAllowed('a.partner.cn', list)).toBe(true);
    expect(hostAllowed('a.b.partner.cn', list)).toBe(true);
    expect(hostAllowed('partner.cn', list)).toBe(false);
    expect(hostAllowed('evilpartner.cn', list)).toBe(false);
    expect(hostAllowed('other.example.com', list)).toBe(false);
    expect(hostAllowed('anything.example', [])).toBe(true);
    expect(() => parseEndpointUrl('https://other.example.com/', { allowPrivateTargets: true, allowedHosts: list })).toThrow(/not among the hosts/);
    expect(loadConfig({ WEBHOOK_ALLOWED_HOSTS: 'Hooks.Example.com, *.partner.cn' }).webhooks.allowedHosts).toEqual(['hooks.example.com', '*.partner.cn']);
    expect(() => loadConfig({ WEBHOOK_ALLOWED_HOSTS: 'https://x.com/' })).toThrow(/WEBHOOK_ALLOWED_HOSTS/);
  });

  it('resolve names and refuse one that resolves inward (localhost), unless allowed', async () => {
    await expect(checkEndpointUrl('http://localhost:9/x', closed)).rejects.toThrow(/localhost resolves to .*loopback/);
    await expect(checkEndpointUrl('http://localhost:9/x', open)).resolves.toBeInstanceOf(URL);
    await expect(checkEndpointUrl('http://[::1]:9/x', closed)).rejects.toThrow(/loopback/);
    await expect(checkEndpointUrl('http://169.254.169.254/latest/meta-data', closed)).rejects.toThrow(/link-local/);
    await expect(checkEndpointUrl('http://0.0.0.0:9/', open)).rejects.toThrow(/unspecified/);
    await expect(checkEndpointUrl('http://no-such-host.invalid/', closed)).rejects.toThrow(/does not resolve/);
  });
});

describe('every attempt', () => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  const port = () => new URL(receiver.url).port;

  it('connects only to allowed addresses: a name resolving to loopback is refused before anything is sent', async () => {
    const before = receiver.requests.length;
    const refused = await postWebhook(`http://localhost:${port()}/hooks`, { 'content-type': 'application/json' }, '{}', { timeoutMs: 2_000, policy: closed });
    expect(refused).toMatchObject({ ok: false, forbidden: true, error: expect.stringMatching(/^WEBHOOK_TARGET_FORBIDDEN: .*loopback/) });
    const literal = await postWebhook(receiver.url, {}, '{}', { timeoutMs: 2_000, policy: closed });
    expect(literal).toMatchObject({ ok: false, forbidden: true });
    expect(receiver.requests.length).toBe(before);
    const allowed = await postWebhook(`http://localhost:${port()}/hooks`, { 'content-type': 'application/json' }, '{}', { timeoutMs: 2_000, policy: open });
    expect(allowed).toEqual({ ok: true, status: 200, error: undefined });
    expect(receiver.requests.length).toBe(before + 1);
  });

  it('follows no redirect and fails on anything but 2xx, with the start of the answer', async () => {
    receiver.respond = () => 302;
    expect(await postWebhook(receiver.url, {}, '{}', { timeoutMs: 2_000, policy: open })).toEqual({ ok: false, status: 302, error: 'HTTP 302: status 302 as told' });
    receiver.respond = () => 204;
    expect(await postWebhook(receiver.url, {}, '{}', { timeoutMs: 2_000, policy: open })).toMatchObject({ ok: true, status: 204 });
    receiver.respond = () => 200;
  });
});

describe('registration through the API', () => {
  let server: TestServer;
  let actors: Actors;
  beforeAll(async () => {
    server = await startTestServer({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false', WEBHOOK_ALLOWED_HOSTS: 'localhost,127.0.0.1,*.example.com' });
    actors = await createActors(server.pool);
  });

  it.each([
    ['http://127.0.0.1:8080/hooks', /loopback/],
    ['http://localhost/hooks', /loopback/],
    ['https://hooks.other.org/x', /not among the hosts/],
    ['ftp://hooks.example.com/x', /https/],
  ])('refuses %s with WEBHOOK_TARGET_FORBIDDEN on input.url', async (url, message) => {
    const res = await server.gql(CREATE, { i: { url } }, actors.partnerA);
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]).toMatchObject({ message: expect.stringMatching(message), extensions: { code: 'WEBHOOK_TARGET_FORBIDDEN', field: 'input.url' } });
    expect((await server.pool.query('select 1 from webhook_endpoint')).rowCount).toBe(0);
  });
});
