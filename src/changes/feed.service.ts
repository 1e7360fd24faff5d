// The change feed for one caller: resumable pages of what changed in what it may see, in log
// order, at least once. A page first finishes any resync the caller's view needs (resync.ts),
// then reads the log in bounded batches (log-reader.ts), keeps only the changes visible to the
// caller (expand.ts) and states each row as it is now (materialise.ts). The cursor only
// moves past an entry once all of its events were handed out.
import type { Row } from '../anonymisation/present';
import { audienceOf } from '../anonymisation/present';
import { pageSize } from '../db/list-query';
import type { Context } from '../server/context';
import { SCOPE_LINKS } from '../permissions/row-scope';
import { Role } from '../permissions/tier';
import type { Principal } from '../auth/principal';
import type { ChangeOp } from './change.type';
import { expand, type Candidate } from './expand';
import { feedMetas, typeVisible } from './feed-types';
import { readBatch, type Batch } from './log-reader';
import { materialise } from './materialise';
import { before, cursorExpired, decodeCursor, encodeCursor, type FeedCursor, type LogPosition } from './position';
import { resyncRows, resyncTypes } from './resync';
import { viewOf } from './views';

export interface FeedArgs {
  after?: string | null;
  first?: number | null;
  types?: readonly string[] | null;
}

export interface FeedEvent {
  cursor: string;
  type: string;
  op: ChangeOp;
  id: string;
  node: Row | null;
  resync: boolean;
}

export interface FeedPage {
  events: FeedEvent[];
  endCursor: string;
  hasNextPage: boolean;
}

/** The tables whose log entries matter: the types read, and (partners) those their scope hangs on. */
function readTables(tables: string[], p: Principal): string[] {
  const out = new Set(tables);
  if (p.role !== Role.PARTNER) return tables;
  const { consent, servedBy } = SCOPE_LINKS;
  if (consent.dependents.some((t) => out.has(t))) out.add(consent.table);
  if (out.has(servedBy.dependent)) out.add(servedBy.table);
  return [...out];
}

/** Log batches per page at most: a page never costs more than a fixed number of statements. */
const MAX_ROUNDS = 4;

export async function readFeed(ctx: Context, args: FeedArgs): Promise<FeedPage> {
  const p = ctx.principal;
  const view = viewOf(p);
  const audience = audienceOf(p);
  const limit = pageSize(args.first, ctx);
  const requested = feedMetas().filter((m) => !args.types || args.types.includes(m.name));
  const visible = requested.filter((m) => typeVisible(m, p));
  const typeNames = new Set(visible.map((m) => m.name));
  const tables = readTables(visible.map((m) => m.table), p);

  let cur: FeedCursor = args.after ? decodeCursor(ctx, args.after) : { a: audience, x: '0', s: '0', v: [view] };
  const batchSize = Math.min(1_000, Math.max(limit * 2, 50));
  let batch: Batch = await readBatch(ctx, cur, tables, batchSize);
  if (args.after && batch.horizon && before(cur, batch.horizon)) throw cursorExpired();

  const events: FeedEvent[] = [];
  const at = (pos: LogPosition, extra: Partial<FeedCursor> = {}): FeedCursor => ({ a: audience, x: pos.x, s: pos.s, k: pos.k, v: [view], ...extra });
  if (limit === 0) return { events, endCursor: encodeCursor(ctx, cur), hasNextPage: true };

  // 1. The caller's view changed since its copy was made: re-state what differs.
  if (cur.r && cur.r.to !== view) cur = { ...cur, v: [...new Set([...cur.v, cur.r.to])], r: undefined };
  if (cur.r || cur.v.length !== 1 || cur.v[0] !== view) {
    const views = cur.v.filter((v) => v !== view);
    const types = resyncTypes(requested, views, p);
    let idx = cur.r ? Math.max(0, types.findIndex((m) => m.name === cur.r!.t)) : 0;
    let afterId = cur.r && types[idx]?.name === cur.r.t ? cur.r.i : 0;
    while (idx < types.length && events.length < limit) {
      const meta = types[idx]!;
      const want = limit - events.length;
      const rows = await resyncRows(ctx, meta, views, cur, afterId, want);
      const look = await materialise(ctx, rows);
      for (const c of rows) {
        const m = look(c);
        events.push({ ...m, resync: true, cursor: encodeCursor(ctx, at(cur, { v: [...views, view], r: { to: view, t: meta.name, i: c.rowId } })) });
      }
      if (rows.length < want) {
        idx++;
        afterId = 0;
      } else afterId = rows[rows.length - 1]!.rowId;
    }
    if (idx < types.length) return { events, endCursor: events[events.length - 1]!.cursor, hasNextPage: true };
    cur = at(cur);
  }

  // 2. The log.
  let scan: LogPosition = { x: cur.x, s: cur.s, k: cur.k };
  for (let round = 0; round < MAX_ROUNDS; round++) {
    if (round > 0) batch = await readBatch(ctx, scan, tables, batchSize);
    const expanded = await expand(ctx, batch.entries, typeNames);
    const look = await materialise(ctx, ([] as Candidate[]).concat(...expanded.values()));
    for (const e of batch.entries) {
      const cands = expanded.get(e)!;
      const from = scan.k !== undefined && e.x === scan.x && e.s === scan.s ? scan.k : 0;
      for (let j = from; j < cands.length; j++) {
        if (events.length === limit) return { events, endCursor: events[events.length - 1]!.cursor, hasNextPage: true };
        const last = j === cands.length - 1;
        events.push({ ...look(cands[j]!), resync: false, cursor: encodeCursor(ctx, at({ x: e.x, s: e.s, k: last ? undefined : j + 1 })) });
      }
      scan = { x: e.x, s: e.s };
    }
    if (batch.entries.length < batchSize) {
      // Everything below xmin has been considered: the next page starts there.
      const final = { x: batch.xmin, s: '0' };
      const end = before(scan, final) ? final : scan;
      return { events, endCursor: encodeCursor(ctx, at(end)), hasNextPage: false };
    }
  }
  return { events, endCursor: encodeCursor(ctx, at(scan)), hasNextPage: true };
}
