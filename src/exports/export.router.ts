// GET /export/<entity>.csv|.ndjson?where=<json>: every row of one root list the caller's key may
// see, streamed. Authenticated like /graphql; each page is then asked of this server's own
// /graphql over HTTP with the caller's Authorization header, so tiers, anonymisation, row scopes,
// limits and the access ledger (one entry per page) apply unchanged. Backpressure: the next page
// is not requested while the client has not read the previous one.
import type { Request, Response } from 'express';
import { Router } from 'express';
import type { GraphQLSchema } from 'graphql';
import { AuthFailure } from '../auth/authenticate';
import { schemaKeyOf, type Principal, type SchemaKey } from '../auth/principal';
import { fullSchema } from '../graphql/schema';
import { roleSchema } from '../permissions/role-schema';
import { loggableError, sendError } from '../server/errors';
import { classifyDbError, DB_FAULT_MESSAGE, DB_FAULT_STATUS } from '../server/faults/db-errors';
import type { Logger } from '../server/logger';
import { EXPORT_PAGE_SIZE, ExportError, exportPages, parseWhere, planExport, type Execute, type ExportPlan } from './export.service';
import { CONTENT_TYPES, EXPORT_FORMATS, formatter, writeAll, type ExportFormat } from './format';

export interface ExportRouterDeps {
  authenticator: { authenticate(header: string | undefined): Promise<Principal> };
  /**
   * Base URL of this server for the loopback requests, e.g. 'http://127.0.0.1:4000'. Default:
   * the local address and port the request came in on.
   */
  selfUrl?: (req: Request) => string;
  /** The caller's schema, to choose the columns. Default: the role's cut of the full schema. */
  schemaFor?: (p: Principal) => GraphQLSchema;
  /** Rows per page; default 100 (the API's maximum by default). */
  pageSize?: number;
  log?: Logger;
  /** For tests: the fetch used for the loopback requests. */
  fetch?: typeof fetch;
}

const FILE = /^([A-Za-z][A-Za-z0-9]{0,63})\.(csv|ndjson)$/;

const schemas = new Map<SchemaKey, GraphQLSchema>();
function defaultSchemaFor(p: Principal): GraphQLSchema {
  const key = schemaKeyOf(p);
  let schema = schemas.get(key);
  if (!schema) {
    schema = key === 'ADMIN' ? fullSchema() : roleSchema(fullSchema(), key);
    schemas.set(key, schema);
  }
  return schema;
}

/** http://<local address>:<local port> of the connection the request came in on. */
export function localUrl(req: Request): string {
  const socket = req.socket;
  let host = socket.localAddress ?? '127.0.0.1';
  if (host.startsWith('::ffff:')) host = host.slice(7);
  if (host === '::' || host === '0.0.0.0') host = '127.0.0.1';
  return `http://${host.includes(':') ? `[${host}]` : host}:${socket.localPort}`;
}

