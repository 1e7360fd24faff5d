// Reads change_log in (txid, seq) order, only below the oldest transaction still running
// (pg_snapshot_xmin): a transaction that began earlier but commits later can then never land
// behind a position already handed out.
import type { Principal } from '../auth/principal';
import { raw, sql, TRUE, type Sql } from '../db/sql';
import type { Row } from '../anonymisation/present';
import { PARTNER_OWNED_TABLES } from '../permissions/row-scope';
import { Role } from '../permissions/tier';
import type { Context } from '../server/context';
import type { LogPosition } from './position';

export interface Entry {
  x: string;
  s: string;
  table: string;
  rowId: number;
  op: 'I' | 'U' | 'D';
  old: Row | null;
  new: Row | null;
}

export interface Batch {
  entries: Entry[];
  /** pg_snapshot_xmin when read: everything below it is final. */
  xmin: string;
  /** The oldest position retention kept (null: nothing pruned yet). */
  horizon: LogPosition | null;
}

function partnerFilter(p: Principal): Sql {
  if (p.role !== Role.PARTNER || p.partnerId === undefined) return TRUE;
  return sql`(e.table_name <> all(${PARTNER_OWNED_TABLES}::text[]) or ${p.partnerId}::int = any(e.partner_ids))`;
}

export async function readBatch(ctx: Context, from: LogPosition, tables: string[], limit: number): Promise<Batch> {
  // With k, entry (x, s) itself is read again: some of its events are still due.
  const cmp = raw(from.k === undefined ? '>' : '>=');
  const rows = await ctx.exec.rows<{ xmin: string; hx: string | null; hs: string | null } & Partial<{ x: string; s: string; table_name: string; row_id: number; op: Entry['op']; old: Row | null; new: Row | null }>>(sql`
    with h as (select pg_snapshot_xmin(pg_current_snapshot()) as xmin)
    select h.xmin::text as xmin, z.txid::text as hx, z.seq::text as hs, e.*
      from h
      left join change_log_horizon z on z.id = 1
      left join lateral (
        select e.txid::text as x, e.seq::text as s, e.table_name, e.row_id, e.op, e.old, e.new
          from change_log e
         where (e.txid, e.seq) ${cmp} (${from.x}::xid8, ${from.s}::bigint)
           and e.txid < h.xmin
           and e.table_name = any(${tables}::text[])
           and ${partnerFilter(ctx.principal)}
         order by e.txid, e.seq
         limit ${limit}
      ) e on true`);
  const first = rows[0]!;
  const entries: Entry[] = [];
  for (const r of rows) {
    if (r.x === null || r.x === undefined) continue;
    entries.push({ x: r.x, s: r.s!, table: r.table_name!, rowId: Number(r.row_id), op: r.op!, old: r.old ?? null, new: r.new ?? null });
  }
  return { entries, xmin: first.xmin, horizon: first.hx ? { x: first.hx, s: first.hs! } : null };
}

/** The current position for a new copy: everything that committed before now is in it. */
export async function currentXmin(ctx: Context): Promise<string> {
  const [r] = await ctx.exec.rows<{ xmin: string }>(sql`select pg_snapshot_xmin(pg_current_snapshot())::text as xmin`);
  return r!.xmin;
}
