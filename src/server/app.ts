// The HTTP surface: health, GraphiQL, and /graphql behind bearer-key authentication. POST /graphql,
// nearly every request, skips express's per-request set-up (the listener at the end).
import crypto from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import type pg from 'pg';
import { AuthFailure, type Authenticator } from '../auth/authenticate';
import type { Config } from '../config';
import { loggableError, sendError } from './errors';
import { classifyDbError, DB_FAULT_MESSAGE, DB_FAULT_STATUS } from './faults/db-errors';
import { exportRouter } from '../exports/export.router';
import { dashboardRouter } from './dashboard/dashboard.router';
import { consoleRouter } from './console/console.router';
import { graphiqlRouter, wantsGraphiql } from './graphiql';
import { exampleOperations } from './graphiql-examples';
import type { Handlers } from './graphql-handlers';
import { healthRouter } from './health';
import type { Logger } from './logger';
import type { Metrics } from './observability/metrics';
import type { QuotaGuard } from './quotas';
import { requestLogger } from './observability/request-log';
import { persistedDocuments } from '../persisted/persisted-documents.middleware';
import { jsonBody } from './json-body';
import { header, pathOf, type LeanHandler, type LeanRequest, type LeanResponse, type Next } from './lean-http';

export interface AppDeps {
  config: Config;
  pool: pg.Pool;
  authenticator: Authenticator;
  handlers: Handlers;
  log: Logger;
  metrics: Metrics;
  isDraining: () => boolean;
  /** Per-key quotas: 1 unit per request, charged here after authentication. */
  quotas?: QuotaGuard;
  /** Repeats of cached metric questions, answered before Apollo (src/metrics/cache/fast-path.ts). */
  cachedAnswers?: LeanHandler;
  /** Repeats of compiled queries by known keys, answered in one statement (src/server/early). */
  earlyAnswers?: LeanHandler;
}


const GRAPHQL_METHODS = 'GET, POST';
/** Content types a browser may POST cross-site without a preflight (Apollo's CSRF check). */
const SIMPLE_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];
const PREFLIGHT_HEADERS = ['apollo-require-preflight', 'x-apollo-operation-name'];
const JSON_TYPES = ['application/json', 'application/graphql-response+json'];