export function exportRouter(deps: ExportRouterDeps): Router {
  const router = Router();
  const selfUrl = deps.selfUrl ?? localUrl;
  const schemaFor = deps.schemaFor ?? defaultSchemaFor;
  const doFetch = deps.fetch ?? fetch;
  const pageSize = deps.pageSize ?? EXPORT_PAGE_SIZE;

  router.all('/export/:file', async (req: Request, res: Response) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendError(res, 405, 'METHOD_NOT_ALLOWED', `${req.method} is not supported on /export: use GET`, { allow: 'GET, HEAD' });
      return;
    }
    const match = FILE.exec(String(req.params.file ?? ''));
    if (!match || !(EXPORT_FORMATS as readonly string[]).includes(match[2]!)) {
      sendError(res, 404, 'NOT_FOUND', 'Export a list as /export/<list>.csv or /export/<list>.ndjson, e.g. /export/serviceOrders.csv');
      return;
    }
    const entity = match[1]!;
    const format = match[2] as ExportFormat;

    let principal: Principal;
    try {
      principal = await deps.authenticator.authenticate(req.header('authorization'));
    } catch (err) {
      if (err instanceof AuthFailure) {
        sendError(res, 401, err.code, err.message, { 'www-authenticate': 'Bearer realm="ecograph"' });
        return;
      }
      const fault = classifyDbError(err);
      if (fault) {
        sendError(res, DB_FAULT_STATUS[fault], fault, DB_FAULT_MESSAGE[fault]);
        return;
      }
      deps.log?.error({ err: loggableError(err) }, 'export: authentication failed unexpectedly');
      sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      return;
    }

    let plan: ExportPlan;
    let where: Record<string, unknown> | undefined;
    try {
      const raw = req.query.where;
      if (raw !== undefined && typeof raw !== 'string') throw new ExportError(400, 'BAD_USER_INPUT', 'Give where once, as JSON');
      where = parseWhere(raw);
      plan = planExport(schemaFor(principal), entity);
    } catch (err) {
      if (err instanceof ExportError) sendError(res, err.status, err.code, err.message);
      else throw err;
      return;
    }

    // Closing the response (client gone) aborts the page in flight.
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const base = selfUrl(req);
    const authorization = req.header('authorization')!;
    const requestId = typeof (req as Request & { id?: unknown }).id === 'string' ? (req as Request & { id: string }).id : undefined;
    let pageNo = 0;
    const execute: Execute = async (query, variables) => {
      pageNo += 1;
      const headers: Record<string, string> = { authorization, 'content-type': 'application/json', accept: 'application/json' };
      // The pages of one export share its request id in the log and the ledger: <id>.p<n>.
      if (requestId) headers['x-request-id'] = `${requestId.slice(0, 100)}.p${pageNo}`;
      const answer = await doFetch(`${base}/graphql`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables, operationName: 'Export' }),
        signal: abort.signal,
      });
      const text = await answer.text();
      try {
        return { status: answer.status, ...(JSON.parse(text) as object) };
      } catch {
        return { status: answer.status, errors: [{ message: `The API answered ${answer.status} without JSON`, extensions: { code: 'INTERNAL_SERVER_ERROR' } }] };
      }
    };

    const pages = exportPages(execute, plan, where, { pageSize });
    // The first page decides the status: a bad filter or a refused key is still a JSON error.
    let first: IteratorResult<Record<string, unknown>[]>;
    try {
      first = await pages.next();
    } catch (err) {
      if (abort.signal.aborted) return;
      if (err instanceof ExportError) {
        sendError(res, err.status, err.code, err.message);
      } else {
        deps.log?.error({ err: loggableError(err) }, 'export: the first page failed');
        sendError(res, 502, 'INTERNAL_SERVER_ERROR', 'The export could not read from the API');
      }
      return;
    }

    const columns = plan.columns.map((c) => c.name);
    const fmt = formatter(format, columns);
    res.status(200).set({
      'content-type': CONTENT_TYPES[format],
      'content-disposition': `attachment; filename="${entity}.${format}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'x-export-columns': String(columns.length),
    });
    if (req.method === 'HEAD') {
      res.end();
      await pages.return(undefined);
      return;
    }
    async function* chunks(): AsyncGenerator<string> {
      yield fmt.header();
      let result = first;
      while (!result.done) {
        // One write per page: about 100 rows of text.
        yield result.value.map((row) => fmt.row(row)).join('');
        result = await pages.next();
      }
    }
    try {
      const complete = await writeAll(res, chunks());
      if (complete) res.end();
    } catch (err) {
      // The status is sent: the only honest signal left is an incomplete (aborted) transfer.
      if (!abort.signal.aborted) {
        deps.log?.warn({ err: loggableError(err), entity, pages: pageNo }, 'export aborted after the response started');
      }
      res.destroy();
    } finally {
      await pages.return(undefined).catch(() => undefined);
    }
  });

  return router;
}
