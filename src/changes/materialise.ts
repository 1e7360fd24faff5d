// Candidate events -> events: each row as the caller may see it now (one statement per type,
// through the same list SQL, scope and presentation as any lookup), UPSERT when it is visible,
// DELETE with the id the caller knows it by when it is not.
import { present, type Row } from '../anonymisation/present';
import { specOf } from '../db/loaders';
import { rowsByIds } from '../db/list-query';
import type { ProjectionMeta } from '../graphql/projection';
import type { Context } from '../server/context';
import { ChangeOp } from './change.type';
import type { Candidate } from './expand';
import { typeVisible } from './feed-types';

export interface Materialised {
  type: string;
  op: ChangeOp;
  id: string;
  node: Row | null;
}

export function visibleId(meta: ProjectionMeta, rowId: number, ctx: Context): string {
  const shown = present(meta.fields.filter((f) => f.name === 'id'), meta.name.toLowerCase(), { id: rowId }, ctx.principal, ctx.services.pseudonyms);
  return String(shown.id);
}

export type Lookup = (c: Candidate) => Materialised;

export async function materialise(ctx: Context, candidates: Candidate[]): Promise<Lookup> {
  const ids = new Map<ProjectionMeta, Set<number>>();
  for (const c of candidates) ids.set(c.meta, (ids.get(c.meta) ?? new Set()).add(c.rowId));
  const found = new Map<ProjectionMeta, Map<number, Row>>();
  for (const [meta, set] of ids) {
    if (!typeVisible(meta, ctx.principal)) continue;
    const rows = await rowsByIds(specOf(meta.cls, ctx), [...set], ctx);
    for (const row of rows.values()) row.$type = meta.name;
    found.set(meta, rows);
  }
  return (c) => {
    const node = found.get(c.meta)?.get(c.rowId) ?? null;
    return node
      ? { type: c.meta.name, op: ChangeOp.UPSERT, id: String(node.id), node }
      : { type: c.meta.name, op: ChangeOp.DELETE, id: visibleId(c.meta, c.rowId, ctx), node: null };
  };
}
