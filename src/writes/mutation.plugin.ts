// Mutations as one Apollo plugin. After validation, the shield (reads and writes), the cost
// limit and the quota guard have accepted a mutation operation, it runs here:
//   1. one transaction on the primary, whatever read replicas serve queries;
//   2. an Idempotency-Key is claimed in that transaction (a concurrent twin waits on the row);
//      the same key with the same request returns the stored answer, with another request
//      IDEMPOTENCY_KEY_REUSED;
//   3. the operation executes with every statement in the transaction (payloads read their
//      own writes);
//   4. on success the ledger record (who, what, the rows before and after) and the stored
//      answer are written (in one statement), then COMMIT; the answer leaves only after COMMIT
//      returned. Any error rolls everything back; a database fault is a 503 with Retry-After,
//      so a client retries with the same key and learns the outcome, never a write twice.
import crypto from 'node:crypto';
import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestContext, type GraphQLResponse } from '@apollo/server';
import { execute, GraphQLError, type FormattedExecutionResult } from 'graphql';
import type pg from 'pg';
import type { Principal } from '../auth/principal';
import { Executor } from '../db/executor';
import { fieldsUsed } from '../ledger/fields-used';
import type { Context } from '../server/context';
import { formatError, loggableError } from '../server/errors';
import { classifyDbError, DB_FAULT_MESSAGE } from '../server/faults/db-errors';
import type { Logger } from '../server/logger';
import { writeError } from './errors';
import { callerOf, claimKey, storedAnswer, validKey } from './idempotency';
import { insertMutationRecord } from './mutation-ledger';

type RequestContext = GraphQLRequestContext<Context>;

function response(singleResult: FormattedExecutionResult, headers: Record<string, string> = {}): GraphQLResponse {
  const map = new HeaderMap();
  for (const [k, v] of Object.entries(headers)) map.set(k, v);
  return { http: { status: undefined, headers: map }, body: { kind: 'single', singleResult } };
}

function refused(err: GraphQLError): GraphQLResponse {
  return response({ data: null, errors: [{ message: err.message, extensions: err.extensions }] });
}

export function requestHash(rc: RequestContext): string {
  const { query, operationName, variables } = rc.request;
  return crypto.createHash('sha256').update(JSON.stringify([query ?? '', operationName ?? null, variables ?? {}])).digest('hex');
}

export interface MutationPluginOptions {
  /** The primary: writes never go to a replica. */
  pool: pg.Pool;
  log: Logger;
  /** How long an answered Idempotency-Key is kept. */
  idempotencyTtlHours: number;
  /** COMMIT done by the read replicas' read-your-writes (src/db/read-pools.ts); unset: a plain COMMIT. */
  commit?: (client: pg.PoolClient, caller: Principal) => Promise<unknown>;
}

export function mutationPlugin(opts: MutationPluginOptions): ApolloServerPlugin<Context> {
  const { pool, log } = opts;

  /** A database fault as the answer (nothing was committed, or the outcome is unknown). */
  function faultAnswer(err: unknown, ctx: Context): GraphQLResponse {
    const fault = classifyDbError(err);
    if (fault) return response({ data: null, errors: [{ message: DB_FAULT_MESSAGE[fault], extensions: { code: fault } }] });
    log.error({ err: loggableError(err), requestId: ctx.requestId }, 'a mutation failed outside its resolvers');
    return response({ data: null, errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
  }

  async function run(rc: RequestContext): Promise<GraphQLResponse> {
    const ctx = rc.contextValue;
    const header = rc.request.http?.headers.get('idempotency-key') ?? undefined;
    if (header !== undefined && !validKey(header)) {
      return refused(writeError('BAD_IDEMPOTENCY_KEY', 'The Idempotency-Key header must be 1 to 255 visible ASCII characters'));
    }
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      return faultAnswer(err, ctx);
    }
    let broken = false;
    // A checked-out client whose server goes away emits 'error' with nobody listening (the
    // pool listens only to idle clients): that would crash the process. The failed query
    // reports the fault; this only marks the connection as not to be reused.
    const onError = () => {
      broken = true;
    };
    client.on('error', onError);
    try {
      await client.query('begin');
      const hash = requestHash(rc);
      if (header !== undefined) {
        const claim = await claimKey(client, callerOf(ctx.principal), header, hash, opts.idempotencyTtlHours);
        if (claim.kind !== 'claimed') {
          await client.query('rollback');
          if (claim.kind === 'replay') return response(claim.answer, { 'idempotent-replayed': 'true' });
          return refused(writeError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with another request: use a new key for a new request'));
        }
      }
      ctx.exec = new Executor(client);
      ctx.write = { changes: [] };
      ctx.memo = new Map();
      const started = performance.now();
      const result = await execute({
        schema: rc.schema,
        document: rc.document!,
        operationName: rc.request.operationName,
        variableValues: rc.request.variables,
        contextValue: ctx,
      });
      const errors = (result.errors ?? []).map((e) =>
        formatError(e.toJSON(), (inner) => log.error({ err: loggableError(inner), requestId: ctx.requestId }, 'unexpected error in a mutation'), e),
      );
      if (errors.length > 0) {
        // One transaction per request: nothing of a refused or failed mutation stays, so no
        // payload may be shown either (another mutation field of the request may have succeeded).
        await client.query('rollback');
        return response({ data: null, errors });
      }
      const answer: FormattedExecutionResult = { data: result.data ?? null };
      const used = fieldsUsed(rc.schema, rc.document!, rc.request.variables ?? {});
      // With a key, the statement that writes the record stores the answer too.
      const keyAnswer = header === undefined ? undefined : { caller: callerOf(ctx.principal), key: header, response: storedAnswer(answer) };
      await insertMutationRecord(
        client,
        ctx,
        {
          operationName: rc.operationName ?? rc.request.operationName ?? null,
          query: rc.request.query ?? '',
          mutation: rc.operation!.selectionSet.selections.map((s) => (s.kind === 'Field' ? s.name.value : '')).filter(Boolean).join(','),
          used,
          durationMs: Math.round(performance.now() - started),
        },
        keyAnswer,
      );
      await (opts.commit ? opts.commit(client, ctx.principal) : client.query('commit'));
      // Recorded in the transaction: the batched ledger must not add a second entry.
      ctx.write.ledgered = true;
      return response(answer);
    } catch (err) {
      broken = classifyDbError(err) !== undefined;
      if (!broken) await client.query('rollback').catch(() => undefined);
      return faultAnswer(err, ctx);
    } finally {
      // A connection that failed mid-transaction is not reused.
      client.off('error', onError);
      client.release(broken ? true : undefined);
    }
  }

  return {
    async requestDidStart() {
      return {
        async responseForOperation(rc) {
          if (rc.operation?.operation !== 'mutation') return null;
          return run(rc);
        },
      };
    },
  };
}
