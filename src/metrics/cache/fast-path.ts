// Cached metric answers served before Apollo. A dashboard asks the same few questions again and
// again; once Apollo has answered one (parsed, validated, allowed, costed, charged, computed:
// metrics-cache.plugin.ts), the cache holds the answer and what Apollo learned about the request.
// A repeat of it (same caller cut, same text, operation name and variables, same rollup version)
// is answered here without Apollo's pipeline, with the same effects: the shield's rules run
// again for this caller, the quota's request unit was charged by the middleware before this one
// (an operation that charges rows as well is left to Apollo), the access ledger records the same
// entry and nothing is sent unrecorded, the request log gets the operation, and the answer goes
// out with the same status, headers, ETag and 304 as Apollo's. Anything else goes on to Apollo.
import crypto from 'node:crypto';
import { recordBeforeAnswer } from '../../ledger/access-entry';
import type { LedgerWriter } from '../../ledger/ledger-writer';
import { checkOperation, type RuleTree } from '../../permissions/shield';
import type { Context } from '../../server/context';
import { sendText, type LeanHandler } from '../../server/lean-http';
import type { ObservedLocals } from '../../server/observability/request-log';
import type { QuotaGuard } from '../../server/quotas';
import { plainPost } from '../../server/answer-type';
import type { MetricsCache } from './metrics-cache';
import { answerKey, type MetricAnswerObserver } from './metrics-cache.plugin';

export interface FastPathDeps {
  cache: MetricsCache;
  ledger: LedgerWriter;
  quotas?: QuotaGuard;
  /** The shield's rules (the same the Apollo plugin evaluates). */
  rules: RuleTree;
  retryAfterSeconds: number;
  observer?: MetricAnswerObserver;
}

export function cachedAnswers(deps: FastPathDeps): LeanHandler {
  const { cache, ledger, quotas, rules } = deps;
  return (req, res, next) => {
    const p = req.principal;
    // The rollups' version as the key lookup read it on the primary (none for the environment's
    // admin key): an answer computed under another version, on a lagging replica say, is not found.
    if (!cache.enabled || !p || req.rollupVersion === undefined) return next();
    const post = plainPost(req);
    if (!post) return next();
    const { query, variables, operationName, type } = post;
    const started = performance.now();
    const queryHash = crypto.createHash('sha256').update(query).digest('hex');
    let key: string;
    try {
      key = answerKey(req.rollupVersion, p, queryHash, operationName, variables);
    } catch {
      // Variables JSON cannot restate (nested past the stack): Apollo reads and refuses them.
      return next();
    }
    const hit = cache.get(key);
    const replay = hit?.replay;
    if (!hit || !replay) return next();
    if (quotas?.chargesRows(p, replay.schema, replay.document, replay.operation, variables)) return next();
    void (async () => {
      // The rules depend on the caller only: evaluated again for this one.
      if (await checkOperation(rules, replay.schema, replay.document, { principal: p } as Context)) return next();
      const recorded = await recordBeforeAnswer(ledger, res, deps.retryAfterSeconds, {
        principal: p,
        requestId: String(req.id ?? ''),
        operationName: replay.operationName,
        operationHash: queryHash,
        operationId: req.persistedOperationId ?? null,
        used: replay.used,
        rows: hit.rows,
        started,
        errorCodes: [],
      });
      if (!recorded) return;
      deps.observer?.metricAnswer('early');
      const locals = res.locals as ObservedLocals;
      locals.resolved = true;
      locals.operationName = replay.operationName;
      res.setHeader('etag', hit.etag);
      res.setHeader('cache-control', 'private, no-cache');
      res.setHeader('x-sql-statements', '0');
      const match = req.headers['if-none-match'];
      if (match && match.split(',').some((t) => t.trim() === hit.etag || t.trim() === `W/${hit.etag}`)) {
        res.statusCode = 304;
        res.end();
        return;
      }
      res.setHeader('content-type', type);
      sendText(res, 200, `{"data":${hit.data}}\n`);
    })().catch(next);
  };
}
