// Lists, lookups and relations of projections, compiled to SQL from the declarations:
// one statement for a page, one for its count (only when selected), one per relation level
// for any number of parents. Keyset pagination with opaque cursors.
import crypto from 'node:crypto';
import { GraphQLError } from 'graphql';
import { audienceOf, present, type Row } from '../anonymisation/present';
import { Connection } from '../graphql/connection';
import type { ProjectionMeta } from '../graphql/projection';
import { SortDirection } from '../graphql/projection';
import { sortAllowed } from '../permissions/policy';
import type { Context } from '../server/context';
import { badCursor } from './cursor';
import { compileWhere, fieldExpr, unknownField, type WhereInput } from './where';
import { and, ident, join, or, raw, sql, TRUE, type Sql } from './sql';

export type OrderByInput = Record<string, SortDirection | null | undefined>;

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  where?: WhereInput | null;
  orderBy?: OrderByInput[] | null;
}

export interface ListSpec {
  meta: ProjectionMeta;
  /** Row scope for the caller (TRUE when unrestricted); alias `t`. */
  scope: Sql;
  /** Extra columns to fetch for relations, e.g. ['partner_id']; read back as row.$partner_id. */
  keys?: string[];
  defaultOrder?: OrderByInput[];
}

export interface SortKey {
  name: string;
  expr: Sql;
  desc: boolean;
}

const ALIAS = 't';

export function selectList(spec: ListSpec, keys: SortKey[] = []): Sql {
  const cols = spec.meta.fields
    .filter((f) => f.info.sql !== undefined)
    .map((f) => sql`${fieldExpr(f, ALIAS)} as ${ident(f.name)}`);
  for (const k of spec.keys ?? []) cols.push(raw(`${ALIAS}."${k}" as "$${k}"`));
  // Sort keys that are not fields (the hidden tie-break) travel with the row for its cursor,
  // and every key's exact text too: a timestamp parsed into a Date loses its microseconds,
  // and a cursor holding the rounded value would skip or repeat rows that differ below them.
  for (const k of keys) {
    if (k.name.startsWith('$')) cols.push(sql`${k.expr} as ${ident(k.name)}`);
    else cols.push(sql`${k.expr}::text as ${ident(exactKey(k.name))}`);
  }
  return join(cols, ', ');
}

const exactKey = (name: string) => `$exact:${name}`;

/**
 * The final tie-break. Ordering by the real id would tell callers who see pseudonyms how
 * the hidden ids compare, so they get a keyed hash of it instead: a stable order that
 * depends on nothing they cannot see.
 */
function tieBreak(spec: ListSpec, ctx: Context): SortKey {
  const idField = spec.meta.fields.find((f) => f.name === 'id');
  if (idField?.info.transform === 'pseudonym' && ctx.principal.visibility.anonymise) {
    const salt = crypto.createHmac('sha256', ctx.services.secretKey).update(audienceOf(ctx.principal)).digest('hex');
    return { name: '$order', expr: sql`md5(${salt} || ${raw(ALIAS)}."id"::text)`, desc: false };
  }
  return { name: 'id', expr: raw(`${ALIAS}."id"`), desc: false };
}

export function pageSize(first: number | null | undefined, ctx: Context): number {
  const { defaultPageSize, maxPageSize } = ctx.services.config.pagination;
  if (first === null || first === undefined) return defaultPageSize;
  if (!Number.isInteger(first) || first < 0 || first > maxPageSize) {
    throw new GraphQLError(`first must be between 0 and ${maxPageSize}`, {
      extensions: { code: 'PAGE_SIZE_EXCEEDED', maxPageSize },
    });
  }
  return first;
}

function sortKeys(spec: ListSpec, orderBy: OrderByInput[] | null | undefined, ctx: Context): SortKey[] {
  const entries = orderBy && orderBy.length > 0 ? orderBy : (spec.defaultOrder ?? []);
  const keys: SortKey[] = [];
  for (const entry of entries) {
    const set = Object.entries(entry).filter(([, d]) => d !== null && d !== undefined);
    if (set.length !== 1) {
      throw new GraphQLError('Each orderBy entry names exactly one field', { extensions: { code: 'BAD_USER_INPUT' } });
    }
    const [name, dir] = set[0];
    const f = spec.meta.fields.find((x) => x.name === name && x.info.sortable);
    if (!f || !sortAllowed(f, ctx.principal)) throw unknownField(spec.meta.name, name);
    if (!keys.some((k) => k.name === name)) keys.push({ name, expr: fieldExpr(f, ALIAS), desc: dir === SortDirection.DESC });
  }
  // The id (or its keyed hash) makes every position unique: keyset pages never skip or repeat.
  if (!keys.some((k) => k.name === 'id')) keys.push(tieBreak(spec, ctx));
  return keys;
}

