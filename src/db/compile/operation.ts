// A query operation whose root fields are all plain lists or lookups (@PlainList,
// @PlainLookup) or __typename compiled into one SQL statement that returns the whole `data`
// object as JSON text (an operation of __typename alone into its constant answer). Anything
// the compiler does not handle throws NotCompilable, and graphql-js executes the operation with
// the resolvers as usual; the resolvers are the reference behaviour, and test/compile checks
// both agree.
import { getArgumentValues, getNamedType, isObjectType, Kind, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { projectionOf } from '../../graphql/projection';
import { plainListOf, plainLookupKeysOf, plainLookupOf } from '../../graphql/root-field';
import { idArgument } from '../loaders';
import { compileWhere } from '../where';
import type { Context } from '../../server/context';
import type { PageArgs } from '../list-query';
import { FALSE, join, raw, sql, TRUE, type Sql } from '../sql';
import { collectFields } from './collect';
import { Markers } from './markers';
import { NotCompilable } from './not-compilable';
import { concat, connection, lit, single, type Build } from './select-json';

export interface CompiledOperation {
  /** Selects one row: j, the `data` object as JSON text (with markers), n, the rows it returns. */
  statement: Sql;
  markers: Markers;
  /** Response keys of the root fields, for errors that concern all of them. */
  rootKeys: string[];
  /**
   * The `data` text when the operation reads no table (`{ __typename }`, aliases of it): the
   * answer needs no statement, and `statement` only selects this text.
   */
  constant?: string;
}

/**
 * The row a plain lookup names: by `id` when given (an unknown id or pseudonym names no row, like
 * a row outside the caller's scope), else by the first unique key given, as the list's filter
 * reads it; no row when neither is given.
 */
function lookupWhere(cls: Function, keys: string[], args: Record<string, unknown>, ctx: Context): Sql {
  // A null argument is one not given, as the resolvers read them.
  if (args.id !== undefined && args.id !== null) {
    const id = idArgument(cls, String(args.id), ctx);
    return id === null ? FALSE : sql`t."id" = ${id}`;
  }
  const key = keys.find((k) => args[k] !== undefined && args[k] !== null);
  return key ? compileWhere(projectionOf(cls), { [key]: { eq: args[key] } }, 't', ctx) : FALSE;
}

export function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  const out: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) out[d.name.value] = d;
  return out;
}

/**
 * Compiles `operation` for the caller in `ctx`; `variables` are already coerced. Throws
 * NotCompilable, or the GraphQLError the resolvers would report (a bad cursor, a page size
 * over the maximum), in which case the caller lets graphql-js report it.
 */
export function compileOperation(
  ctx: Context,
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): CompiledOperation {
  if (operation.operation !== 'query') throw new NotCompilable(operation.operation);
  const query = schema.getQueryType();
  if (!query) throw new NotCompilable('no query type');
  const b: Build = { ctx, markers: new Markers(), next: 0, fragments, variables };
  const parts: Sql[] = [];
  const sources: Sql[] = [];
  const rows: Sql[] = [];
  const rootKeys: string[] = [];
  // The root fields that need no row (__typename), as JSON members, for an operation of those alone.
  const members: string[] = [];
  for (const [key, nodes] of collectFields(query, [operation.selectionSet], b)) {
    const name = nodes[0]!.name.value;
    let value: Sql;
    if (name === '__typename') {
      value = lit(`"${query.name}"`);
      members.push(`"${key}":"${query.name}"`);
    } else {
      const def = query.getFields()[name];
      const type = def ? getNamedType(def.type) : undefined;
      const list = def && plainListOf(def.extensions);
      const one = def && plainLookupOf(def.extensions);
      if (!def || !isObjectType(type) || !(list || one)) throw new NotCompilable(`root field ${name}`);
      const args = getArgumentValues(def, nodes[0]!, variables);
      let sub: Sql;
      if (list) {
        sub = connection(b, projectionOf(list), type, nodes, args as PageArgs, TRUE, TRUE);
      } else {
        sub = single(b, projectionOf(one!), type, nodes, lookupWhere(one!, plainLookupKeysOf(def.extensions), args, ctx));
      }
      const alias = `r${sources.length}`;
      sources.push(sql`left join lateral (${sub}) ${raw(alias)} on true`);
      rows.push(raw(`coalesce(${alias}.n, 0)`));
      rootKeys.push(key);
      value = raw(`coalesce(${alias}.j, 'null')`);
    }
    parts.push(lit(`${parts.length === 0 ? '{' : ','}"${key}":`), value);
  }
  if (sources.length === 0) {
    const constant = `{${members.join(',')}}`;
    return { statement: sql`select ${lit(constant)} as j, 0 as n`, markers: b.markers, rootKeys, constant };
  }
  parts.push(lit('}'));
  // Each root field is a lateral subquery of at most one row on a one-row base.
  const statement = sql`select ${concat(parts)} as j, (${join(rows, ' + ')})::int as n from (select) base ${join(sources, ' ')}`;
  return { statement, markers: b.markers, rootKeys };
}
