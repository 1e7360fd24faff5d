// The limits on a document's shape, as graphql-js validation rules: graphql-armor's max-depth,
// max-aliases and max-directives count; these rules feed them each operation (depth: through
// the views of depth-view.ts) and report with our codes and messages. Counted per operation,
// fragments followed as spread.
import { GraphQLError, type OperationDefinitionNode, type ValidationRule } from 'graphql';
import { armorCounter } from './armor';
import { DepthView } from './depth-view';

/** The deepest introspection query accepted, whatever the configured limit. */
export const INTROSPECTION_MAX_DEPTH = 15;

/** The most directives one operation may carry, whatever the alias limit. */
export const MAX_DIRECTIVES = 50;

/** "11", or "more than 10" when armor did not say how many it found. */
const amount = (found: number | undefined, limit: number): string => (found === undefined ? `more than ${limit}` : String(found));

function refusal(operation: OperationDefinitionNode, message: string, extensions: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, { nodes: [operation], extensions });
}

// Introspection fields are measured only against INTROSPECTION_MAX_DEPTH, and no
// `__typename` anywhere: the views leave them out.
const depthCounter = (n: number) =>
  armorCounter((onReject) => ({
    maxDepth: { n, flattenFragments: true, ignoreIntrospection: false, exposeLimits: true, propagateOnRejection: false, onReject },
  }));

export function depthLimitRule(maxDepth: number): ValidationRule {
  const ordinary = depthCounter(maxDepth);
  const introspection = depthCounter(INTROSPECTION_MAX_DEPTH);
  return (context) => {
    const view = new DepthView(context, 'ordinary');
    const count = ordinary(view.context);
    // Only for documents that introspect (most do not): built on first use.
    let introspectionView: { view: DepthView; count: ReturnType<typeof introspection> } | undefined;
    return {
      OperationDefinition(operation) {
        const plain = view.operation(operation);
        const deep = plain && count(plain);
        if (deep) {
          context.reportError(
            refusal(operation, `The query is ${amount(deep.found, maxDepth)} levels deep; the limit is ${maxDepth}`, {
              code: 'QUERY_TOO_DEEP',
              limit: maxDepth,
              depth: deep.found,
            }),
          );
        }
        if (!view.sawIntrospection) return false;
        if (!introspectionView) {
          const v = new DepthView(context, 'introspection');
          introspectionView = { view: v, count: introspection(v.context) };
        }
        const intro = introspectionView.view.operation(operation);
        const deepIntro = intro && introspectionView.count(intro);
        if (deepIntro) {
          context.reportError(
            refusal(operation, `The introspection query is ${amount(deepIntro.found, INTROSPECTION_MAX_DEPTH)} levels deep; the limit is ${INTROSPECTION_MAX_DEPTH}`, {
              code: 'QUERY_TOO_DEEP',
              limit: INTROSPECTION_MAX_DEPTH,
              depth: deepIntro.found,
            }),
          );
        }
        return false;
      },
    };
  };
}

/**
 * Aliases (every one, `__typename` aliases included: aliases are what turn one cheap field into
 * thousands of resolver calls; armor exempts `__typename` unless its allowList is empty) and
 * directives.
 */
export function aliasLimitRule(maxAliases: number): ValidationRule {
  const aliasCounter = armorCounter((onReject) => ({
    maxAliases: { n: maxAliases, allowList: [], exposeLimits: true, propagateOnRejection: false, onReject },
  }));
  const directiveCounter = armorCounter((onReject) => ({
    maxDirectives: { n: MAX_DIRECTIVES, exposeLimits: true, propagateOnRejection: false, onReject },
  }));
  return (context) => {
    const aliases = aliasCounter(context);
    const directives = directiveCounter(context);
    return {
      OperationDefinition(operation) {
        const a = aliases(operation);
        if (a) {
          context.reportError(
            refusal(operation, `The query uses ${amount(a.found, maxAliases)} aliases; the limit is ${maxAliases}`, {
              code: 'TOO_MANY_ALIASES',
              limit: maxAliases,
              aliases: a.found,
            }),
          );
        }
        const d = directives(operation);
        if (d) {
          context.reportError(
            refusal(operation, `The query uses ${amount(d.found, MAX_DIRECTIVES)} directives; the limit is ${MAX_DIRECTIVES}`, {
              code: 'GRAPHQL_VALIDATION_FAILED',
              limit: MAX_DIRECTIVES,
              directives: d.found,
            }),
          );
        }
        return false;
      },
    };
  };
}
