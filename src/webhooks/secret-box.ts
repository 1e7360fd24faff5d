// Endpoint secrets at rest: deliveries must sign, so the secret is stored, but sealed with
// AES-256-GCM under a key derived from the server secret (a database dump alone cannot sign).
import crypto from 'node:crypto';

const keys = new Map<string, Buffer>();

function keyFor(serverSecret: string): Buffer {
  let key = keys.get(serverSecret);
  if (!key) {
    key = Buffer.from(crypto.hkdfSync('sha256', serverSecret, 'ecograph', 'webhook-secret-v1', 32));
    keys.set(serverSecret, key);
  }
  return key;
}

export function sealSecret(secret: string, serverSecret: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', keyFor(serverSecret), iv);
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
}

export function openSecret(sealed: string, serverSecret: string): string {
  if (!sealed.startsWith('v1.')) throw new Error('unknown sealed webhook secret format');
  const buf = Buffer.from(sealed.slice(3), 'base64url');
  const decipher = crypto.createDecipheriv('aes-256-gcm', keyFor(serverSecret), buf.subarray(0, 12));
  decipher.setAuthTag(buf.subarray(12, 28));
  return Buffer.concat([decipher.update(buf.subarray(28)), decipher.final()]).toString('utf8');
}
