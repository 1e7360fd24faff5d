// A selection on projections compiled into SQL that builds the response's JSON text, from the
// same declarations, row scopes, filters, sort keys and cursors as the resolvers use
// (list-query.ts, where.ts, relations.ts, anonymisation/). Each list or object is a subquery
// that yields one row (j: its JSON text, n: the rows it returns, for the access ledger);
// relations are lateral joins on the parent's rows, so a whole operation is one statement.
//
// Shapes, with x the rows of a page and c1.. the relations under them:
//   page:   select <json, aggregated in <keys> order> as j, <rows> as n
//             from (select <columns> from <table> t where <scope, filter, keyset>
//                    order by <keys> limit <first>) x
//             left join lateral (<relation of x>) c1 on true ...
//           and when the page's hasNextPage is asked, first + 1 rows numbered by
//           row_number() over (<order>) as "$rn": the last tells the answer and is left out
//           of the rest (x."$rn" <= first);
//   object: the same without the page: the row or no row.
import { getArgumentValues, getNamedType, isObjectType, type FieldNode, type GraphQLField, type GraphQLObjectType, type GraphQLOutputType } from 'graphql';
import { ageBandSql } from '../../anonymisation/generalise';
import { audienceOf } from '../../anonymisation/present';
import { projectionOf, type ProjectionMeta } from '../../graphql/projection';
import { readable } from '../../permissions/policy';
import type { DeclaredField } from '../../permissions/tier-field';
import type { Context } from '../../server/context';
import { fromTable, orderSql, outerOrder, position, type PageArgs, type SortKey } from '../list-query';
import { specOf } from '../loaders';
import { relationOf, type Relation } from '../relations';
import { and, ident, join, raw, sql, TRUE, type Sql } from '../sql';
import { compileWhere, fieldExpr } from '../where';
import { subfields, type Collecting } from './collect';
import { jsonValue, quoted } from './json-values';
import type { Markers } from './markers';
import { NotCompilable } from './not-compilable';

export interface Build extends Collecting {
  ctx: Context;
  markers: Markers;
  /** Counter for unique aliases within the statement. */
  next: number;
}

/** An SQL string literal of trusted text (response keys, type names). */
export function lit(text: string): Sql {
  return raw(`'${text.replace(/'/g, "''")}'`);
}

/** Text of the parts in order; none is null (every value is coalesced to 'null'). */
export function concat(parts: Sql[]): Sql {
  return parts.length === 1 ? parts[0]! : sql`(${join(parts, ' || ')})`;
}

/** The rows of one table in the statement: the columns the JSON reads, the relations joined to them. */
class Level {
  private readonly cols = new Map<string, Sql>();
  readonly joins: Sql[] = [];
  readonly childRows: Sql[] = [];
  constructor(
    readonly alias: string,
    readonly meta: ProjectionMeta,
    /** Condition on this level's row for work under it (rows past the page are not shown). */
    readonly gate: Sql,
  ) {
    this.col('$id', raw('t."id"'));
  }

  /** Fetches `expr` (over the table alias t) as column `name`; the reference to it. */
  col(name: string, expr: Sql): Sql {
    if (!this.cols.has(name)) this.cols.set(name, expr);
    return this.ref(name);
  }

  ref(name: string): Sql {
    return raw(`${this.alias}."${name.replace(/"/g, '""')}"`);
  }

  selectList(): Sql {
    return join(
      [...this.cols].map(([name, expr]) => sql`${expr} as ${ident(name)}`),
      ', ',
    );
  }

  joinSql(): Sql {
    return join(this.joins, ' ');
  }
}

function bail(why: string): never {
  throw new NotCompilable(why);
}

function objectType(type: GraphQLOutputType): GraphQLObjectType {
  const named = getNamedType(type);
  if (!isObjectType(named)) bail(`${String(named)} is not an object type`);
  return named;
}

function declared(level: Level, name: string): DeclaredField {
  const f = level.meta.fields.find((x) => x.name === name);
  if (!f) bail(`${level.meta.name}.${name} has no declaration`);
  return f;
}

