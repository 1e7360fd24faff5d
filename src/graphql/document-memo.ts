// Analyses of an operation that depend only on its schema, its document and its variables (the
// shield's field list, the ledger's fields by tier, the cost estimates), computed once and kept
// with the document. Apollo keeps each validated document and hands the same object to every
// request that sends the same text, so a repeated operation skips its walks of the document.
// Held weakly: an entry goes when Apollo's document store lets the document go.
import type { ASTNode, GraphQLSchema } from 'graphql';

/** Variable sets remembered per document; past it the document's entries start over. */
const VARIABLE_SETS_PER_DOCUMENT = 64;
/** Variables longer than this as JSON (large mutation inputs) are not remembered: computed each time. */
const MAX_VARIABLES_KEY = 1_024;

/** compute(schema, node) once per schema and node (a document, or an operation in one). */
export function memoByNode<N extends ASTNode, T>(compute: (schema: GraphQLSchema, node: N) => T): (schema: GraphQLSchema, node: N) => T {
  const bySchema = new WeakMap<GraphQLSchema, WeakMap<N, T>>();
  return (schema, node) => {
    let byNode = bySchema.get(schema);
    if (!byNode) bySchema.set(schema, (byNode = new WeakMap()));
    if (byNode.has(node)) return byNode.get(node)!;
    const value = compute(schema, node);
    byNode.set(node, value);
    return value;
  };
}

/**
 * compute(schema, node, variables, within) once per schema, node and variable values. `within`
 * is passed through and must follow from the node (an operation's document). Variables over
 * 1 KB as JSON, or that fail to serialise, are computed every time: at most 64 keys of 1 KB per
 * document and memo.
 */
export function memoByNodeAndVariables<N extends ASTNode, T, W = undefined>(
  compute: (schema: GraphQLSchema, node: N, variables: Record<string, unknown>, within: W) => T,
): (schema: GraphQLSchema, node: N, variables: Record<string, unknown> | null | undefined, within?: W) => T {
  const bySchema = new WeakMap<GraphQLSchema, WeakMap<N, Map<string, T>>>();
  return (schema, node, variables, within) => {
    const vars = variables ?? {};
    let key: string;
    try {
      key = JSON.stringify(vars);
    } catch {
      return compute(schema, node, vars, within as W);
    }
    if (key.length > MAX_VARIABLES_KEY) return compute(schema, node, vars, within as W);
    let byNode = bySchema.get(schema);
    if (!byNode) bySchema.set(schema, (byNode = new WeakMap()));
    let byVariables = byNode.get(node);
    if (!byVariables) byNode.set(node, (byVariables = new Map()));
    if (byVariables.has(key)) return byVariables.get(key)!;
    const value = compute(schema, node, vars, within as W);
    if (byVariables.size >= VARIABLE_SETS_PER_DOCUMENT) byVariables.clear();
    byVariables.set(key, value);
    return value;
  };
}
