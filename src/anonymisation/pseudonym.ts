// Pseudonyms: a keyed permutation of (audience, kind, id). The key is derived from the
// configured secret and the audience (one partner, or the analysts), so a pseudonym is stable
// for one audience, different for another (two partners cannot join on it), and meaningless
// without the secret. Unlike a plain hash, the server can map a pseudonym back to the row, so
// callers can pass the pseudonym they were given as an argument.
import crypto from 'node:crypto';

const PREFIX: Record<string, string> = { customer: 'cus_' };

export class Pseudonymizer {
  private readonly keys = new Map<string, Buffer>();
  /** ECB without padding keeps no state between blocks: one cipher per key serves every id. */
  private readonly ciphers = new Map<string, crypto.Cipher>();
  constructor(private readonly secret: string) {}

  private key(audience: string, kind: string): Buffer {
    const k = `${audience}\u0000${kind}`;
    let key = this.keys.get(k);
    if (!key) {
      key = Buffer.from(crypto.hkdfSync('sha256', this.secret, 'ecograph-pseudonym-v1', k, 32));
      if (this.keys.size > 10_000) this.keys.clear();
      this.keys.set(k, key);
    }
    return key;
  }

  encode(audience: string, kind: string, id: number | string): string {
    const block = Buffer.alloc(16);
    block.writeBigUInt64BE(BigInt(id), 0); // the other 8 bytes stay zero: a check on decode
    const out = this.cipher(audience, kind).update(block);
    return `${PREFIX[kind] ?? ''}${out.toString('base64url')}`;
  }

  private cipher(audience: string, kind: string): crypto.Cipher {
    const k = `${audience}\u0000${kind}`;
    let cipher = this.ciphers.get(k);
    if (!cipher) {
      cipher = crypto.createCipheriv('aes-256-ecb', this.key(audience, kind), null);
      cipher.setAutoPadding(false);
      if (this.ciphers.size > 10_000) this.ciphers.clear();
      this.ciphers.set(k, cipher);
    }
    return cipher;
  }

  /** The real id, or undefined for anything that is not a pseudonym of this audience. */
  decode(audience: string, kind: string, pseudonym: string): number | undefined {
    const prefix = PREFIX[kind] ?? '';
    if (!pseudonym.startsWith(prefix)) return undefined;
    const body = Buffer.from(pseudonym.slice(prefix.length), 'base64url');
    if (body.length !== 16) return undefined;
    const decipher = crypto.createDecipheriv('aes-256-ecb', this.key(audience, kind), null);
    decipher.setAutoPadding(false);
    const block = Buffer.concat([decipher.update(body), decipher.final()]);
    if (block.readBigUInt64BE(8) !== 0n) return undefined;
    const id = block.readBigUInt64BE(0);
    return id <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(id) : undefined;
  }
}