/** A column field's JSON, after the transform its declaration states for this caller. */
function columnValue(b: Build, level: Level, f: DeclaredField, def: GraphQLField<unknown, unknown>): Sql {
  const transform = b.ctx.principal.visibility.anonymise ? f.info.transform : 'none';
  switch (transform) {
    case 'pseudonym': {
      const kind = f.info.pseudonymKind ?? level.meta.name.toLowerCase();
      const audience = audienceOf(b.ctx.principal);
      const pseudonyms = b.ctx.services.pseudonyms;
      const h = b.markers.handler(`pseudonym:${kind}`, () => (id) => JSON.stringify(pseudonyms.encode(audience, kind, id)));
      const v = level.col(f.name, fieldExpr(f, 't'));
      return sql`coalesce(${b.markers.sql(h, sql`(${v})::text`)}, 'null')`;
    }
    case 'ageBand':
      // Digits and a hyphen, written by ageBandSql: nothing to escape.
      return quoted(raw(ageBandSql(level.col(f.name, fieldExpr(f, 't')).text)));
    case 'district':
      return jsonValue(def.type, level.col('district', fieldExpr(declared(level, 'district'), 't')));
    case 'drop':
      return lit('null');
    case 'none':
      return jsonValue(def.type, level.col(f.name, fieldExpr(f, 't')), { integerId: f.info.filter === 'id' });
  }
}

function fieldValue(b: Build, level: Level, type: GraphQLObjectType, nodes: FieldNode[]): Sql {
  const name = nodes[0]!.name.value;
  if (name === '__typename') return lit(`"${type.name}"`);
  const def = type.getFields()[name];
  if (!def) bail(`${type.name}.${name} is not in this schema`);
  const f = declared(level, name);
  // The shield has refused such an operation already; this stands behind it.
  if (!readable(f.info, b.ctx.principal.visibility)) bail(`${type.name}.${name} is not readable`);
  const rel = relationOf(type.name, name);
  if (rel) return relationValue(b, level, rel, def, nodes);
  if (f.info.sql === undefined) bail(`${type.name}.${name} is computed by a resolver`);
  return columnValue(b, level, f, def);
}

/** JSON object text of the level's row, for the fields `nodes` select on `type`. */
function objectText(b: Build, level: Level, type: GraphQLObjectType, nodes: readonly FieldNode[]): Sql {
  const parts: Sql[] = [];
  for (const [key, fieldNodes] of subfields(type, nodes, b)) {
    parts.push(lit(`${parts.length === 0 ? '{' : ','}"${key}":`), fieldValue(b, level, type, fieldNodes));
  }
  if (parts.length === 0) return lit('{}');
  parts.push(lit('}'));
  return concat(parts);
}

/** The aggregate over the rows `gate` lets through (all of them when it is TRUE). */
function gated(agg: Sql, gate: Sql): Sql {
  return gate === TRUE ? agg : sql`${agg} filter (where ${gate})`;
}

function childRows(level: Level, aggregate: boolean): Sql {
  return join(
    level.childRows.map((n) => (aggregate ? sql` + coalesce(${gated(sql`sum(${n})`, level.gate)}, 0)` : sql` + coalesce(${n}, 0)`)),
    '',
  );
}

function relationValue(b: Build, level: Level, rel: Relation, def: GraphQLField<unknown, unknown>, nodes: FieldNode[]): Sql {
  const meta = projectionOf(rel.target());
  const type = objectType(def.type);
  const alias = `c${b.next++}`;
  let sub: Sql;
  let none = 'null';
  if (rel.kind === 'page') {
    const args = getArgumentValues(def, nodes[0]!, b.variables) as PageArgs;
    const corr = sql`t.${ident(rel.fk)} = ${level.ref('$id')}`;
    sub = connection(b, meta, type, nodes, args, corr, level.gate);
  } else if (rel.kind === 'one') {
    const key = level.col(`$${rel.key}`, raw(`t."${rel.key}"`));
    sub = single(b, meta, type, nodes, and([sql`t."id" = ${key}`, level.gate]));
  } else {
    const corr = and([sql`t.${ident(rel.fk)} = ${level.ref('$id')}`, level.gate]);
    const keys = position(specOf(meta.cls, b.ctx), {}, b.ctx).keys;
    if (rel.first) {
      sub = single(b, meta, type, nodes, corr, keys);
    } else {
      sub = all(b, meta, type, nodes, corr, keys);
      none = '[]';
    }
  }
  level.joins.push(sql`left join lateral (${sub}) ${raw(alias)} on true`);
  level.childRows.push(raw(`${alias}.n`));
  return sql`coalesce(${raw(alias)}.j, ${lit(none)})`;
}

