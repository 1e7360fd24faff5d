// Opaque cursors: the position (sort values and id of the last row) sealed with AES-256-GCM,
// so a caller can neither read nor forge the values inside.
import { GraphQLError } from 'graphql';
import { Sealer } from '../auth/seal';

export class CursorCodec {
  private readonly box: Sealer;
  constructor(secret: string) {
    this.box = new Sealer(secret, 'cursor-v1');
  }

  encode(payload: unknown): string {
    return this.box.seal(JSON.stringify(payload));
  }

  decode(cursor: string): unknown {
    try {
      // At most 4 KiB sealed (5,462 base64url characters): nothing legitimate is larger.
      if (cursor.length > 5_462) throw new Error('length');
      return JSON.parse(this.box.open(cursor));
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
