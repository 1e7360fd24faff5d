// Rate limits and daily quotas per key, in cost units (docs/operations.md, "Quotas").
//
// A request is charged in two steps:
// 1. express, right after authentication: 1 unit for the request itself, whatever becomes of
//    it (a parse error, a refused field, a query over the cost limit all cost 1). A key whose
//    budget is spent is refused here, before any GraphQL work.
// 2. Apollo, once the operation is resolved, validated and allowed (responseForOperation runs
//    after every didResolveOperation hook, the cost limit and the shield, has passed): the
//    rows the operation could return, weighted by tier (./cost.ts). Aggregates add nothing.
//
// Budgets: the partner's agreement in force (rate_limit_per_minute, daily_quota) or else the
// role's default (QUOTA_<ROLE>_PER_MINUTE, QUOTA_<ROLE>_PER_DAY); a role with neither set
// (ADMIN by default) is not checked at all and gets no quota headers.
//
// Every checked response carries RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset (the
// minute window, IETF draft style) and X-Quota-Limit-Day, X-Quota-Remaining-Day (the UTC day).
// A refusal is 429 with Retry-After and the code RATE_LIMITED (minute) or QUOTA_EXCEEDED (day);
// an operation that costs more than a whole budget could ever hold is 400 QUERY_TOO_COSTLY.
import { HeaderMap, type ApolloServerPlugin, type GraphQLResponse } from '@apollo/server';
import type { LeanHandler } from '../lean-http';
import type { Principal } from '../../auth/principal';
import type { Config } from '../../config';
import type { Context } from '../context';
import { sendError } from '../errors';
import type { Logger } from '../logger';
import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { memoByNodeAndVariables } from '../../graphql/document-memo';
import { operationRowCost } from './cost';
import type { QuotaLimits, QuotaStore, TakeResult } from './store';

/** What every authenticated /graphql request costs, before its rows. */
export const REQUEST_COST = 1;

export interface QuotaObserver {
  quotaRefused(role: string, code: string): void;
}

interface Refusal {
  status: number;
  code: string;
  message: string;
  headers: Record<string, string>;
}

/** The quota headers of a checked response. */
export function quotaHeaders(limits: QuotaLimits, r: TakeResult): Record<string, string> {
  const h: Record<string, string> = {};
  if (limits.perMinute !== null) {
    h['ratelimit-limit'] = String(limits.perMinute);
    h['ratelimit-remaining'] = String(r.remainingMinute ?? 0);
    h['ratelimit-reset'] = String(r.minuteResetSeconds);
  }
  if (limits.perDay !== null) {
    h['x-quota-limit-day'] = String(limits.perDay);
    h['x-quota-remaining-day'] = String(r.remainingDay ?? 0);
  }
  return h;
}

export class QuotaGuard {
  /** Per operation and variables: the same rows every time. */
  private readonly rowCost = memoByNodeAndVariables((schema, operation: OperationDefinitionNode, variables, document: DocumentNode) =>
    operationRowCost(schema, document, operation, variables, this.config.pagination),
  );

  constructor(
    private readonly store: QuotaStore,
    private readonly config: Config,
    private readonly log: Logger,
    private readonly observer?: QuotaObserver,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The budgets that apply to a caller; undefined: not checked. */
  limitsFor(p: Principal): QuotaLimits | undefined {
    const defaults = this.config.quotas.byRole[p.role];
    const perMinute = p.quota?.perMinute ?? defaults.perMinute;
    const perDay = p.quota?.perDay ?? defaults.perDay;
    return perMinute === null && perDay === null ? undefined : { perMinute, perDay };
  }

  /** Counts `cost` units; undefined (let through) if the store failed unexpectedly. */
  private async take(p: Principal, cost: number, limits: QuotaLimits): Promise<TakeResult | undefined> {
    try {
      return await this.store.take(p.keyId === undefined ? `${p.role.toLowerCase()}-env` : String(p.keyId), cost, limits, this.clock());
    } catch (err) {
      this.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'quotas: the store failed; request let through');
      return undefined;
    }
  }

