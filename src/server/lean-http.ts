// The request and response types of POST /graphql, which runs on node's own request and
// response objects and not express's (app.ts): express gives every request its own prototypes
// (req.header, res.status, ...), and that swap alone cost more per request than the whole
// middleware chain after it. Handlers typed with these types can run under both: they use
// node's API and the few fields the chain itself sets.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '../auth/principal';

export interface LeanRequest extends IncomingMessage {
  /** The JSON body once read (json-body.ts). */
  body?: unknown;
  /** The request id (x-request-id, or a fresh one). */
  id?: string;
  principal?: Principal;
  /** The rollups' version read with the key (src/auth/authenticate.ts). */
  rollupVersion?: string;
  /** The persisted operation the request named (src/persisted). */
  persistedOperationId?: string;
  /** Its quota units were charged by an early answer that left it to the usual way (src/server/early). */
  quotaPaid?: boolean;
}

export interface LeanResponse extends ServerResponse {
  /** Per-request notes for the request log (observability/request-log.ts). */
  locals: Record<string, unknown>;
}

export type Next = (err?: unknown) => void;
export type LeanHandler = (req: LeanRequest, res: LeanResponse, next: Next) => void | Promise<void>;

/** A header's value as one string (repeated headers joined, as express's req.header does not). */
export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** The path of a request URL, without its query string. */
export function pathOf(url: string | undefined): string {
  const u = url ?? '/';
  const q = u.indexOf('?');
  return q < 0 ? u : u.slice(0, q);
}

/** Sends a complete text body with its length (node would otherwise send it chunked). */
export function sendText(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(text);
}

/** JSON as express's res.json sends it. */
export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.setHeader('content-type', 'application/json; charset=utf-8');
  sendText(res, status, JSON.stringify(value));
}
