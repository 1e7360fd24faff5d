// The HTTP surface: health, GraphiQL, and /graphql behind bearer-key authentication.
import crypto from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import type pg from 'pg';
import { AuthFailure, type Authenticator } from '../auth/authenticate';
import type { Principal } from '../auth/principal';
import type { Config } from '../config';
import { sendError } from './errors';
import { graphiqlRouter, wantsGraphiql } from './graphiql';
import { exampleOperations } from './graphiql-examples';
import type { Handlers } from './graphql-handlers';
import { healthRouter } from './health';
import type { Logger } from './logger';

export interface AppDeps {
  config: Config;
  pool: pg.Pool;
  authenticator: Authenticator;
  handlers: Handlers;
  log: Logger;
  isDraining: () => boolean;
}

type AuthedRequest = Request & { principal?: Principal; id?: string };

export function createApp(deps: AppDeps): express.Express {
  const { config, authenticator, handlers, log } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.use((req: AuthedRequest, res, next) => {
    const incoming = req.header('x-request-id');
    req.id = incoming && /^[\w.:-]{1,128}$/.test(incoming) ? incoming : crypto.randomUUID();
    res.setHeader('x-request-id', req.id);
    next();
  });

  app.use(healthRouter(deps.pool, deps.isDraining));
  const graphiql = { endpoint: '/graphql', mountPath: '/graphiql', examples: exampleOperations, title: 'Ecograph GraphiQL' };
  app.use(graphiqlRouter(graphiql));

  app.get('/', (_req, res) => {
    res.redirect('/graphiql');
  });

  app.get('/graphql', (req, res, next) => {
    if (wantsGraphiql(req)) res.redirect('/graphiql');
    else next();
  });

  app.use('/graphql', express.json({ limit: config.limits.bodyBytes, type: ['application/json', 'application/graphql-response+json'] }));

  app.use('/graphql', async (req: AuthedRequest, res, next) => {
    try {
      req.principal = await authenticator.authenticate(req.header('authorization'));
      next();
    } catch (err) {
      if (err instanceof AuthFailure) {
        sendError(res, 401, err.code, err.message, { 'www-authenticate': 'Bearer realm="ecograph"' });
        return;
      }
      next(err);
    }
  });

  app.use('/graphql', (req: AuthedRequest, res, next) => {
    handlers.handlerFor(req.principal!)(req, res, next);
  });

  app.use((_req, res) => {
    sendError(res, 404, 'NOT_FOUND', 'No such endpoint: GraphQL is at /graphql, GraphiQL at /graphiql');
  });

  app.use((err: Error & { type?: string; status?: number }, req: Request, res: Response, _next: NextFunction) => {
    if (err.type === 'entity.too.large') {
      sendError(res, 413, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${config.limits.bodyBytes} bytes`);
    } else if (err.type === 'entity.parse.failed') {
      sendError(res, 400, 'BAD_JSON', 'The request body is not valid JSON');
    } else if (err.type === 'encoding.unsupported' || err.type === 'charset.unsupported') {
      sendError(res, 415, 'UNSUPPORTED_ENCODING', 'The request body must be UTF-8 JSON');
    } else if (typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
      sendError(res, err.status, 'BAD_REQUEST', 'The request could not be read');
    } else {
      log.error({ err, requestId: (req as AuthedRequest).id }, 'unhandled error');
      sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
    }
  });
  return app;
}
