// Relation loading through per-request DataLoaders: however many parents a page has, each
// relation level costs one statement.
import DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';
import { pathKey, prefetch, prefetchConnection } from './prefetch';
import { isRowId } from './where';
import { snapshotCursor } from '../changes/snapshot';
import { selectsAny } from '../graphql/selection';
import { audienceOf, type Row } from '../anonymisation/present';
import type { Connection } from '../graphql/connection';
import { projectionOf } from '../graphql/projection';
import { rowScope } from '../permissions/row-scope';
import { memo, type Context } from '../server/context';
import { listPage, pagesByParent, rowsByIds, rowsByParent, type ListSpec, type PageArgs } from './list-query';

export function specOf(cls: Function, ctx: Context): ListSpec {
  const meta = projectionOf(cls);
  return { meta, scope: rowScope(meta.table, ctx.principal), keys: meta.keys, defaultOrder: meta.defaultOrder };
}

/** A root list; with `info`, the relations selected under it are loaded ahead (prefetch.ts). */
export async function list(cls: Function, args: PageArgs, ctx: Context, info?: GraphQLResolveInfo): Promise<Connection<Row>> {
  // Taken before the page is read, so that nothing committed after it is missing from both.
  const feedCursor = info && selectsAny(info, ['changesCursor']) ? await snapshotCursor(ctx) : null;
  const page = await listPage(specOf(cls, ctx), args, ctx);
  page.changesCursor = feedCursor;
  if (info) await prefetchConnection(ctx, projectionOf(cls).name, page.nodes, info);
  return page;
}

/** A root lookup by real id, with the same look-ahead. */
export async function lookup(cls: Function, id: number | null, ctx: Context, info: GraphQLResolveInfo): Promise<Row | null> {
  return answerRow(cls, await one(cls, id, ctx), ctx, info);
}

/** A root field's row read another way (a list by a unique key), with the same look-ahead. */
export async function answerRow(cls: Function, row: Row | null, ctx: Context, info: GraphQLResolveInfo): Promise<Row | null> {
  if (row) await prefetch(ctx, projectionOf(cls).name, [row], info.fieldNodes.flatMap((f) => f.selectionSet?.selections ?? []), info, pathKey(info));
  return row;
}

/** One row by its real id (null when absent or out of scope). */
export function one(cls: Function, id: number | null | undefined, ctx: Context): Promise<Row | null> {
  if (id === null || id === undefined) return Promise.resolve(null);
  const loader = memo(ctx, `one:${projectionOf(cls).name}`, () =>
    new DataLoader<number, Row | null>(async (ids) => {
      const found = await rowsByIds(specOf(cls, ctx), ids, ctx);
      return ids.map((id) => found.get(id) ?? null);
    }),
  );
  return loader.load(Number(id));
}

/** A page of children per parent, e.g. partner -> orders(first: 5). */
export function pageOf(cls: Function, fkColumn: string, parentId: number, args: PageArgs, ctx: Context): Promise<Connection<Row>> {
  const key = `page:${projectionOf(cls).name}:${fkColumn}:${JSON.stringify(args)}`;
  const loader = memo(ctx, key, () =>
    new DataLoader<number, Connection<Row>>(async (ids) => {
      const pages = await pagesByParent(specOf(cls, ctx), fkColumn, ids, args, ctx);
      return ids.map((id) => pages.get(id)!);
    }),
  );
  return loader.load(parentId);
}

/** All children per parent, for small lists such as a case's KPIs. */
export function allOf(cls: Function, fkColumn: string, parentId: number, ctx: Context): Promise<Row[]> {
  const loader = memo(ctx, `all:${projectionOf(cls).name}:${fkColumn}`, () =>
    new DataLoader<number, Row[]>(async (ids) => {
      const found = await rowsByParent(specOf(cls, ctx), fkColumn, ids, ctx);
      return ids.map((id) => found.get(id) ?? []);
    }),
  );
  return loader.load(parentId);
}

/** The real id of a row handed to a relation resolver (the visible id may be a pseudonym). */
export function realId(row: Row): number {
  return Number(row.$id ?? row.id);
}

export function fk(row: Row, column: string): number | null {
  const v = row[`$${column}`];
  return v === null || v === undefined ? null : Number(v);
}

/** An `id` argument as the caller knows it (a number, or a pseudonym) -> the real id. */
export function idArgument(cls: Function, id: string, ctx: Context): number | null {
  const meta = projectionOf(cls);
  const idField = meta.fields.find((f) => f.name === 'id');
  if (idField?.info.transform === 'pseudonym' && ctx.principal.visibility.anonymise) {
    return ctx.services.pseudonyms.decode(audienceOf(ctx.principal), meta.name.toLowerCase(), id) ?? null;
  }
  return isRowId(id) ? Number(id) : null;
}
