// Standard Webhooks signing: the specification's own test vector, what verifyWebhook refuses
// (another body, id or timestamp, an old or future timestamp, a wrong secret, missing headers),
// and the standalone copy in docs/webhooks.md behaving the same. Secrets are whsec_ + 32 random
// bytes and are stored sealed.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config';
import { openSecret, sealSecret } from '../../src/webhooks/secret-box';
import { generateSecret, newMessageId, sign, verifyWebhook, webhookHeaders } from '../../src/webhooks/signature';

// From standard-webhooks/standard-webhooks, libraries/javascript/src/webhook.test.ts ("sign function works").
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  msgId: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

type Verify = typeof verifyWebhook;

/** The verifyWebhook of docs/webhooks.md, compiled and loaded on its own (node:crypto only). */
function docsVerify(): Verify {
  const md = fs.readFileSync(path.join(PROJECT_ROOT, 'docs', 'webhooks.md'), 'utf8');
  const block = /<!-- verify-webhook -->\s*```ts\n([\s\S]*?)```/.exec(md)?.[1];
  if (!block) throw new Error('docs/webhooks.md lost its verify-webhook code block');
  const js = ts.transpileModule(block, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
  const mod: { exports: Record<string, unknown> } = { exports: {} };
  new Function('require', 'module', 'exports', js)((id: string) => {
    if (id !== 'node:crypto') throw new Error(`the docs example needs only node:crypto, not ${id}`);
    return crypto;
  }, mod, mod.exports);
  return mod.exports.verifyWebhook as Verify;
}

const withClock = <T>(seconds: number, fn: () => T): T => {
  const real = Date.now;
  Date.now = () => seconds * 1000;
  try {
    return fn();
  } finally {
    Date.now = real;
  }
};

describe.each([
  ['src/webhooks/signature.ts', () => verifyWebhook],
  ['docs/webhooks.md', docsVerify],
])('verifyWebhook of %s', (_where, load) => {
  const verify = load();
  const headers = { 'webhook-id': VECTOR.msgId, 'webhook-timestamp': String(VECTOR.timestamp), 'webhook-signature': VECTOR.signature };

  it('accepts the specification’s test vector, with or without the whsec_ prefix, any header case', () => {
    withClock(VECTOR.timestamp + 10, () => {
      expect(verify(VECTOR.secret, headers, VECTOR.body)).toEqual({ test: 2432232314 });
      expect(verify(VECTOR.secret.slice('whsec_'.length), headers, VECTOR.body)).toEqual({ test: 2432232314 });
      expect(verify(VECTOR.secret, { 'Webhook-Id': VECTOR.msgId, 'WEBHOOK-TIMESTAMP': String(VECTOR.timestamp), 'Webhook-Signature': VECTOR.signature }, VECTOR.body)).toBeTruthy();
    });
  });

  it('accepts a valid v1 signature among several (secret rotation), ignoring other versions', () => {
    const sigs = `v1a,abc v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= ${VECTOR.signature}`;
    withClock(VECTOR.timestamp, () => expect(verify(VECTOR.secret, { ...headers, 'webhook-signature': sigs }, VECTOR.body)).toBeTruthy());
  });

  it('refuses a tampered body, id or timestamp, a wrong secret, a truncated signature and missing headers', () => {
    withClock(VECTOR.timestamp, () => {
      expect(() => verify(VECTOR.secret, headers, '{"test": 2432232315}')).toThrow(/signature/);
      expect(() => verify(VECTOR.secret, { ...headers, 'webhook-id': 'msg_other' }, VECTOR.body)).toThrow(/signature/);
      expect(() => verify(VECTOR.secret, { ...headers, 'webhook-timestamp': String(VECTOR.timestamp + 1) }, VECTOR.body)).toThrow(/signature/);
      expect(() => verify(generateSecret(), headers, VECTOR.body)).toThrow(/signature/);
      expect(() => verify(VECTOR.secret, { ...headers, 'webhook-signature': VECTOR.signature.slice(0, 10) }, VECTOR.body)).toThrow(/signature/);
      expect(() => verify(VECTOR.secret, { ...headers, 'webhook-signature': 'v2,' + VECTOR.signature.slice(3) }, VECTOR.body)).toThrow(/signature/);
      for (const h of Object.keys(headers)) {
        const without: Record<string, string> = { ...headers };
        delete without[h];
        expect(() => verify(VECTOR.secret, without, VECTOR.body)).toThrow(/missing/);
      }
      expect(() => verify(VECTOR.secret, { ...headers, 'webhook-timestamp': 'soon' }, VECTOR.body)).toThrow(/timestamp/);
    });
  });

  it('refuses a timestamp outside the tolerance, either way (replays)', () => {
    withClock(VECTOR.timestamp + 301, () => expect(() => verify(VECTOR.secret, headers, VECTOR.body)).toThrow(/timestamp/));
    withClock(VECTOR.timestamp - 301, () => expect(() => verify(VECTOR.secret, headers, VECTOR.body)).toThrow(/timestamp/));
    withClock(VECTOR.timestamp + 301, () => expect(verify(VECTOR.secret, headers, VECTOR.body, 600)).toBeTruthy());
    withClock(VECTOR.timestamp + 300, () => expect(verify(VECTOR.secret, headers, VECTOR.body)).toBeTruthy());
  });
});

describe('signing', () => {
  it('reproduces the specification’s test vector', () => {
    expect(sign(VECTOR.secret, VECTOR.msgId, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
  });

  it('sends the Standard Webhooks headers, which verify', () => {
    const secret = generateSecret();
    const id = newMessageId();
    const body = JSON.stringify({ type: 'ServiceOrder.upsert', data: { id: '1' } });
    const h = webhookHeaders(secret, id, body);
    expect(Object.keys(h).sort()).toEqual(['content-type', 'webhook-id', 'webhook-signature', 'webhook-timestamp']);
    expect(h['content-type']).toBe('application/json');
    expect(h['webhook-id']).toBe(id);
    expect(Math.abs(Number(h['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(2);
    expect(verifyWebhook(secret, h, body)).toEqual(JSON.parse(body));
  });

  it('makes secrets of 32 random bytes as whsec_<base64>, and message ids msg_...', () => {
    const a = generateSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
    expect(generateSecret()).not.toBe(a);
    expect(newMessageId()).toMatch(/^msg_[A-Za-z0-9_-]{22}$/);
  });

  it('stores secrets sealed with the server secret: unreadable without it', () => {
    const secret = generateSecret();
    const sealed = sealSecret(secret, 'server-secret-0123456789abcdef0123456789');
    expect(sealed).not.toContain(secret.slice(6, 20));
    expect(openSecret(sealed, 'server-secret-0123456789abcdef0123456789')).toBe(secret);
    expect(() => openSecret(sealed, 'another-secret-0123456789abcdef012345678')).toThrow();
  });
});
