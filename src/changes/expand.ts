// Turns log entries into the caller's candidate events. An entry yields an event for its own
// row only when the row, as this caller sees it (its readable fields, transformed, within its
// row scope), differs before and after: the before and after images are evaluated with the
// projection's own SQL and scope. It also yields events for rows whose visibility hangs on it
// (row-scope.ts SCOPE_LINKS): a consent withdrawn takes away that customer's orders, ratings and
// complaints; a first order brings the customer in, a last one takes it out.
import { present, type Row } from '../anonymisation/present';
import { selectList } from '../db/list-query';
import { FALSE, ident, raw, sql, type Sql } from '../db/sql';
import type { ProjectionMeta } from '../graphql/projection';
import { partnerReach, rowScope, SCOPE_LINKS } from '../permissions/row-scope';
import { Role } from '../permissions/tier';
import type { Context } from '../server/context';
import { feedMetaByTable, typeVisible, visibleFields } from './feed-types';
import type { Entry } from './log-reader';

export interface Candidate {
  meta: ProjectionMeta;
  rowId: number;
}

/** The caller's view of a row image: visible fields, presented; null when out of scope. */
function imageSelect(meta: ProjectionMeta, ctx: Context, side: 'old' | 'new'): Sql {
  const spec = { meta: { ...meta, fields: visibleFields(meta, ctx.principal.visibility) }, scope: rowScope(meta.table, ctx.principal) };
  const image = raw(`e."${side}"`);
  return sql`(select to_jsonb(z) from (select ${selectList(spec)} from jsonb_populate_record(null::${ident(meta.table)}, ${image}) t where ${image} is not null and ${spec.scope}) z)`;
}

/**
 * The row as the caller would see it, for comparison. `version` is left out: it is a
 * concurrency token that every write moves, so comparing it would announce (and reveal) changes
 * to fields the caller cannot see. An event's node still carries the current version.
 */
function seen(meta: ProjectionMeta, ctx: Context, image: Row | null): string | null {
  if (!image) return null;
  const shown = present(meta.fields, meta.name.toLowerCase(), image, ctx.principal, ctx.services.pseudonyms);
  delete shown.version;
  return JSON.stringify(shown);
}

async function ownChanges(ctx: Context, meta: ProjectionMeta, entries: Entry[]): Promise<Set<string>> {
  // A deleted row within the caller's reach may be in its copy even if the current consent or
  // orders say it could not be seen now: its DELETE is sent.
  const reach = partnerReach(meta.table, ctx.principal);
  const rows = await ctx.exec.rows<{ s: string; o: Row | null; n: Row | null; r: boolean | null }>(sql`
    select e.seq::text as s, ${imageSelect(meta, ctx, 'old')} as o, ${imageSelect(meta, ctx, 'new')} as n,
           (select ${reach} from jsonb_populate_record(null::${ident(meta.table)}, e.old) t where e.op = 'D') as r
      from change_log e where e.seq = any(${entries.map((e) => e.s)}::bigint[])`);
  const changed = new Set<string>();
  for (const r of rows) if (r.r === true || seen(meta, ctx, r.o) !== seen(meta, ctx, r.n)) changed.add(r.s);
  return changed;
}

const consentOf = (image: Row | null): boolean => image?.[SCOPE_LINKS.consent.column] === true;

/** Orders, ratings and complaints of customers whose consent flipped, with this partner. */
async function consentDependents(ctx: Context, entries: Entry[], wanted: (table: string) => ProjectionMeta | undefined, partnerId: number) {
  const flipped = entries.filter((e) => e.table === SCOPE_LINKS.consent.table && consentOf(e.old) !== consentOf(e.new));
  const out = new Map<number, Candidate[]>();
  const tables = SCOPE_LINKS.consent.dependents.filter((t) => wanted(t));
  if (flipped.length === 0 || tables.length === 0) return out;
  const union = tables.map((t) => sql`select ${t}::text as tbl, d.id, d.customer_id from ${ident(t)} d where d.customer_id = any(${flipped.map((e) => e.rowId)}::int[]) and d.partner_id = ${partnerId}`);
  const rows = await ctx.exec.rows<{ tbl: string; id: number; customer_id: number }>(
    union.reduce((acc, part) => sql`${acc} union all ${part}`),
  );
  for (const r of rows.sort((a, b) => a.tbl.localeCompare(b.tbl) || a.id - b.id)) {
    const list = out.get(r.customer_id) ?? [];
    list.push({ meta: wanted(r.tbl)!, rowId: Number(r.id) });
    out.set(r.customer_id, list);
  }
  return out;
}

