// The feed position a copy taken now starts from: every transaction below the oldest one
// still running has committed and is in the copy; later ones come through the feed (perhaps
// again: the feed is at-least-once).
import { audienceOf } from '../anonymisation/present';
import type { Context } from '../server/context';
import { currentXmin } from './log-reader';
import { encodeCursor } from './position';
import { viewOf } from './views';

export async function snapshotCursor(ctx: Context): Promise<string> {
  const x = await currentXmin(ctx);
  return encodeCursor(ctx, { a: audienceOf(ctx.principal), x, s: '0', v: [viewOf(ctx.principal)] });
}