/** The server's request listener: POST /graphql on the lean path, everything else through express. */
export function createApp(deps: AppDeps): RequestListener {
  const { config, authenticator, handlers, log, metrics } = deps;
  const retryAfter = String(config.ops.retryAfterSeconds);
  /** A database fault as an HTTP answer (503 + Retry-After, or 504); false when err is not one. */
  const sendDbFault = (res: ServerResponse, err: unknown): boolean => {
    const fault = classifyDbError(err);
    if (!fault) return false;
    sendError(res, DB_FAULT_STATUS[fault], fault, DB_FAULT_MESSAGE[fault], { 'retry-after': retryAfter });
    return true;
  };
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  const requestId: LeanHandler = (req, res, next) => {
    const incoming = header(req, 'x-request-id');
    req.id = incoming && /^[\w.:-]{1,128}$/.test(incoming) ? incoming : crypto.randomUUID();
    res.setHeader('x-request-id', req.id);
    // While draining (SIGTERM), answer what arrives but close each connection after it, so
    // that keep-alive clients reconnect to another replica. Decided when the headers go out,
    // so a request that was in flight when draining started gets it too.
    const writeHead = res.writeHead;
    res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
      if (deps.isDraining() && !this.headersSent) this.setHeader('connection', 'close');
      return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
    } as typeof res.writeHead;
    next();
  };
  const logRequest = requestLogger(log, metrics);
  app.use(requestId, logRequest);

  // What every GraphQL request runs once its method and path are known: the body, early answers
  // (which check the key in their own statement), the key, the request's quota unit, the body's
  // type, operations by id, cached metric answers, Apollo.
  const chain: LeanHandler[] = [jsonBody(config.limits.bodyBytes, JSON_TYPES)];
  if (deps.earlyAnswers) chain.push(deps.earlyAnswers);
  chain.push(async (req, res, next) => {
    try {
      const authenticated = await authenticator.authenticateRequest(header(req, 'authorization'));
      req.principal = authenticated.principal;
      req.rollupVersion = authenticated.rollupVersion;
      next();
    } catch (err) {
      if (err instanceof AuthFailure) {
        sendError(res, 401, err.code, err.message, { 'www-authenticate': 'Bearer realm="ecograph"' });
        return;
      }
      // The key lookup needs the database: when it is down that is a 503, not a 401 or a 500.
      if (sendDbFault(res, err)) return;
      next(err);
    }
  });
  if (deps.quotas) chain.push(deps.quotas.middleware());
  // A POST whose body was not read as JSON. Browser-simple content types without a preflight
  // header go on to Apollo, whose CSRF prevention refuses them (400); the rest get a 415 here
  // (Apollo would answer a generic 400 for a body it cannot see).
  chain.push((req, res, next) => {
    if (req.method !== 'POST' || req.body !== undefined) {
      next();
      return;
    }
    const essence = (header(req, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (JSON_TYPES.includes(essence)) {
      sendError(res, 400, 'BAD_JSON', 'The request body is empty: POST a JSON object such as {"query": "{ __typename }"}');
    } else if ((essence === '' || SIMPLE_CONTENT_TYPES.includes(essence)) && !PREFLIGHT_HEADERS.some((h) => header(req, h))) {
      next();
    } else {
      sendError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'POST the request as JSON with the header "content-type: application/json"');
    }
  });
  // Operations by id (documentId, Apollo's persistedQuery) and the persisted-only allow-list.
  chain.push(persistedDocuments(deps.pool));
  if (deps.cachedAnswers) chain.push(deps.cachedAnswers);
  chain.push((req, res, next) => handlers.handlerFor(req.principal!)(req, res, next));

  // GET and the other methods of /graphql, through express.
  const graphql = express.Router();
  graphql.get('/', (req, res, next) => {
    if (wantsGraphiql(req)) res.redirect('/graphiql');
    else next();
  });

  graphql.use((req, res, next) => {
    if (req.path !== '/') {
      sendError(res, 404, 'NOT_FOUND', 'No such endpoint: GraphQL is at /graphql');
    } else if (req.method === 'GET' || req.method === 'POST') {
      next();
    } else if (req.method === 'OPTIONS') {
      res.setHeader('allow', GRAPHQL_METHODS);
      res.status(204).end();
    } else {
      sendError(res, 405, 'METHOD_NOT_ALLOWED', `${req.method} is not supported on /graphql: use POST with a JSON body, or GET`, {
        allow: GRAPHQL_METHODS,
      });
    }
  });
  graphql.use(...chain);

  app.use('/graphql', graphql);

  app.use(healthRouter(deps.pool, deps.isDraining));
  // No authentication: serve it on the internal network only (docs/operations.md).
  app.get('/metrics', async (_req, res, next) => {
    try {
      const text = await metrics.render();
      res.status(200).set({ 'content-type': metrics.contentType, 'cache-control': 'no-store' }).send(text);
    } catch (err) {
      next(err);
    }
  });
  const graphiql = { endpoint: '/graphql', mountPath: '/graphiql', examples: exampleOperations, title: 'Ecograph GraphiQL' };
  app.use(graphiqlRouter(graphiql));
  app.use(dashboardRouter());
  app.use(consoleRouter());
  app.use(exportRouter({ authenticator, log, pageSize: Math.min(100, config.pagination.maxPageSize) }));

  app.get('/', (_req, res) => {
    res.redirect('/graphiql');
  });

  app.use((_req, res) => {
    sendError(res, 404, 'NOT_FOUND', 'No such endpoint: GraphQL is at /graphql, GraphiQL at /graphiql');
  });

  /** An error passed on by a handler, as an answer. */
  const answerError = (err: Error & { type?: string; status?: number }, req: IncomingMessage & { id?: string }, res: ServerResponse): void => {
    if (res.headersSent) {
      log.error({ err: loggableError(err), requestId: req.id }, 'error after the response started');
      res.destroy();
    } else if (err.type === 'entity.too.large') {
      sendError(res, 413, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${config.limits.bodyBytes} bytes`);
    } else if (err.type === 'entity.parse.failed') {
      sendError(res, 400, 'BAD_JSON', 'The request body is not valid JSON');
    } else if (err.type === 'charset.unsupported') {
      sendError(res, 415, 'UNSUPPORTED_ENCODING', 'The request body must be UTF-8 JSON (charset=utf-8 or no charset)');
    } else if (err.type === 'encoding.unsupported') {
      sendError(res, 415, 'UNSUPPORTED_ENCODING', 'Unsupported content-encoding: send the body uncompressed, or as gzip, deflate or br');
    } else if (typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
      sendError(res, err.status, 'BAD_REQUEST', 'The request could not be read');
    } else if (!sendDbFault(res, err)) {
      log.error({ err: loggableError(err), requestId: req.id }, 'unhandled error');
      sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
    }
  };
  app.use((err: Error & { type?: string; status?: number }, req: Request, res: Response, _next: NextFunction) => answerError(err, req, res));

  // POST /graphql, nearly every request, on node's own request and response: the same handlers
  // in the same order, without express's per-request set-up (lean-http.ts).
  const router = express.Router();
  router.use(requestId, logRequest, ...chain);
  // The router only matches and calls its handlers: it does not need express's request helpers.
  const lean = router as unknown as (req: LeanRequest, res: LeanResponse, done: Next) => void;
  const listener: RequestListener = (req, res) => {
    if (req.method === 'POST' && pathOf(req.url) === '/graphql') {
      const r = res as LeanResponse;
      r.locals = Object.create(null) as Record<string, unknown>;
      lean(req as LeanRequest, r, (err) => {
        if (err) answerError(err as Error, req, res);
        else if (!res.headersSent) sendError(r, 404, 'NOT_FOUND', 'No such endpoint: GraphQL is at /graphql');
      });
      return;
    }
    app(req, res);
  };
  return listener;
}