/**
 * Customers an order brings into or takes out of the partner's reach. "Before" counts the
 * partner's other orders of that customer that existed before this entry (not inserted at or
 * after it, per the log), "after" those plus this order's new image.
 */
async function servedByChanges(ctx: Context, entries: Entry[], partnerId: number): Promise<Map<string, number[]>> {
  const { via } = SCOPE_LINKS.servedBy;
  const probes: { s: string; x: string; customer: number; rowId: number; oldMatch: boolean; newMatch: boolean }[] = [];
  for (const e of entries) {
    if (e.table !== SCOPE_LINKS.servedBy.table) continue;
    const customers = new Set<number>();
    for (const img of [e.old, e.new]) if (img && Number(img.partner_id) === partnerId && img[via] != null) customers.add(Number(img[via]));
    for (const c of customers) {
      const matches = (img: Row | null) => img !== null && Number(img.partner_id) === partnerId && Number(img[via]) === c;
      probes.push({ s: e.s, x: e.x, customer: c, rowId: e.rowId, oldMatch: matches(e.old), newMatch: matches(e.new) });
    }
  }
  const out = new Map<string, number[]>();
  if (probes.length === 0) return out;
  const rows = await ctx.exec.rows<{ i: number; consent: boolean; other: boolean }>(sql`
    select p.i, c.consent_data_sharing as consent,
           exists (select 1 from service_order o
                    where o.customer_id = c.id and o.partner_id = ${partnerId} and o.id <> p.rid
                      and not exists (select 1 from change_log l
                                       where l.table_name = 'service_order' and l.row_id = o.id and l.op = 'I'
                                         and (l.txid, l.seq) >= (p.x::xid8, p.s::bigint))) as other
      from unnest(${probes.map((_, i) => i)}::int[], ${probes.map((p) => p.customer)}::int[], ${probes.map((p) => p.rowId)}::int[],
                  ${probes.map((p) => p.x)}::text[], ${probes.map((p) => p.s)}::text[]) as p(i, cid, rid, x, s)
      join customer c on c.id = p.cid`);
  for (const r of rows) {
    const p = probes[r.i]!;
    // Orders decide reach; consent decides visibility. A customer leaving the partner's reach is
    // re-stated whatever its consent now (it may be in the copy from before a withdrawal).
    const beforeIn = r.other || p.oldMatch;
    const afterIn = r.other || p.newMatch;
    if (beforeIn === afterIn || (afterIn && !r.consent)) continue;
    const list = out.get(p.s) ?? [];
    list.push(p.customer);
    out.set(p.s, list);
  }
  return out;
}

/** The candidate events of each entry, in order: its own row first, then the rows hanging on it. */
export async function expand(ctx: Context, entries: Entry[], typeNames: Set<string>): Promise<Map<Entry, Candidate[]>> {
  const p = ctx.principal;
  const wanted = (table: string): ProjectionMeta | undefined => {
    const meta = feedMetaByTable(table);
    if (!meta || !typeNames.has(meta.name) || !typeVisible(meta, p)) return undefined;
    return rowScope(table, p) === FALSE ? undefined : meta;
  };
  const byTable = new Map<string, Entry[]>();
  for (const e of entries) {
    if (!wanted(e.table)) continue;
    const list = byTable.get(e.table) ?? [];
    list.push(e);
    byTable.set(e.table, list);
  }

  const changed = new Set<string>();
  for (const [table, list] of byTable) for (const s of await ownChanges(ctx, wanted(table)!, list)) changed.add(s);

  const partnerId = p.role === Role.PARTNER ? p.partnerId : undefined;
  const dependents = partnerId === undefined ? new Map<number, Candidate[]>() : await consentDependents(ctx, entries, wanted, partnerId);
  const customer = wanted(SCOPE_LINKS.servedBy.dependent);
  const served = partnerId === undefined || !customer ? new Map<string, number[]>() : await servedByChanges(ctx, entries, partnerId);

  const out = new Map<Entry, Candidate[]>();
  for (const e of entries) {
    const list: Candidate[] = [];
    if (changed.has(e.s)) list.push({ meta: wanted(e.table)!, rowId: e.rowId });
    if (e.table === SCOPE_LINKS.consent.table && consentOf(e.old) !== consentOf(e.new)) list.push(...(dependents.get(e.rowId) ?? []));
    for (const c of served.get(e.s) ?? []) list.push({ meta: customer!, rowId: c });
    out.set(e, list);
  }
  return out;
}
