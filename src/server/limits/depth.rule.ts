// Refuses operations nested too deeply. Ordinary fields are measured against the configured
// limit; introspection (`__schema`, `__type` and everything below them) against a fixed cap, so
// that tools can introspect the schema while `type { ofType { ofType { ... } } }` towers cannot.
// `__typename` is a leaf that costs nothing and is ignored.
//
// Fragments are followed; each fragment is measured once (memoised), so documents that spread
// fragments many times stay linear, and a fragment cycle (reported by NoFragmentCyclesRule)
// is cut instead of recursing forever.
import {
  GraphQLError,
  Kind,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

/** The deepest introspection query accepted, whatever the configured limit. */
export const INTROSPECTION_MAX_DEPTH = 15;

const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

/** Heights of a selection set: ordinary fields, and fields inside introspection (0: none). */
interface Heights {
  plain: number;
  introspection: number;
}

export interface OperationDepth {
  /** The deepest path of ordinary fields. */
  depth: number;
  /** The deepest path that reaches into introspection, counted from the operation's root. */
  introspectionDepth: number;
}

/** Measures one operation of a document (fragments taken from `fragments`). */
export function measureDepth(operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): OperationDepth {
  const memo = new Map<string, Heights>();
  const onStack = new Set<string>();

  const heights = (set: SelectionSetNode | undefined, inIntrospection: boolean): Heights => {
    const out: Heights = { plain: 0, introspection: 0 };
    if (!set) return out;
    for (const sel of set.selections) {
      let sub: Heights;
      if (sel.kind === Kind.FIELD) {
        const name = sel.name.value;
        if (name === '__typename') continue;
        if (inIntrospection || INTROSPECTION_ROOTS.has(name)) {
          const inner = heights(sel.selectionSet, true);
          out.introspection = Math.max(out.introspection, 1 + inner.introspection);
          continue;
        }
        const inner = heights(sel.selectionSet, false);
        out.plain = Math.max(out.plain, 1 + inner.plain);
        if (inner.introspection > 0) out.introspection = Math.max(out.introspection, 1 + inner.introspection);
        continue;
      }
      if (sel.kind === Kind.INLINE_FRAGMENT) {
        sub = heights(sel.selectionSet, inIntrospection);
      } else {
        const name = sel.name.value;
        const key = `${inIntrospection ? 'i' : 'p'}:${name}`;
        const known = memo.get(key);
        if (known) {
          sub = known;
        } else {
          const fragment = fragments.get(name);
          // Unknown fragments and cycles are other rules' business; they add nothing here.
          if (!fragment || onStack.has(key)) continue;
          onStack.add(key);
          sub = heights(fragment.selectionSet, inIntrospection);
          onStack.delete(key);
          memo.set(key, sub);
        }
      }
      out.plain = Math.max(out.plain, sub.plain);
      out.introspection = Math.max(out.introspection, sub.introspection);
    }
    return out;
  };

  const h = heights(operation.selectionSet, false);
  return { depth: h.plain, introspectionDepth: h.introspection };
}

function fragmentsOf(context: ValidationContext): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of context.getDocument().definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION && !fragments.has(def.name.value)) fragments.set(def.name.value, def);
  }
  return fragments;
}

export function depthLimitRule(maxDepth: number): ValidationRule {
  return (context: ValidationContext) => {
    let fragments: Map<string, FragmentDefinitionNode> | undefined;
    return {
      OperationDefinition(operation) {
        fragments ??= fragmentsOf(context);
        const { depth, introspectionDepth } = measureDepth(operation, fragments);
        if (depth > maxDepth) {
          context.reportError(
            new GraphQLError(`The query is ${depth} levels deep; the limit is ${maxDepth}`, {
              nodes: [operation],
              extensions: { code: 'QUERY_TOO_DEEP', limit: maxDepth, depth },
            }),
          );
        }
        if (introspectionDepth > INTROSPECTION_MAX_DEPTH) {
          context.reportError(
            new GraphQLError(`The introspection query is ${introspectionDepth} levels deep; the limit is ${INTROSPECTION_MAX_DEPTH}`, {
              nodes: [operation],
              extensions: { code: 'QUERY_TOO_DEEP', limit: INTROSPECTION_MAX_DEPTH, depth: introspectionDepth },
            }),
          );
        }
        return false;
      },
    };
  };
}
