// Opaque cursors: the position (sort values and id of the last row) sealed with AES-256-GCM,
// so a caller can neither read nor forge the values inside.
import crypto from 'node:crypto';
import { GraphQLError } from 'graphql';

export class CursorCodec {
  private readonly key: Buffer;
  constructor(secret: string) {
    this.key = Buffer.from(crypto.hkdfSync('sha256', secret, 'ecograph', 'cursor-v1', 32));
  }

  encode(payload: unknown): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  decode(cursor: string): unknown {
    try {
      const buf = Buffer.from(cursor, 'base64url');
      if (buf.length < 29 || buf.length > 4096) throw new Error('length');
      const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, buf.subarray(0, 12));
      decipher.setAuthTag(buf.subarray(12, 28));
      const text = Buffer.concat([decipher.update(buf.subarray(28)), decipher.final()]).toString('utf8');
      return JSON.parse(text);
    } catch {
      throw badCursor();
    }
  }
}

export function badCursor(): GraphQLError {
  return new GraphQLError('The cursor is not valid for this list; start again without `after`', {
    extensions: { code: 'BAD_CURSOR' },
  });
}
