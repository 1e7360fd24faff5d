// Look-ahead loading: once a page of rows is known, the relations the operation selects under
// it are loaded level by level (one statement per selected relation, for all parents at once,
// in parallel) before graphql-js walks the result. Field resolvers then find plain values and
// the whole walk stays synchronous, which is most of the cost of a large nested answer.
// Results are keyed by where the field stands in the response (its path without list
// indices), so each selection costs exactly one statement whatever the data.
import {
  getArgumentValues,
  isObjectType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLResolveInfo,
  type SelectionNode,
} from 'graphql';
import type { Row } from '../anonymisation/present';
import type { Connection } from '../graphql/connection';
import { projectionOf } from '../graphql/projection';
import type { Context } from '../server/context';
import { pagesByParent, rowsByIds, rowsByParent, type PageArgs } from './list-query';
import { specOf } from './loaders';
import { joinKey, relationOf } from './relations';

type Fragments = GraphQLResolveInfo['fragments'];

/** Field nodes of a selection, through inline fragments and fragment spreads. */
function fieldsOf(selections: readonly SelectionNode[], fragments: Fragments, seen = new Set<string>()): FieldNode[] {
  const out: FieldNode[] = [];
  for (const s of selections) {
    if (s.kind === Kind.FIELD) out.push(s);
    else if (s.kind === Kind.INLINE_FRAGMENT) out.push(...fieldsOf(s.selectionSet.selections, fragments, seen));
    else if (!seen.has(s.name.value)) {
      seen.add(s.name.value);
      const f: FragmentDefinitionNode | undefined = fragments[s.name.value];
      if (f) out.push(...fieldsOf(f.selectionSet.selections, fragments, new Set(seen)));
    }
  }
  return out;
}

/** The selections on a connection's rows, by the path they stand at (`nodes`, `edges.node`, aliases). */
function nodeLocations(fieldNodes: readonly FieldNode[], fragments: Fragments, path: string): [string, SelectionNode[]][] {
  const byPath = new Map<string, SelectionNode[]>();
  const add = (at: string, selections: readonly SelectionNode[] | undefined) => byPath.set(at, [...(byPath.get(at) ?? []), ...(selections ?? [])]);
  for (const f of fieldNodes) {
    for (const child of fieldsOf(f.selectionSet?.selections ?? [], fragments)) {
      const key = `${path}.${child.alias?.value ?? child.name.value}`;
      if (child.name.value === 'nodes') add(key, child.selectionSet?.selections);
      if (child.name.value === 'edges') {
        for (const e of fieldsOf(child.selectionSet?.selections ?? [], fragments)) {
          if (e.name.value === 'node') add(`${key}.${e.alias?.value ?? 'node'}`, e.selectionSet?.selections);
        }
      }
    }
  }
  return [...byPath];
}

/** Path of a resolver's field without list indices, e.g. "customers.nodes.orders". */
export function pathKey(info: Pick<GraphQLResolveInfo, 'path'>): string {
  const keys: string[] = [];
  for (let p: GraphQLResolveInfo['path'] | undefined = info.path; p; p = p.prev) if (typeof p.key === 'string') keys.push(p.key);
  return keys.reverse().join('.');
}

export function prefetchedKey(path: string): string {
  return `pre:${path}`;
}

/** After a root list: prefetch what its rows' selections need. */
export function prefetchConnection(ctx: Context, typeName: string, rows: Row[], info: GraphQLResolveInfo): Promise<void> {
  const root = pathKey(info);
  return Promise.all(nodeLocations(info.fieldNodes, info.fragments, root).map(([path, sel]) => prefetch(ctx, typeName, rows, sel, info, path))).then(() => undefined);
}

export async function prefetch(ctx: Context, typeName: string, rows: Row[], selections: readonly SelectionNode[], info: GraphQLResolveInfo, path: string): Promise<void> {
  if (rows.length === 0 || selections.length === 0) return;
  const type = info.schema.getType(typeName);
  if (!isObjectType(type)) return;
  const tasks: Promise<void>[] = [];
  const planned = new Set<string>();
  for (const node of fieldsOf(selections, info.fragments)) {
    const rel = relationOf(typeName, node.name.value);
    const def = type.getFields()[node.name.value];
    if (!rel || !def) continue;
    const at = `${path}.${node.alias?.value ?? node.name.value}`;
    if (planned.has(at)) continue; // the same field selected twice (fragments) is one location
    planned.add(at);
    let args: PageArgs;
    try {
      args = getArgumentValues(def, node, info.variableValues) as PageArgs;
    } catch {
      continue; // the field resolver reports bad arguments where they belong
    }
    const keys = [...new Set(rows.map((r) => joinKey(rel, r)).filter((k): k is number => k !== null))];
    if (keys.length === 0) continue;
    const target = rel.target();
    const targetName = projectionOf(target).name;
    tasks.push(
      (async () => {
        const spec = specOf(target, ctx);
        const result = new Map<number, unknown>();
        let children: Row[] = [];
        if (rel.kind === 'page') {
          const pages = await pagesByParent(spec, rel.fk, keys, args, ctx);
          for (const [k, conn] of pages) {
            result.set(k, conn);
            children.push(...(conn as Connection<Row>).nodes);
          }
        } else if (rel.kind === 'one') {
          const found = await rowsByIds(spec, keys, ctx);
          for (const k of keys) result.set(k, found.get(k) ?? null);
          children = [...found.values()];
        } else {
          const found = await rowsByParent(spec, rel.fk, keys, ctx);
          for (const k of keys) {
            const list = found.get(k) ?? [];
            result.set(k, rel.first ? (list[0] ?? null) : list);
            children.push(...(rel.first ? list.slice(0, 1) : list));
          }
        }
        ctx.memo.set(prefetchedKey(at), result);
        if (rel.kind === 'page') {
          await Promise.all(nodeLocations([node], info.fragments, at).map(([p, sel]) => prefetch(ctx, targetName, children, sel, info, p)));
        } else {
          await prefetch(ctx, targetName, children, node.selectionSet?.selections ?? [], info, at);
        }
      })().catch(() => undefined), // a failing level is loaded again, and reported, by its resolver
    );
  }
  await Promise.all(tasks);
}
