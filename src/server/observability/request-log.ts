// One JSON log line per request, written when the response is finished (or the connection
// closed before that), and the metrics of GraphQL requests.
//
// What a line holds: request id, method, path (never the query string: a GET carries the
// query and variables there), status, duration, role, key id and partner id of the caller,
// the operation name and the error codes. Never a header (the Authorization header least of
// all), a body, a variable or a row value.
import { pathOf, type LeanHandler } from '../lean-http';
import type { Logger } from '../logger';
import type { Metrics } from './metrics';

/** Filled in along the way: by the Apollo plugin (logging.plugin.ts) and by sendError (errors.ts). */
export interface RequestObservation {
  /** The operation name once Apollo resolved the operation (null: anonymous). */
  operationName?: string | null;
  /** True once the document parsed, validated and named an operation to run. */
  resolved?: boolean;
  errorCodes?: string[];
}

/** res.locals as this module uses it. */
export type ObservedLocals = RequestObservation;

const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);
const CODE = /^[A-Z][A-Z0-9_]{0,63}$/;
const MAX_NAME = 100;

export function requestLogger(log: Logger, metrics: Metrics): LeanHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    // Captured now: inside a mounted router express rewrites req.url.
    const path = pathOf(req.url);
    let done = false;
    const finish = (aborted: boolean) => {
      if (done) return;
      done = true;
      const durationMs = Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;
      const locals = res.locals as ObservedLocals;
      const principal = req.principal;
      const errorCodes = [...new Set((locals.errorCodes ?? []).map((c) => (CODE.test(c) ? c : 'OTHER')))];
      const isGraphql = path === '/graphql' || path.startsWith('/graphql/');
      const operationName = typeof locals.operationName === 'string' ? locals.operationName.slice(0, MAX_NAME) : undefined;
      const status = aborted && !res.headersSent ? 499 : res.statusCode;
      const line = {
        requestId: req.id,
        method: req.method,
        path: path.length > 200 ? `${path.slice(0, 200)}…` : path,
        status,
        durationMs,
        role: principal?.role,
        keyId: principal?.keyId,
        partnerId: principal?.partnerId,
        operation: operationName,
        errorCodes: errorCodes.length > 0 ? errorCodes : undefined,
        aborted: aborted || undefined,
      };
      if (QUIET_PATHS.has(path)) log.debug(line, 'request');
      else if (status >= 500) log.warn(line, 'request');
      else log.info(line, 'request');
      if (isGraphql) {
        metrics.observe({
          operation: metrics.operationLabel(locals.operationName, locals.resolved === true),
          role: principal?.role ?? 'NONE',
          status,
          durationMs,
          errorCodes,
        });
      }
    };
    res.once('finish', () => finish(false));
    res.once('close', () => finish(!res.writableFinished));
    next();
  };
}
