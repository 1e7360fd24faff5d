// The compiled path as one Apollo plugin. After validation and every didResolveOperation hook
// (shield, cost limit, ledger, logging) and the quota guard, a query whose root fields are
// plain lists is answered by one SQL statement that returns the JSON of `data`
// (src/db/compile), and one of `__typename` alone by no statement; graphql-js execution is
// skipped. Whatever the compiler does not handle, and every error a resolver would report (bad
// cursor, page size, filter on a field the caller may not use), goes the usual way.
import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestContext, type GraphQLResponse } from '@apollo/server';
import { getVariableValues, GraphQLError, type FormattedExecutionResult, type OperationDefinitionNode } from 'graphql';
import { schemaKeyOf } from '../../auth/principal';
import { compileOperation, fragmentsOf, type CompiledOperation } from '../../db/compile/operation';
import { NotCompilable } from '../../db/compile/not-compilable';
import type { Context } from '../context';
import { loggableError } from '../errors';
import type { Logger } from '../logger';
import { cacheKey } from '../cache-key';
import { RawJson } from './raw-json';

export type CompiledOutcome = 'compiled' | 'resolvers' | 'fallback';

export interface CompiledObserver {
  compiledOutcome(outcome: CompiledOutcome): void;
}

/** Errors the statement can end with that the resolvers would report the same way. */
const REPORTED = new Set(['DATABASE_UNAVAILABLE', 'DATABASE_TIMEOUT', 'BAD_USER_INPUT']);

/** Compiled statements kept per operation (Apollo keeps the parsed documents). */
const CACHED_PER_OPERATION = 256;

function response(singleResult: FormattedExecutionResult): GraphQLResponse {
  return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult } };
}

type RequestContext = GraphQLRequestContext<Context>;

/** At most CACHED_PER_OPERATION entries per operation, "not compilable" ones included (a feed polled with a new cursor each time). */
function remember(byCaller: Map<string, CompiledOperation | null>, key: string, value: CompiledOperation | null): void {
  if (byCaller.size >= CACHED_PER_OPERATION) byCaller.clear();
  byCaller.set(key, value);
}

/** Told of each query the compiled path answered with data (the early answers keep its plan). */
export type CompiledAnswered = (rc: RequestContext, compiled: CompiledOperation) => void;

export function compiledPlugin(log: Logger, observer?: CompiledObserver, answered?: CompiledAnswered): ApolloServerPlugin<Context> {
  // null: not compilable for that caller and those variables; graphql-js answers it.
  const cache = new WeakMap<OperationDefinitionNode, Map<string, CompiledOperation | null>>();

  /** The statement for this request, from the cache or compiled now; undefined: not compiled. */
  function statementFor(rc: RequestContext, operation: OperationDefinitionNode): CompiledOperation | undefined {
    const compiled = lookUpOrCompile(rc, operation);
    if (compiled === undefined || compiled === 'fallback') observer?.compiledOutcome(compiled ? 'fallback' : 'resolvers');
    return compiled === 'fallback' ? undefined : compiled;
  }

  function lookUpOrCompile(rc: RequestContext, operation: OperationDefinitionNode): CompiledOperation | 'fallback' | undefined {
    const ctx = rc.contextValue;
    let byCaller = cache.get(operation);
    if (!byCaller) cache.set(operation, (byCaller = new Map()));
    let key = '';
    try {
      // It depends on the operation, the caller's cut and scope, and the values of the
      // variables the operation declares (others are never read).
      const p = ctx.principal;
      const vars = rc.request.variables ?? {};
      const used = (operation.variableDefinitions ?? []).map((d) => vars[d.variable.name.value] ?? null);
      key = cacheKey(`${schemaKeyOf(p)}:${p.partnerId ?? ''}:${p.suspended ? 's' : ''}:${JSON.stringify(used)}`);
      const cached = byCaller.get(key);
      if (cached !== undefined) return cached ?? undefined;
      const coerced = getVariableValues(rc.schema, operation.variableDefinitions ?? [], vars);
      if (coerced.errors) return undefined;
      const compiled = compileOperation(ctx, rc.schema, operation, fragmentsOf(rc.document!), coerced.coerced);
      remember(byCaller, key, compiled);
      return compiled;
    } catch (err) {
      if (err instanceof NotCompilable) {
        remember(byCaller, key, null);
        log.debug({ requestId: ctx.requestId, reason: err.reason }, 'not compiled: executing the operation with the resolvers');
      } else if (!(err instanceof GraphQLError)) {
        log.warn({ err: loggableError(err), requestId: ctx.requestId }, 'the compiled path failed to compile an operation; executing it with the resolvers');
        return 'fallback';
      }
      return undefined;
    }
  }

  /** Runs the statement; null: let the resolvers answer after all. */
  async function answer(compiled: CompiledOperation, ctx: Context): Promise<GraphQLResponse | null> {
    if (compiled.constant !== undefined) {
      observer?.compiledOutcome('compiled');
      return response({ data: new RawJson(compiled.constant) as unknown as Record<string, unknown> });
    }
    try {
      const [row] = await ctx.exec.rows<{ j: string; n: number }>(compiled.statement);
      if (!row) throw new Error('the compiled statement returned no row');
      const text = compiled.markers.resolve(row.j);
      ctx.rows += row.n;
      observer?.compiledOutcome('compiled');
      return response({ data: new RawJson(text) as unknown as Record<string, unknown> });
    } catch (err) {
      const code = err instanceof GraphQLError ? err.extensions.code : undefined;
      if (typeof code === 'string' && REPORTED.has(code)) {
        observer?.compiledOutcome('compiled');
        return response({
          data: null,
          errors: compiled.rootKeys.map((key) => ({ message: (err as GraphQLError).message, path: [key], extensions: { code } })),
        });
      }
      log.error({ err: loggableError(err), requestId: ctx.requestId }, 'the compiled path failed; executing the operation with the resolvers');
      observer?.compiledOutcome('fallback');
      return null;
    }
  }

  return {
    async requestDidStart() {
      return {
        async responseForOperation(rc) {
          if (!rc.operation || rc.operation.operation !== 'query') return null;
          const compiled = statementFor(rc, rc.operation);
          if (!compiled) return null;
          const result = await answer(compiled, rc.contextValue);
          if (answered && result?.body.kind === 'single' && !result.body.singleResult.errors) answered(rc, compiled);
          return result;
        },
      };
    },
  };
}
