// Field collection as graphql-js does it (CollectFields in the spec): response keys in
// document order, fragments and inline fragments flattened, @skip/@include applied, fields
// of the same response key merged. Anything else (a type condition on an abstract type,
// another directive) is left to graphql-js.
import {
  getDirectiveValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type FragmentSpreadNode,
  type GraphQLObjectType,
  type InlineFragmentNode,
  type SelectionSetNode,
} from 'graphql';
import { NotCompilable } from './not-compilable';

export interface Collecting {
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

function included(node: FieldNode | FragmentSpreadNode | InlineFragmentNode, c: Collecting): boolean {
  for (const d of node.directives ?? []) {
    if (d.name.value !== 'skip' && d.name.value !== 'include') throw new NotCompilable(`directive @${d.name.value}`);
  }
  if (getDirectiveValues(GraphQLSkipDirective, node, c.variables)?.if === true) return false;
  if (getDirectiveValues(GraphQLIncludeDirective, node, c.variables)?.if === false) return false;
  return true;
}

function onType(condition: string | undefined, type: GraphQLObjectType): void {
  if (condition !== undefined && condition !== type.name) throw new NotCompilable(`type condition ${condition} in ${type.name}`);
}

/** The fields of `type` that the selection sets of `nodes` ask for, by response key. */
export function collectFields(type: GraphQLObjectType, sets: readonly (SelectionSetNode | undefined)[], c: Collecting): Map<string, FieldNode[]> {
  const out = new Map<string, FieldNode[]>();
  const visited = new Set<string>();
  const walk = (set: SelectionSetNode | undefined) => {
    for (const s of set?.selections ?? []) {
      if (!included(s, c)) continue;
      if (s.kind === Kind.FIELD) {
        const key = s.alias?.value ?? s.name.value;
        const list = out.get(key);
        if (list) list.push(s);
        else out.set(key, [s]);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        onType(s.typeCondition?.name.value, type);
        walk(s.selectionSet);
      } else if (!visited.has(s.name.value)) {
        visited.add(s.name.value);
        const f = c.fragments[s.name.value];
        if (!f) throw new NotCompilable(`unknown fragment ${s.name.value}`);
        onType(f.typeCondition.name.value, type);
        walk(f.selectionSet);
      }
    }
  };
  for (const set of sets) walk(set);
  return out;
}

export function subfields(type: GraphQLObjectType, nodes: readonly FieldNode[], c: Collecting): Map<string, FieldNode[]> {
  return collectFields(
    type,
    nodes.map((n) => n.selectionSet),
    c,
  );
}