function scopeOf(b: Build, meta: ProjectionMeta): Sql {
  if (meta.customerRows && !b.ctx.principal.visibility.customerRows) bail(`${meta.name} rows are not for this caller`);
  return specOf(meta.cls, b.ctx).scope;
}

/** One row (by key, or the first in `keys` order) or none. */
export function single(b: Build, meta: ProjectionMeta, type: GraphQLObjectType, nodes: readonly FieldNode[], where: Sql, keys?: SortKey[]): Sql {
  const y = new Level(`y${b.next++}`, meta, TRUE);
  const text = objectText(b, y, type, nodes);
  const order = keys ? sql` order by ${orderSql(keys)} limit 1` : raw('');
  const rows = sql`(select ${y.selectList()} from ${fromTable(meta)} where ${and([where, scopeOf(b, meta)])}${order})`;
  return sql`select ${text} as j, (1${childRows(y, false)})::int as n from ${rows} ${raw(y.alias)} ${y.joinSql()}`;
}

/** Every row in `keys` order, as a JSON array. */
function all(b: Build, meta: ProjectionMeta, type: GraphQLObjectType, nodes: readonly FieldNode[], where: Sql, keys: SortKey[]): Sql {
  const y = new Level(`y${b.next++}`, meta, TRUE);
  const text = objectText(b, y, type, nodes);
  for (const k of keys) y.col(k.name, k.expr);
  const rows = sql`(select ${y.selectList()} from ${fromTable(meta)} where ${and([where, scopeOf(b, meta)])})`;
  const agg = sql`concat('[', string_agg(${text}, ',' order by ${outerOrder(keys, y.alias)}), ']')`;
  return sql`select ${agg} as j, (count(${y.ref('$id')})${childRows(y, true)})::int as n from ${rows} ${raw(y.alias)} ${y.joinSql()}`;
}

/** Does the selection on a connection ask for pageInfo's hasNextPage? */
function asksHasNextPage(b: Build, connType: GraphQLObjectType, nodes: readonly FieldNode[]): boolean {
  for (const fieldNodes of subfields(connType, nodes, b).values()) {
    if (fieldNodes[0]!.name.value !== 'pageInfo') continue;
    const infoType = objectType(connType.getFields().pageInfo!.type);
    for (const inodes of subfields(infoType, fieldNodes, b).values()) if (inodes[0]!.name.value === 'hasNextPage') return true;
  }
  return false;
}

/**
 * A connection: its page of rows under `corr` (the join to the parent row) and `gate` (the
 * parent row is shown), the caller's scope, the filter and the keyset position, with whatever
 * of nodes, edges, pageInfo and totalCount the operation selects.
 */
