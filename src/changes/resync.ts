// When what a caller may see changes (a partner's agreement is amended or ends, a suspension
// starts or lifts), its copy was built under the old view: every type whose fields or row
// scope differ is re-stated from the current data, over the rows either view could see. Rows
// the caller may still see come as UPSERT in their new shape; the rest as DELETE.
import type { Principal } from '../auth/principal';
import { fromTable } from '../db/list-query';
import { FALSE, or, sql, type Sql } from '../db/sql';
import type { ProjectionMeta } from '../graphql/projection';
import { partnerReach, PARTNER_OWNED_TABLES, rowScope, SCOPE_LINKS } from '../permissions/row-scope';
import { Role } from '../permissions/tier';
import type { LogPosition } from './position';
import type { Context } from '../server/context';
import type { Candidate } from './expand';
import { typeVisible, visibleFields } from './feed-types';
import { principalUnder, type View } from './views';

function scopeUnder(meta: ProjectionMeta, p: Principal): Sql {
  return typeVisible(meta, p) ? rowScope(meta.table, p) : FALSE;
}

function shape(meta: ProjectionMeta, p: Principal): string {
  const s = scopeUnder(meta, p);
  return JSON.stringify([visibleFields(meta, p.visibility).map((f) => f.name), s.text, s.values]);
}

/** The types (in feed order) whose shape or scope differs between any earlier view and now. */
export function resyncTypes(metas: ProjectionMeta[], views: View[], now: Principal): ProjectionMeta[] {
  return metas.filter((meta) => views.some((v) => shape(meta, principalUnder(now, v)) !== shape(meta, now)));
}

/**
 * Rows of the table removed since `from` that the partner may have held: its own rows, and the
 * customers of its orders (their images in the log). Rows that still exist are in its reach.
 */
function removedSince(meta: ProjectionMeta, p: Principal, from: LogPosition): Sql | undefined {
  if (p.role !== Role.PARTNER || p.partnerId === undefined) return undefined;
  const since = sql`(e.txid, e.seq) > (${from.x}::xid8, ${from.s}::bigint) and ${p.partnerId}::int = any(e.partner_ids)`;
  if (PARTNER_OWNED_TABLES.includes(meta.table)) {
    return sql`select e.row_id as id from change_log e where e.table_name = ${meta.table} and e.op = 'D' and ${since}`;
  }
  const { table, dependent, via } = SCOPE_LINKS.servedBy;
  if (meta.table !== dependent) return undefined;
  return sql`select (v.j->>${via})::int as id from change_log e cross join lateral (values (e.old), (e.new)) v(j)
              where e.table_name = ${table} and ${since} and (v.j->>'partner_id')::int = ${p.partnerId}::int`;
}

/**
 * Up to `limit` rows of one type after `afterId` that the caller may hold or may now see: the
 * scopes of every view, the partner's reach (row-scope.ts), and rows removed since the cursor.
 */
export async function resyncRows(ctx: Context, meta: ProjectionMeta, views: View[], from: LogPosition, afterId: number, limit: number): Promise<Candidate[]> {
  const now = ctx.principal;
  const scopes = [...views.map((v) => scopeUnder(meta, principalUnder(now, v))), scopeUnder(meta, now), partnerReach(meta.table, now)];
  const removed = removedSince(meta, now, from);
  const live = sql`select t.id from ${fromTable(meta)} where ${or(scopes)}`;
  const rows = await ctx.exec.rows<{ id: number }>(
    sql`select u.id from (${live}${removed ? sql` union ${removed}` : sql``}) u where u.id > ${afterId} order by u.id limit ${limit}`,
  );
  return rows.map((r) => ({ meta, rowId: Number(r.id) }));
}
