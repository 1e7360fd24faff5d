// Execution by id, in front of Apollo (after authentication: the principal is on req). A request
// naming an operation by id, as
//   - GraphQL-over-HTTP persisted documents: `documentId` in the JSON body or the query string;
//   - Apollo's persisted-query extension: `extensions.persistedQuery` { version: 1, sha256Hash },
// is looked up among the caller's own registered operations and rewritten into an ordinary
// request with that document as `query` (the id is kept for the access ledger). Nothing is ever
// registered from a request: Apollo's automatic persisted queries are off, and the extension is
// stripped once resolved here.
//
// Answers (docs/persisted-operations.md):
//   - unknown id: PERSISTED_QUERY_NOT_FOUND, HTTP 200 with "cache-control: private, no-cache,
//     must-revalidate", message "PersistedQueryNotFound": exactly what Apollo Server answers, so
//     APQ clients (Apollo Client's persisted-queries link) fall back to sending the query;
//   - `documentId` with `query` or with the extension, a malformed id or extension, a hash that
//     does not match the query sent with it: 400 BAD_REQUEST;
//   - a partner whose agreement sets persistedOnly, sending anything but an id: 400
//     PERSISTED_QUERY_REQUIRED. Only a document calling nothing but `registerOperations` or
//     `persistedOperations` passes as text, so that such a partner can register. Other roles are
//     never restricted.
import crypto from 'node:crypto';
import { Kind, parse, type DocumentNode } from 'graphql';
import type pg from 'pg';
import type { Principal } from '../auth/principal';
import { Role } from '../permissions/tier';
import { sendError } from '../server/errors';
import type { LeanHandler, LeanRequest } from '../server/lean-http';
import { findOperation, normaliseId } from './persisted-operation.service';

/** What the request carries for the GraphQL handlers (graphql-handlers.ts puts it on the context). */
export type PersistedRequest = LeanRequest;

/** Root fields a persisted-only partner may still send as text: registering and listing (with __typename). */
const TEXT_ALLOWED = new Set(['registerOperations', 'persistedOperations', '__typename']);

const NOT_FOUND_HEADERS = { 'cache-control': 'private, no-cache, must-revalidate' };

const REQUIRED_MESSAGE =
  'Your agreement allows registered operations only: register the operation with the registerOperations mutation, ' +
  'then send its id as "documentId" (or as extensions.persistedQuery.sha256Hash), not the query text. See docs/persisted-operations.md';

/** A small LRU of documents by (partner, id): a document never changes under its id. */
export class DocumentCache {
  private readonly entries = new Map<string, string>();
  constructor(private readonly max: number) {}

