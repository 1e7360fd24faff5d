// One Apollo Server per schema key (role, and partner grant). Authentication picks the handler;
// each handler validates and executes against its own cut of the schema.
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDisableSuggestions } from '@apollo/server/plugin/disableSuggestions';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError, type GraphQLSchema, type ValidationRule } from 'graphql';
import type pg from 'pg';
import { SCHEMA_KEYS, schemaKeyOf, type Principal, type SchemaKey } from '../auth/principal';
import { Executor } from '../db/executor';
import { apolloHandler } from './apollo-http';
import type { LeanHandler } from './lean-http';
import type { Context, Services } from './context';
import { formatError, loggableError } from './errors';
import { fullSchema } from '../graphql/schema';
import { shieldPlugin } from '../permissions/shield';
import { stringifyResult } from './compiled/raw-json';
import { httpStatusPlugin } from './faults/http-status.plugin';
import { BoundedDocumentStore, costLimitPlugin, shapeRules, tokenLimitError, tokenLimitParseOptions } from './limits';
import type { Logger } from './logger';
import { linkObservation, loggingPlugin } from './observability/logging.plugin';
import type { RequestObservation } from './observability/request-log';

/**
 * A mutation or subscription against a schema without that root type: refused in validation
 * (400) rather than at execution, where graphql-js 16 fails it as an internal error.
 */
const operationTypeRule: ValidationRule = (context) => ({
  OperationDefinition(node) {
    const schema = context.getSchema();
    const root = node.operation === 'query' ? schema.getQueryType() : node.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
    if (!root) context.reportError(new GraphQLError(`This API has no ${node.operation} operations: send a query`, { nodes: node }));
  },
});

export interface Handlers {
  handlerFor(p: Principal): LeanHandler;
  stop(): Promise<void>;
}

export async function createGraphqlHandlers(
  schemas: Record<SchemaKey, GraphQLSchema>,
  pool: pg.Pool | ((caller: Principal) => Pick<pg.Pool, 'query'>),
  services: Services,
  log: Logger,
  extraPlugins: ApolloServerPlugin<Context>[] = [],
): Promise<Handlers> {
  const servers = new Map<SchemaKey, ApolloServer<Context>>();
  const handlers = new Map<SchemaKey, LeanHandler>();
  const limits = services.config.limits;
  // The key lookup runs on the primary: its rollup version serves the metrics cache only when
  // the request reads there too (a replica's figures may be older than the primary's version).
  const readsFromPrimary = services.config.ops.readUrls.length === 0;
  for (const key of SCHEMA_KEYS) {
    const server = new ApolloServer<Context>({
      schema: schemas[key],
      introspection: true,
      includeStacktraceInErrorResponses: false,
      allowBatchedHttpRequests: false,
      // No automatic persisted queries: operations are registered by partners and resolved by
      // id before Apollo sees the request (src/persisted/persisted-documents.middleware.ts).
      persistedQueries: false,
      // Parsed and validated documents, bounded by what they hold (DOCUMENT_CACHE_MB per schema).
      documentStore: new BoundedDocumentStore(limits.documentCacheBytes),
      stringifyResult,
      // main.ts owns shutdown; Apollo's own handlers would stop each server and re-raise the
      // signal (once per role schema), cutting the drain short.
      stopOnTerminationSignals: false,
      // The limits (./limits): tokens while parsing, the document's shape in validation, the
      // cost once the variables are known (costLimitPlugin).
      parseOptions: tokenLimitParseOptions(limits.maxTokens),
      validationRules: [operationTypeRule, ...shapeRules(limits)],
      formatError: (formatted, error) =>
        formatError(tokenLimitError(formatted, limits.maxTokens), (e) => log.error({ err: loggableError(e) }, 'unexpected error in a GraphQL request'), error),
      plugins: [
        ApolloServerPluginLandingPageDisabled(),
        // Cache hints are unused; the plugin would wrap every field resolver to collect them.
        ApolloServerPluginCacheControlDisabled(),
        ApolloServerPluginDisableSuggestions(),
        shieldPlugin(fullSchema()),
        costLimitPlugin(limits.maxCost, services.config.pagination),
        // Both read the formatted errors in willSendResponse: the HTTP status (database
        // faults 503/504 + Retry-After, input errors 400), and the codes for the request log and metrics.
        httpStatusPlugin<Context>(services.config.ops.retryAfterSeconds),
        loggingPlugin<Context>(),
        ...extraPlugins,
        {
          async requestDidStart() {
            return {
              async willSendResponse({ contextValue, response }) {
                response.http.headers.set('x-sql-statements', String(contextValue.exec.statements));
              },
            };
          },
        },
      ],
    });
    await server.start();
    servers.set(key, server);
    handlers.set(
      key,
      apolloHandler(server, async (req, res) => {
        const principal = req.principal!;
        const context: Context = {
          principal,
          exec: new Executor(typeof pool === 'function' ? pool(principal) : pool),
          services,
          memo: new Map(),
          requestId: String(req.id ?? ''),
          rows: 0,
          operationId: req.persistedOperationId,
          rollupVersion: readsFromPrimary ? req.rollupVersion : undefined,
          quotaPaid: req.quotaPaid,
        };
        linkObservation(context, res.locals as RequestObservation);
        return context;
      }),
    );
  }
  return {
    handlerFor: (p) => handlers.get(schemaKeyOf(p))!,
    async stop() {
      await Promise.all([...servers.values()].map((s) => s.stop()));
    },
  };
}
