// When what a caller may see changes (a partner's agreement is amended or ends, a suspension
// starts or lifts), its copy was built under the old view: every type whose fields or row
// scope differ is re-stated from the current data, over the rows either view could see. Rows
// the caller may still see come as UPSERT in their new shape; the rest as DELETE.
import type { Principal } from '../auth/principal';
import { fromTable } from '../db/list-query';
import { FALSE, or, sql, type Sql } from '../db/sql';
import type { ProjectionMeta } from '../graphql/projection';
import { rowScope } from '../permissions/row-scope';
import type { Context } from '../server/context';
import type { Candidate } from './expand';
import { typeVisible, visibleFields } from './feed-types';
import { principalUnder, type View } from './views';

function scopeUnder(meta: ProjectionMeta, p: Principal): Sql {
  return typeVisible(meta, p.visibility) ? rowScope(meta.table, p) : FALSE;
}

function shape(meta: ProjectionMeta, p: Principal): string {
  const s = scopeUnder(meta, p);
  return JSON.stringify([visibleFields(meta, p.visibility).map((f) => f.name), s.text, s.values]);
}

/** The types (in feed order) whose shape or scope differs between any earlier view and now. */
export function resyncTypes(metas: ProjectionMeta[], views: View[], now: Principal): ProjectionMeta[] {
  return metas.filter((meta) => views.some((v) => shape(meta, principalUnder(now, v)) !== shape(meta, now)));
}

/** Up to `limit` rows of one type after `afterId`, from the union of the scopes. */
export async function resyncRows(ctx: Context, meta: ProjectionMeta, views: View[], afterId: number, limit: number): Promise<Candidate[]> {
  const now = ctx.principal;
  const scopes = [...views.map((v) => scopeUnder(meta, principalUnder(now, v))), scopeUnder(meta, now)];
  const rows = await ctx.exec.rows<{ id: number }>(
    sql`select t.id from ${fromTable(meta)} where ${or(scopes)} and t.id > ${afterId} order by t.id limit ${limit}`,
  );
  return rows.map((r) => ({ meta, rowId: Number(r.id) }));
}