/** The same order over the selected columns of a subquery aliased `alias`. */
export function outerOrder(keys: SortKey[], alias = 'x'): Sql {
  return raw(keys.map((k) => `${alias}."${k.name}" ${k.desc ? 'desc' : 'asc'}`).join(', '));
}

export function orderSql(keys: SortKey[]): Sql {
  return join(keys.map((k) => sql`${k.expr} ${raw(k.desc ? 'desc' : 'asc')}`), ', ');
}

function orderFingerprint(meta: ProjectionMeta, keys: SortKey[]): string {
  const text = `${meta.name}:${keys.map((k) => `${k.name}${k.desc ? '-' : '+'}`).join(',')}`;
  return crypto.createHash('sha256').update(text).digest('base64url').slice(0, 10);
}

/** Rows strictly after the cursor's position in the given order. */
function afterCondition(keys: SortKey[], values: unknown[]): Sql {
  const branches: Sql[] = [];
  for (let i = 0; i < keys.length; i++) {
    const eqs = keys.slice(0, i).map((k, j) => sql`${k.expr} = ${values[j]}`);
    const cmp = keys[i].desc ? raw('<') : raw('>');
    branches.push(and([...eqs, sql`${keys[i].expr} ${cmp} ${values[i]}`]));
  }
  return or(branches);
}

function cursorValue(v: unknown): unknown {
  return v instanceof Date ? v.toISOString() : v;
}

interface Positioned {
  keys: SortKey[];
  fingerprint: string;
  after: Sql;
  limit: number;
  hasAfter: boolean;
}

export function position(spec: ListSpec, args: PageArgs, ctx: Context): Positioned {
  const keys = sortKeys(spec, args.orderBy, ctx);
  const fingerprint = orderFingerprint(spec.meta, keys);
  let after: Sql = TRUE;
  if (args.after) {
    const decoded = ctx.services.cursors.decode(args.after) as { o?: string; v?: unknown[] };
    if (decoded?.o !== fingerprint || !Array.isArray(decoded.v) || decoded.v.length !== keys.length) throw badCursor();
    after = afterCondition(keys, decoded.v);
  }
  return { keys, fingerprint, after, limit: pageSize(args.first, ctx), hasAfter: Boolean(args.after) };
}

function toConnection(spec: ListSpec, pos: Positioned, rows: Row[], ctx: Context, count: () => Promise<number>): Connection<Row> {
  const hasNext = rows.length > pos.limit;
  const page = hasNext ? rows.slice(0, pos.limit) : rows;
  // The position is read before presenting: presenting may replace values (pseudonyms).
  const positions = new Map<Row, unknown[]>();
  const nodes = page.map((row) => {
    const values = pos.keys.map((k) => (row[k.name] instanceof Date ? row[exactKey(k.name)] : row[k.name]));
    const node = presentRow(spec.meta, row, ctx);
    positions.set(node, values);
    return node;
  });
  return new Connection(
    nodes,
    (node) => ctx.services.cursors.encode({ o: pos.fingerprint, v: positions.get(node)!.map(cursorValue) }),
    { hasNextPage: hasNext, hasPreviousPage: pos.hasAfter },
    count,
  );
}

export function presentRow(meta: ProjectionMeta, row: Row, ctx: Context): Row {
  // The real id stays available to relation resolvers after the visible id is pseudonymised.
  row.$id = row.id;
  ctx.rows++;
  return present(meta.fields, meta.name.toLowerCase(), row, ctx.principal, ctx.services.pseudonyms);
}

export function fromTable(meta: ProjectionMeta): Sql {
  return raw(`"${meta.table}" ${ALIAS}`);
}

