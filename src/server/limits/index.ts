// The query limits, in one place. Depth, aliases and directives: graphql-armor's rules
// (shape.rules.ts), as graphql-js validation rules to add after `specifiedRules`. Tokens:
// the parser's own limit (tokens.ts). Cost: ours (cost.rule.ts, cost.plugin.ts), the
// tier-weighted estimate the quotas share; armor's cost-limit knows nothing of pages or tiers.
import type { ValidationRule } from 'graphql';
import type { Config } from '../../config';
import { costLimitRule, type PaginationLimits } from './cost.rule';
import { aliasLimitRule, depthLimitRule } from './shape.rules';

export { costLimitPlugin } from './cost.plugin';
export { costLimitRule, estimateCost, PLAIN_LIST_SIZE, type PaginationLimits } from './cost.rule';
export { aliasLimitRule, depthLimitRule, INTROSPECTION_MAX_DEPTH, MAX_DIRECTIVES } from './shape.rules';
export { tokenLimitError, tokenLimitParseOptions } from './tokens';
export { BoundedDocumentStore } from './document-store';

export type QueryLimits = Pick<Config['limits'], 'maxDepth' | 'maxAliases' | 'maxCost'>;

/** The shape rules Apollo and the persisted-operation registration validate with. */
export function shapeRules(limits: Pick<QueryLimits, 'maxDepth' | 'maxAliases'>): ValidationRule[] {
  return [depthLimitRule(limits.maxDepth), aliasLimitRule(limits.maxAliases)];
}

/** Every validation-time limit, the cost included (its variables read through `getVariables`). */
export function limitRules(
  limits: QueryLimits,
  pagination: PaginationLimits,
  getVariables: () => Record<string, unknown> | null | undefined,
): ValidationRule[] {
  return [...shapeRules(limits), costLimitRule(limits.maxCost, pagination, getVariables)];
}
