// The compiled path as one Apollo plugin. After validation and every didResolveOperation hook
// (shield, cost limit, ledger, logging), a query whose root fields are plain lists is answered
// by one SQL statement that returns the JSON of `data` (src/db/compile); graphql-js execution
// is skipped. Whatever the compiler does not handle, and every error a resolver would report
// (bad cursor, page size, filter on a field the caller may not use), goes the usual way.
import { HeaderMap, type ApolloServerPlugin, type GraphQLResponse } from '@apollo/server';
import { getVariableValues, GraphQLError, type FormattedExecutionResult, type OperationDefinitionNode } from 'graphql';
import { schemaKeyOf } from '../../auth/principal';
import { compileOperation, fragmentsOf, type CompiledOperation } from '../../db/compile/operation';
import { NotCompilable } from '../../db/compile/not-compilable';
import type { Context } from '../context';
import { loggableError } from '../errors';
import type { Logger } from '../logger';
import { RawJson } from './raw-json';

/** Errors the statement can end with that the resolvers would report the same way. */
const REPORTED = new Set(['DATABASE_UNAVAILABLE', 'DATABASE_TIMEOUT', 'BAD_USER_INPUT']);

function response(singleResult: FormattedExecutionResult): GraphQLResponse {
  return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult } };
}

/** Compiled statements kept per operation (Apollo keeps the parsed documents). */
const CACHED_PER_OPERATION = 256;

export function compiledPlugin(log: Logger): ApolloServerPlugin<Context> {
  // null: the operation is not compilable for that caller; graphql-js answers it.
  const cache = new WeakMap<OperationDefinitionNode, Map<string, CompiledOperation | null>>();
  return {
    async requestDidStart() {
      return {
        async responseForOperation({ operation, document, schema, request, contextValue: ctx }) {
          if (!operation || operation.operation !== 'query') return null;
          let byCaller = cache.get(operation);
          if (!byCaller) cache.set(operation, (byCaller = new Map()));
          let key = '';
          let compiled: CompiledOperation | null | undefined;
          try {
            // The statement depends on the operation, the caller's cut and scope, and the
            // values of the variables the operation declares (others are never read).
            const p = ctx.principal;
            const vars = request.variables ?? {};
            const used = (operation.variableDefinitions ?? []).map((d) => vars[d.variable.name.value] ?? null);
            key = `${schemaKeyOf(p)}:${p.partnerId ?? ''}:${JSON.stringify(used)}`;
            compiled = byCaller.get(key);
            if (compiled === null) return null;
            if (!compiled) {
              const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], vars);
              if (coerced.errors) return null;
              compiled = compileOperation(ctx, schema, operation, fragmentsOf(document), coerced.coerced);
              if (byCaller.size >= CACHED_PER_OPERATION) byCaller.clear();
              byCaller.set(key, compiled);
            }
          } catch (err) {
            if (err instanceof NotCompilable) {
              byCaller.set(key, null);
              log.debug({ requestId: ctx.requestId, reason: err.reason }, 'not compiled: executing the operation with the resolvers');
            } else if (!(err instanceof GraphQLError)) {
              log.warn({ err: loggableError(err), requestId: ctx.requestId }, 'the compiled path failed to compile an operation; executing it with the resolvers');
            }
            return null;
          }
          let row: { j: string; n: number } | undefined;
          let text: string;
          try {
            [row] = await ctx.exec.rows<{ j: string; n: number }>(compiled.statement);
            if (!row) return null;
            text = compiled.markers.resolve(row.j);
          } catch (err) {
            const code = err instanceof GraphQLError ? err.extensions.code : undefined;
            if (typeof code === 'string' && REPORTED.has(code)) {
              return response({
                data: null,
                errors: compiled.rootKeys.map((key) => ({ message: (err as GraphQLError).message, path: [key], extensions: { code } })),
              });
            }
            log.error({ err: loggableError(err), requestId: ctx.requestId }, 'the compiled path failed; executing the operation with the resolvers');
            return null;
          }
          ctx.rows += row.n;
          return response({ data: new RawJson(text) as unknown as Record<string, unknown> });
        },
      };
    },
  };
}
