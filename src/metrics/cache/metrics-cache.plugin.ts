// The metrics cache as one Apollo plugin, after authentication, the shield, the cost limit, the
// ledger and the quota guard (each request is still authorised, charged and recorded): a query
// whose root fields all read rollups is answered from the cache when it holds the answer for
// the current rollup version (one single-row read), else executed and stored. Every such answer carries an ETag (a hash of its data, the same on every
// replica) and `Cache-Control: private, no-cache`, and a request whose If-None-Match holds that
// ETag gets 304 with no body.
import { HeaderMap, type ApolloServerPlugin, type GraphQLResponse } from '@apollo/server';
import { Kind, type OperationDefinitionNode } from 'graphql';
import { schemaKeyOf, type Principal } from '../../auth/principal';
import { fieldsUsed } from '../../ledger/fields-used';
import type { Context } from '../../server/context';
import { sql } from '../../db/sql';
import { RawJson } from '../../server/compiled/raw-json';
import type { MetricAnswerSource } from '../../server/observability/metrics';
import type { MetricsCache, Replay } from './metrics-cache';
import { cacheKey } from '../../server/cache-key';

/** Root fields whose answers change only with the rollups, settlements or partner names. */
export const CACHED_ROOT_FIELDS = new Set(['ecosystemMetrics', 'ecosystemGrowth', 'alerts', 'alertRules']);

function cacheable(operation: OperationDefinitionNode): boolean {
  if (operation.operation !== 'query') return false;
  const fields = operation.selectionSet.selections;
  return (
    fields.length > 0 &&
    fields.every((s) => s.kind === Kind.FIELD && (CACHED_ROOT_FIELDS.has(s.name.value) || s.name.value === '__typename')) &&
    fields.some((s) => s.kind === Kind.FIELD && s.name.value !== '__typename')
  );
}

interface Pending {
  key: string;
  generation: number;
  replay: Replay;
}

/**
 * The key of an answer: the rollups' version, the caller's cut, the query text's hash, the
 * operation name and the variables as the request sent them (the fast path computes it from the
 * request body alone, before Apollo).
 */
export function answerKey(version: string, p: Principal, queryHash: string, operationName: string | null | undefined, variables: unknown): string {
  return cacheKey(`${version}|${schemaKeyOf(p)}|${p.partnerId ?? ''}|${p.suspended ? 's' : ''}|${queryHash}|${operationName ?? ''}|${JSON.stringify(variables ?? {})}`);
}

export interface MetricAnswerObserver {
  metricAnswer(source: MetricAnswerSource): void;
}

export function metricsCachePlugin(cache: MetricsCache, observer?: MetricAnswerObserver): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      let pending: Pending | undefined;
      let etag: string | undefined;
      return {
        async responseForOperation(rc): Promise<GraphQLResponse | null> {
          if (!rc.operation || !cacheable(rc.operation) || !cache.enabled) return null;
          const p = rc.contextValue.principal;
          // The rollups' version, read in the request (with the key when the request reads from
          // the primary, else here from where it reads): an answer is never served after the
          // refresh that changed it has committed, whichever replica ran it.
          const version =
            rc.contextValue.rollupVersion ??
            (await rc.contextValue.exec.rows<{ version: string }>(sql`select version::text as version from metric_rollup_version where id = 1`))[0]?.version;
          const key = answerKey(version ?? '', p, rc.queryHash ?? '', rc.request.operationName, rc.request.variables);
          const hit = cache.get(key);
          if (!hit) {
            const replay: Replay = {
              schema: rc.schema,
              document: rc.document,
              operation: rc.operation,
              operationName: rc.operationName ?? null,
              used: fieldsUsed(rc.schema, rc.document, rc.request.variables ?? {}),
              queryLength: rc.source.length,
            };
            pending = { key, generation: cache.currentGeneration, replay };
            observer?.metricAnswer('computed');
            return null;
          }
          observer?.metricAnswer('cache');
          rc.contextValue.rows += hit.rows;
          etag = hit.etag;
          return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: { data: new RawJson(hit.data) as unknown as Record<string, unknown> } } };
        },
        async willSendResponse({ request, response, contextValue }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          if (pending && result.errors === undefined && result.data !== undefined && result.data !== null) {
            const data = result.data instanceof RawJson ? result.data.text : JSON.stringify(result.data);
            etag = cache.put(pending.key, pending.generation, data, contextValue.rows, pending.replay).etag;
          }
          if (!etag) return;
          response.http.headers.set('etag', etag);
          response.http.headers.set('cache-control', 'private, no-cache');
          const match = request.http?.headers.get('if-none-match');
          if (match && match.split(',').some((t) => t.trim() === etag || t.trim() === `W/${etag}`)) response.http.status = 304;
        },
      };
    },
  };
}
