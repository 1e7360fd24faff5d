// Authenticated encryption under a key derived from the server secret, one key per purpose:
// AES-256-GCM, "iv | tag | ciphertext" in base64url. Cursors and webhook secrets at rest use it.
import crypto from 'node:crypto';

export class Sealer {
  private readonly key: Buffer;
  constructor(serverSecret: string, purpose: string) {
    this.key = Buffer.from(crypto.hkdfSync('sha256', serverSecret, 'ecograph', purpose, 32));
  }

  seal(text: string): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** The text, or an error when the box was not sealed with this key and purpose (or was altered). */
  open(sealed: string): string {
    const buf = Buffer.from(sealed, 'base64url');
    if (buf.length < 28) throw new Error('too short to be sealed');
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, buf.subarray(0, 12));
    decipher.setAuthTag(buf.subarray(12, 28));
    return Buffer.concat([decipher.update(buf.subarray(28)), decipher.final()]).toString('utf8');
  }
}