export function connection(
  b: Build,
  meta: ProjectionMeta,
  connType: GraphQLObjectType,
  nodes: readonly FieldNode[],
  args: PageArgs,
  corr: Sql,
  gate: Sql,
): Sql {
  const ctx = b.ctx;
  const scope = scopeOf(b, meta);
  const pos = position(specOf(meta.cls, ctx), args, ctx);
  const filter = and([scope, compileWhere(meta, args.where, 't', ctx)]);
  const alias = `x${b.next++}`;
  const limit = pos.limit;
  // Only hasNextPage needs the row past the page, and row numbers to leave it out of the rest:
  // the window and the extra row cost about a tenth of a pull's statement.
  const numbered = asksHasNextPage(b, connType, nodes);
  const inPage = numbered ? raw(`${alias}."$rn" <= ${limit}`) : TRUE;
  const x = new Level(alias, meta, inPage);
  for (const k of pos.keys) x.col(k.name, k.expr);
  const rn = x.ref('$rn');
  /** The page's order, or its reverse. */
  const order = (reverse: boolean): Sql =>
    numbered ? (reverse ? sql`${rn} desc` : rn) : outerOrder(reverse ? pos.keys.map((k) => ({ ...k, desc: !k.desc })) : pos.keys, alias);

  const cursor = (): Sql => {
    const { fingerprint } = pos;
    const cursors = ctx.services.cursors;
    const h = b.markers.handler(`cursor:${fingerprint}`, () => (payload) => JSON.stringify(cursors.encode({ o: fingerprint, v: JSON.parse(payload) })));
    return b.markers.sql(h, sql`json_build_array(${join(
      pos.keys.map((k) => x.ref(k.name)),
      ', ',
    )})::text`);
  };
  const rowList = (text: Sql): Sql => sql`concat('[', ${gated(sql`string_agg(${text}, ',' order by ${order(false)})`, inPage)}, ']')`;

  const parts: Sql[] = [];
  for (const [key, fieldNodes] of subfields(connType, nodes, b)) {
    const name = fieldNodes[0]!.name.value;
    const def = connType.getFields()[name];
    let value: Sql;
    if (name === '__typename') {
      value = lit(`"${connType.name}"`);
    } else if (!def) {
      bail(`${connType.name}.${name}`);
    } else if (name === 'nodes') {
      value = rowList(objectText(b, x, objectType(def.type), fieldNodes));
    } else if (name === 'edges') {
      const edgeType = objectType(def.type);
      const edge: Sql[] = [];
      for (const [ek, ef] of subfields(edgeType, fieldNodes, b)) {
        const en = ef[0]!.name.value;
        const v =
          en === '__typename'
            ? lit(`"${edgeType.name}"`)
            : en === 'cursor'
              ? cursor()
              : en === 'node'
                ? objectText(b, x, objectType(edgeType.getFields().node!.type), ef)
                : bail(`${edgeType.name}.${en}`);
        edge.push(lit(`${edge.length === 0 ? '{' : ','}"${ek}":`), v);
      }
      value = rowList(edge.length === 0 ? lit('{}') : concat([...edge, lit('}')]));
    } else if (name === 'totalCount') {
      value = sql`(select count(*) from ${fromTable(meta)} where ${and([corr, gate, filter])})::text`;
    } else if (name === 'pageInfo') {
      const infoType = objectType(def.type);
      const info: Sql[] = [];
      for (const [ik, inodes] of subfields(infoType, fieldNodes, b)) {
        const iname = inodes[0]!.name.value;
        const edgeCursor = (dir: 'asc' | 'desc') => sql`coalesce((${gated(sql`array_agg(${cursor()} order by ${order(dir === 'desc')})`, inPage)})[1], 'null')`;
        const v =
          iname === '__typename'
            ? lit(`"${infoType.name}"`)
            : iname === 'hasNextPage'
              ? sql`(case when coalesce(max(${rn}), 0) > ${raw(String(limit))} then 'true' else 'false' end)`
              : iname === 'hasPreviousPage'
                ? lit(pos.hasAfter ? 'true' : 'false')
                : iname === 'startCursor'
                  ? edgeCursor('asc')
                  : iname === 'endCursor'
                    ? edgeCursor('desc')
                    : bail(`${infoType.name}.${iname}`);
        info.push(lit(`${info.length === 0 ? '{' : ','}"${ik}":`), v);
      }
      value = info.length === 0 ? lit('{}') : concat([...info, lit('}')]);
    } else {
      bail(`${connType.name}.${name}`);
    }
    parts.push(lit(`${parts.length === 0 ? '{' : ','}"${key}":`), value);
  }
  const text = parts.length === 0 ? lit('{}') : concat([...parts, lit('}')]);

  // The page: first + 1 rows tell whether there is a next page (first: 0 reads nothing).
  const fetch = limit === 0 ? 0 : numbered ? limit + 1 : limit;
  const page = sql`select ${x.selectList()} from ${fromTable(meta)} where ${and([corr, gate, filter, pos.after])} order by ${orderSql(pos.keys)} limit ${raw(String(fetch))}`;
  const rows = numbered ? sql`(select s.*, row_number() over (order by ${outerOrder(pos.keys, 's')}) as "$rn" from (${page}) s)` : sql`(${page})`;
  return sql`select ${text} as j, ((${gated(sql`count(*)`, inPage)})${childRows(x, true)})::int as n from ${rows} ${raw(alias)} ${x.joinSql()}`;
}