  private refusal(p: Principal, limits: QuotaLimits, r: TakeResult, cost: number): Refusal {
    const day = r.refusedBy === 'day';
    const code = day ? 'QUOTA_EXCEEDED' : 'RATE_LIMITED';
    this.observer?.quotaRefused(p.role, code);
    const message = day
      ? `Daily quota reached: this request costs ${cost} units and ${r.remainingDay} of your ${limits.perDay} units for today (UTC) are left. It resets at 00:00 UTC, in ${r.retryAfterSeconds} s.`
      : `Rate limit reached: this request costs ${cost} units and ${r.remainingMinute} of your ${limits.perMinute} units per minute are left. Retry after ${r.retryAfterSeconds} s.`;
    return { status: 429, code, message, headers: { ...quotaHeaders(limits, r), 'retry-after': String(r.retryAfterSeconds) } };
  }

  /**
   * Both steps in one take, for an answer served before Apollo (src/server/early): 1 unit and the
   * operation's rows. 'refused' when they do not fit (nothing is counted then, and the request
   * goes the usual way, which answers the refusal with its usual code and message); else the
   * quota headers of the answer.
   */
  async chargeAtOnce(p: Principal, schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown> | undefined): Promise<Record<string, string> | 'refused'> {
    const limits = this.limitsFor(p);
    if (!limits) return {};
    let rows: number;
    try {
      rows = Math.max(0, this.rowCost(schema, operation, variables, document));
    } catch {
      return 'refused';
    }
    const total = REQUEST_COST + rows;
    if ((limits.perMinute !== null && total > limits.perMinute) || (limits.perDay !== null && total > limits.perDay)) return 'refused';
    const r = await this.take(p, total, limits);
    if (!r) return {};
    return r.allowed ? quotaHeaders(limits, r) : 'refused';
  }

  /** Step 1, after authentication: 1 unit per request. */
  middleware(): LeanHandler {
    return async (req, res, next) => {
      const p = req.principal;
      const limits = p && this.limitsFor(p);
      // Paid already by an early answer that then left the request to the usual way.
      if (!p || !limits || req.quotaPaid) {
        next();
        return;
      }
      const r = await this.take(p, REQUEST_COST, limits);
      if (r && !r.allowed) {
        const refusal = this.refusal(p, limits, r, REQUEST_COST);
        sendError(res, refusal.status, refusal.code, refusal.message, refusal.headers);
        return;
      }
      if (r) for (const [k, v] of Object.entries(quotaHeaders(limits, r))) res.setHeader(k, v);
      next();
    };
  }

  /** Whether step 2 charges this operation anything (an answer served before Apollo must not skip a charge). */
  chargesRows(p: Principal, schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown> | undefined): boolean {
    return this.limitsFor(p) !== undefined && this.rowCost(schema, operation, variables, document) > 0;
  }

  /** Step 2, once the operation is allowed: its weighted rows. */
  plugin(): ApolloServerPlugin<Context> {
    const rowCost = this.rowCost;
    return {
      requestDidStart: async ({ contextValue }) => {
        const p = contextValue.principal;
        const limits = this.limitsFor(p);
        if (!limits || contextValue.quotaPaid) return;
        return {
          responseForOperation: async ({ schema, document, operation, request, response }) => {
            // No operation (an operationName the document lacks): execution refuses it, 1 unit paid.
            if (!operation) return null;
            let rows: number;
            try {
              rows = rowCost(schema, operation, request.variables, document);
            } catch (err) {
              this.log.error({ err: err instanceof Error ? err.message : String(err) }, 'quotas: the cost estimate failed; rows not charged');
              return null;
            }
            if (rows <= 0) return null;
            const total = REQUEST_COST + rows;
            const budget = [limits.perMinute !== null && total > limits.perMinute ? `${limits.perMinute} per minute` : undefined, limits.perDay !== null && total > limits.perDay ? `${limits.perDay} per day` : undefined].find(Boolean);
            if (budget) {
              return errorResponse({
                status: 400,
                code: 'QUERY_TOO_COSTLY',
                message: `This query costs ${total} quota units, more than your key's budget of ${budget} could ever hold: ask for smaller pages or fewer relations.`,
                headers: {},
              });
            }
            const r = await this.take(p, rows, limits);
            if (!r) return null;
            if (!r.allowed) return errorResponse(this.refusal(p, limits, r, total));
            for (const [k, v] of Object.entries(quotaHeaders(limits, r))) response.http.headers.set(k, v);
            return null;
          },
        };
      },
    };
  }
}

function errorResponse(refusal: Refusal): GraphQLResponse {
  return {
    http: { status: refusal.status, headers: new HeaderMap(Object.entries(refusal.headers)) },
    body: { kind: 'single', singleResult: { errors: [{ message: refusal.message, extensions: { code: refusal.code } }] } },
  };
}
