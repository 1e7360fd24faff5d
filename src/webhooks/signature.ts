// Standard Webhooks signatures (https://www.standardwebhooks.com): HMAC-SHA256 with the
// endpoint's secret over "<webhook-id>.<webhook-timestamp>.<body>", sent as
// "webhook-signature: v1,<base64>". verifyWebhook is what a receiver runs; docs/webhooks.md
// shows the same function, standalone, and test/webhooks/signature.test.ts checks both.
import crypto from 'node:crypto';

export const SECRET_PREFIX = 'whsec_';

/** A new endpoint secret: "whsec_" + base64 of 32 random bytes. */
export function generateSecret(): string {
  return `${SECRET_PREFIX}${crypto.randomBytes(32).toString('base64')}`;
}

/** "msg_" + 22 random base64url characters: the webhook-id of one message, on every attempt. */
export function newMessageId(): string {
  return `msg_${crypto.randomBytes(16).toString('base64url')}`;
}

function keyOf(secret: string): Buffer {
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
  if (key.length === 0) throw new Error('empty webhook secret');
  return key;
}

/** "v1,<base64 HMAC-SHA256(secret, `${msgId}.${timestamp}.${body}`)>"; timestamp in unix seconds. */
export function sign(secret: string, msgId: string, timestamp: number, body: string): string {
  const mac = crypto.createHmac('sha256', keyOf(secret)).update(`${msgId}.${timestamp}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** The headers of one attempt (the timestamp is the attempt's, so each attempt is signed anew). */
export function webhookHeaders(secret: string, msgId: string, body: string, now: Date = new Date()): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    'content-type': 'application/json',
    'webhook-id': msgId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': sign(secret, msgId, timestamp, body),
  };
}

export class WebhookVerificationError extends Error {
  override name = 'WebhookVerificationError';
}

// --- receiver side (copied verbatim into docs/webhooks.md) ---------------------------------

/**
 * Checks a webhook as received: `body` exactly as it arrived (the raw text, not re-serialised
 * JSON), `headers` with lower- or mixed-case names. Returns the parsed payload, or throws.
 * Refuses a timestamp more than `toleranceSeconds` away from now (replays).
 */
export function verifyWebhook(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  body: string,
  toleranceSeconds = 300,
): unknown {
  const header = (name: string): string | undefined => {
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
    const value = key === undefined ? undefined : headers[key];
    return Array.isArray(value) ? value.join(' ') : value;
  };
  const msgId = header('webhook-id');
  const timestamp = header('webhook-timestamp');
  const signatures = header('webhook-signature');
  if (!msgId || !timestamp || !signatures) throw new WebhookVerificationError('missing webhook headers');
  if (!/^\d{1,12}$/.test(timestamp)) throw new WebhookVerificationError('invalid webhook-timestamp');
  const now = Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(timestamp)) > toleranceSeconds) throw new WebhookVerificationError('webhook-timestamp too far from now');
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
  const expected = crypto.createHmac('sha256', key).update(`${msgId}.${timestamp}.${body}`).digest();
  // Several signatures, space-separated, during a secret rotation: any valid v1 one will do.
  for (const versioned of signatures.split(' ')) {
    const [version, signature] = versioned.split(',');
    if (version !== 'v1' || !signature) continue;
    const given = Buffer.from(signature, 'base64');
    if (given.length === expected.length && crypto.timingSafeEqual(given, expected)) return JSON.parse(body);
  }
  throw new WebhookVerificationError('no matching signature');
}
