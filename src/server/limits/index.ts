// The query limits, as graphql-js validation rules. Add them after `specifiedRules`.
import type { ValidationRule } from 'graphql';
import type { Config } from '../../config';
import { aliasLimitRule } from './aliases.rule';
import { costLimitRule, type PaginationLimits } from './cost.rule';
import { depthLimitRule } from './depth.rule';

export { aliasLimitRule, MAX_DIRECTIVES } from './aliases.rule';
export { costLimitRule, estimateCost, PLAIN_LIST_SIZE, type PaginationLimits } from './cost.rule';
export { depthLimitRule, INTROSPECTION_MAX_DEPTH } from './depth.rule';

export type QueryLimits = Pick<Config['limits'], 'maxDepth' | 'maxAliases' | 'maxCost'>;

export function limitRules(
  limits: QueryLimits,
  pagination: PaginationLimits,
  getVariables: () => Record<string, unknown> | null | undefined,
): ValidationRule[] {
  return [depthLimitRule(limits.maxDepth), aliasLimitRule(limits.maxAliases), costLimitRule(limits.maxCost, pagination, getVariables)];
}