export async function listPage(spec: ListSpec, args: PageArgs, ctx: Context): Promise<Connection<Row>> {
  const pos = position(spec, args, ctx);
  const filter = and([spec.scope, compileWhere(spec.meta, args.where, ALIAS, ctx)]);
  const rows =
    pos.limit === 0
      ? []
      : await ctx.exec.rows<Row>(
          sql`select ${selectList(spec, pos.keys)} from ${fromTable(spec.meta)} where ${and([filter, pos.after])} order by ${orderSql(pos.keys)} limit ${pos.limit + 1}`,
        );
  return toConnection(spec, pos, rows, ctx, async () => {
    const [r] = await ctx.exec.rows<{ n: number }>(sql`select count(*)::int as n from ${fromTable(spec.meta)} where ${filter}`);
    return r.n;
  });
}

/** Rows by id within the caller's scope; ids outside it are simply absent. */
export async function rowsByIds(spec: ListSpec, ids: readonly number[], ctx: Context): Promise<Map<number, Row>> {
  const rows = await ctx.exec.rows<Row>(
    sql`select ${selectList(spec)} from ${fromTable(spec.meta)} where ${and([spec.scope, sql`${raw(ALIAS)}."id" = any(${[...ids]}::int[])`])}`,
  );
  const byId = new Map<number, Row>();
  for (const row of rows) byId.set(Number(row.id), presentRow(spec.meta, row, ctx));
  return byId;
}

/** One page per parent, for any number of parents, in one statement (a lateral join). */
export async function pagesByParent(
  spec: ListSpec,
  fkColumn: string,
  parentIds: readonly number[],
  args: PageArgs,
  ctx: Context,
): Promise<Map<number, Connection<Row>>> {
  const pos = position(spec, args, ctx);
  const fk = raw(`${ALIAS}."${fkColumn}"`);
  const filter = and([spec.scope, compileWhere(spec.meta, args.where, ALIAS, ctx)]);
  const ids = [...new Set(parentIds)];
  const rows =
    pos.limit === 0
      ? []
      : await ctx.exec.rows<Row>(sql`select p.pid as "$parent", x.* from unnest(${ids}::int[]) as p(pid)
      cross join lateral (
        select ${selectList(spec, pos.keys)}
        from ${fromTable(spec.meta)} where ${fk} = p.pid and ${and([filter, pos.after])}
        order by ${orderSql(pos.keys)} limit ${pos.limit + 1}
      ) x order by p.pid, ${outerOrder(pos.keys)}`);
  const grouped = new Map<number, Row[]>(ids.map((id) => [id, []]));
  for (const row of rows) grouped.get(Number(row.$parent))?.push(row);

  let counts: Promise<Map<number, number>> | undefined;
  const countAll = async () => {
    const result = await ctx.exec.rows<{ pid: number; n: number }>(
      sql`select ${fk} as pid, count(*)::int as n from ${fromTable(spec.meta)} where ${fk} = any(${ids}::int[]) and ${filter} group by ${fk}`,
    );
    return new Map(result.map((r) => [Number(r.pid), r.n]));
  };
  const out = new Map<number, Connection<Row>>();
  for (const [id, list] of grouped) {
    out.set(
      id,
      toConnection(spec, pos, list, ctx, async () => {
        counts ??= countAll();
        return (await counts).get(id) ?? 0;
      }),
    );
  }
  return out;
}

/** Every row per parent (small child lists such as a case's KPIs), one statement. */
export async function rowsByParent(spec: ListSpec, fkColumn: string, parentIds: readonly number[], ctx: Context): Promise<Map<number, Row[]>> {
  const pos = position(spec, {}, ctx);
  const fk = raw(`${ALIAS}."${fkColumn}"`);
  const ids = [...new Set(parentIds)];
  const rows = await ctx.exec.rows<Row>(
    sql`select ${fk} as "$parent", ${selectList(spec, pos.keys)} from ${fromTable(spec.meta)} where ${fk} = any(${ids}::int[]) and ${spec.scope} order by ${orderSql(pos.keys)}`,
  );
  const out = new Map<number, Row[]>(ids.map((id) => [id, []]));
  for (const row of rows) out.get(Number(row.$parent))?.push(presentRow(spec.meta, row, ctx));
  return out;
}
