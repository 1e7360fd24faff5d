// One Apollo Server per schema key (role, and partner grant). Authentication picks the handler;
// each handler validates and executes against its own cut of the schema.
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDisableSuggestions } from '@apollo/server/plugin/disableSuggestions';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import type { RequestHandler } from 'express';
import type { GraphQLSchema } from 'graphql';
import type pg from 'pg';
import { SCHEMA_KEYS, schemaKeyOf, type Principal, type SchemaKey } from '../auth/principal';
import { Executor } from '../db/executor';
import type { Context, Services } from './context';
import { formatError } from './errors';
import { aliasLimitRule, depthLimitRule } from './limits';
import { costLimitPlugin } from './limits/cost.plugin';
import type { Logger } from './logger';

export interface Handlers {
  handlerFor(p: Principal): RequestHandler;
  stop(): Promise<void>;
}

export async function createGraphqlHandlers(
  schemas: Record<SchemaKey, GraphQLSchema>,
  pool: pg.Pool,
  services: Services,
  log: Logger,
  extraPlugins: ApolloServerPlugin<Context>[] = [],
): Promise<Handlers> {
  const servers = new Map<SchemaKey, ApolloServer<Context>>();
  const handlers = new Map<SchemaKey, RequestHandler>();
  for (const key of SCHEMA_KEYS) {
    const server = new ApolloServer<Context>({
      schema: schemas[key],
      introspection: true,
      includeStacktraceInErrorResponses: false,
      allowBatchedHttpRequests: false,
      validationRules: [depthLimitRule(services.config.limits.maxDepth), aliasLimitRule(services.config.limits.maxAliases)],
      formatError: (formatted, error) => formatError(formatted, (e) => log.error({ err: e }, 'unexpected error in a GraphQL request'), error),
      plugins: [
        ApolloServerPluginLandingPageDisabled(),
        ApolloServerPluginDisableSuggestions(),
        costLimitPlugin(services.config.limits.maxCost, services.config.pagination),
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
      expressMiddleware(server, {
        context: async ({ req }) => ({
          principal: (req as unknown as { principal: Principal }).principal,
          exec: new Executor(pool),
          services,
          memo: new Map(),
          requestId: String((req as unknown as { id?: string }).id ?? ''),
          rows: 0,
        }),
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