  get(partnerId: number, id: string): string | undefined {
    const key = `${partnerId}:${id}`;
    const v = this.entries.get(key);
    if (v !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, v);
    }
    return v;
  }

  set(partnerId: number, id: string, document: string): void {
    const key = `${partnerId}:${id}`;
    this.entries.delete(key);
    this.entries.set(key, document);
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The request's GraphQL parameters, wherever they came from. */
interface Params {
  query: unknown;
  documentId: unknown;
  extensions: unknown;
  /** Writes the rewritten parameters back where they came from. */
  write(changes: { query?: string; removeDocumentId?: boolean; extensions?: Record<string, unknown> | undefined }): void;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class BadRequest extends Error {}

function fromBody(req: LeanRequest): Params | undefined {
  const body = req.body as unknown;
  if (!isRecord(body)) return undefined;
  return {
    query: body.query,
    documentId: body.documentId,
    extensions: body.extensions,
    write(c) {
      const next: Record<string, unknown> = { ...body };
      if (c.query !== undefined) next.query = c.query;
      if (c.removeDocumentId) delete next.documentId;
      if ('extensions' in c) {
        if (c.extensions === undefined) delete next.extensions;
        else next.extensions = c.extensions;
      }
      req.body = next;
    },
  };
}

function fromSearch(req: LeanRequest): Params {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const search = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  const once = (name: string): string | undefined => {
    const all = search.getAll(name);
    if (all.length > 1) throw new BadRequest(`Give "${name}" once`);
    return all[0];
  };
  const rawExtensions = once('extensions');
  let extensions: unknown;
  if (rawExtensions !== undefined) {
    try {
      extensions = JSON.parse(rawExtensions);
    } catch {
      extensions = rawExtensions; // Apollo refuses it (400); here it is simply not an id
    }
  }
  return {
    query: once('query'),
    documentId: once('documentId'),
    extensions,
    write(c) {
      if (c.query !== undefined) search.set('query', c.query);
      if (c.removeDocumentId) search.delete('documentId');
      if ('extensions' in c) {
        if (c.extensions === undefined) search.delete('extensions');
        else search.set('extensions', JSON.stringify(c.extensions));
      }
      const s = search.toString();
      req.url = s ? `${path}?${s}` : path;
    },
  };
}

/** The extensions without persistedQuery (undefined when nothing else is left). */
function withoutPersistedQuery(extensions: Record<string, unknown>): Record<string, unknown> | undefined {
  const { persistedQuery: _dropped, ...rest } = extensions;
  return Object.keys(rest).length > 0 ? rest : undefined;
}

/** A document whose every operation calls only registerOperations / persistedOperations. */
function onlyRegistration(query: unknown): boolean {
  if (typeof query !== 'string') return false;
  let doc: DocumentNode;
  try {
    doc = parse(query);
  } catch {
    return false;
  }
  return doc.definitions.every((d) => {
    if (d.kind !== Kind.OPERATION_DEFINITION || d.operation === 'subscription') return false;
    const fields = d.selectionSet.selections.map((s) => (s.kind === Kind.FIELD ? s.name.value : ''));
    return fields.every((f) => TEXT_ALLOWED.has(f)) && fields.some((f) => f !== '__typename');
  });
}

export interface PersistedDocumentsOptions {
  /** Documents kept in memory (per process). */
  cacheSize?: number;
}

export function persistedDocuments(pool: Pick<pg.Pool, 'query'>, opts: PersistedDocumentsOptions = {}): LeanHandler {
  const cache = new DocumentCache(opts.cacheSize ?? 1_000);

  async function lookup(p: Principal | undefined, rawId: string): Promise<{ id: string; document: string } | undefined> {
    // Ids are per partner: other roles have none.
    if (p?.role !== Role.PARTNER || p.partnerId === undefined) return undefined;
    const id = normaliseId(rawId);
    if (!id) return undefined;
    const cached = cache.get(p.partnerId, id);
    if (cached !== undefined) return { id, document: cached };
    const found = await findOperation(pool, p.partnerId, id);
    if (!found) return undefined; // not cached: it may be registered a moment later
    cache.set(p.partnerId, id, found.document);
    return { id, document: found.document };
  }

  return async (req, res, next) => {
    const p = req.principal;
    const restricted = p?.role === Role.PARTNER && p.persistedOnly === true;
    const refuseText = (query: unknown): boolean => {
      if (!restricted || onlyRegistration(query)) return false;
      sendError(res, 400, 'PERSISTED_QUERY_REQUIRED', REQUIRED_MESSAGE);
      return true;
    };
    try {
      const params = req.method === 'GET' ? fromSearch(req) : fromBody(req);
      if (!params) {
        // A body Apollo will refuse anyway (not JSON, not an object).
        if (!refuseText(undefined)) next();
        return;
      }
      const { query, documentId } = params;
      const hasQuery = query !== undefined && query !== null;
      const pq = isRecord(params.extensions) ? params.extensions.persistedQuery : undefined;
      const hasPq = pq !== undefined && pq !== null;

      let id: string;
      if (documentId !== undefined && documentId !== null) {
        if (typeof documentId !== 'string') throw new BadRequest('"documentId" must be a string');
        if (hasQuery) throw new BadRequest('Send either "query" or "documentId", not both');
        if (hasPq) throw new BadRequest('Send either "documentId" or extensions.persistedQuery, not both');
        id = documentId;
      } else if (hasPq) {
        if (!isRecord(pq) || pq.version !== 1) throw new BadRequest('Unsupported persisted query version');
        if (typeof pq.sha256Hash !== 'string') throw new BadRequest('extensions.persistedQuery.sha256Hash must be a string');
        const extensions = withoutPersistedQuery(params.extensions as Record<string, unknown>);
        if (hasQuery) {
          // Apollo's clients send the query with its hash after PersistedQueryNotFound. Nothing
          // is registered: a registered hash runs by id, any other as the plain query it is.
          if (typeof query !== 'string' || crypto.createHash('sha256').update(query).digest('hex') !== pq.sha256Hash.toLowerCase()) {
            throw new BadRequest('provided sha does not match query');
          }
          const found = await lookup(p, pq.sha256Hash);
          if (found) {
            req.persistedOperationId = found.id;
          } else if (refuseText(query)) {
            return;
          }
          params.write({ extensions });
          next();
          return;
        }
        id = pq.sha256Hash;
      } else {
        if (!refuseText(query)) next();
        return;
      }

      const found = await lookup(p, id);
      if (!found) {
        sendError(res, 200, 'PERSISTED_QUERY_NOT_FOUND', 'PersistedQueryNotFound', NOT_FOUND_HEADERS);
        return;
      }
      req.persistedOperationId = found.id;
      params.write({
        query: found.document,
        removeDocumentId: true,
        ...(isRecord(params.extensions) ? { extensions: withoutPersistedQuery(params.extensions) } : {}),
      });
      next();
    } catch (err) {
      if (err instanceof BadRequest) sendError(res, 400, 'BAD_REQUEST', err.message);
      else next(err);
    }
  };
}
