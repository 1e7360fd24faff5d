// Feed cursors: a position in change_log (txid, seq; k outputs of that entry already given
// when one entry fans out into several events), the views the caller's copy reflects, and a
// resync in progress. Sealed with the list cursors' AES-GCM key, bound to the caller.
import { GraphQLError } from 'graphql';
import type { Context } from '../server/context';
import { audienceOf } from '../anonymisation/present';
import type { View } from './views';

export interface LogPosition {
  /** xid8 as text. */
  x: string;
  /** seq as text. */
  s: string;
  /** Outputs of entry (x, s) already delivered; absent: the entry is done. */
  k?: number;
}

export interface Resync {
  /** The view being resynced to. */
  to: View;
  /** The type being resynced, and the last row id done there. */
  t: string;
  i: number;
}

export interface FeedCursor extends LogPosition {
  /** The caller (its pseudonym audience): a cursor is worthless to anyone else. */
  a: string;
  /** Views the caller's copy may reflect (one, except while a resync is under way). */
  v: View[];
  r?: Resync;
}

const XID = /^\d{1,20}$/;

export function encodeCursor(ctx: Context, c: FeedCursor): string {
  return ctx.services.cursors.encode({ f: 1, ...c });
}

export function decodeCursor(ctx: Context, text: string): FeedCursor {
  const c = ctx.services.cursors.decode(text) as Partial<FeedCursor> & { f?: number };
  const ok =
    c?.f === 1 &&
    typeof c.x === 'string' && XID.test(c.x) &&
    typeof c.s === 'string' && XID.test(c.s) &&
    (c.k === undefined || Number.isInteger(c.k)) &&
    Array.isArray(c.v) && c.v.every((v) => typeof v === 'string');
  if (!ok || c.a !== audienceOf(ctx.principal)) {
    throw new GraphQLError('The cursor is not a change-feed cursor of yours; take one from `changesCursor` or a list', {
      extensions: { code: 'BAD_CURSOR' },
    });
  }
  return { a: c.a!, x: c.x!, s: c.s!, k: c.k, v: c.v!, r: c.r };
}

/** a < b in log order. */
export function before(a: LogPosition, b: LogPosition): boolean {
  const ax = BigInt(a.x);
  const bx = BigInt(b.x);
  if (ax !== bx) return ax < bx;
  return BigInt(a.s) < BigInt(b.s);
}

export function cursorExpired(): GraphQLError {
  return new GraphQLError(
    'This cursor is older than the change feed keeps (CHANGE_RETENTION_HOURS): take a snapshot (list queries with `changesCursor`) and continue from the cursor it returns',
    { extensions: { code: 'CURSOR_EXPIRED' } },
  );
}
