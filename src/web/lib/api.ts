// GraphQL over fetch for the browser apps: one POST per operation to the page's endpoint with
// `Authorization: Bearer <key>`, typed by the documents graphql-codegen writes into
// src/web/generated/graphql.ts. Failures become an ApiError carrying the server's
// machine-readable code, so screens can show "FORBIDDEN: ..." rather than a generic message.
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';

export interface GraphQLErrorBody {
  message: string;
  path?: readonly (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

export class ApiError extends Error {
  constructor(
    message: string,
    /** The first error's `extensions.code`, or HTTP_<status> / NETWORK_ERROR / BAD_RESPONSE. */
    readonly code: string,
    readonly status: number,
    readonly errors: readonly GraphQLErrorBody[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiOptions {
  endpoint: string;
  /** Read at each request, so a key pasted later is used at once. */
  key: () => string;
  /** Idempotency-Key for a mutation that may be retried. */
  idempotencyKey?: string;
  signal?: AbortSignal;
  /** Extra request headers, e.g. If-None-Match. */
  headers?: Record<string, string>;
}

export interface ApiResult<T> {
  data: T;
  /** Partial answers: data with errors (e.g. a field the key may not read). */
  errors: readonly GraphQLErrorBody[];
  response: Response;
}

type Document<R, V> = DocumentTypeDecoration<R, V> & { toString(): string };

/** Runs one operation; throws ApiError unless the answer carries data. */
export async function request<R, V>(document: Document<R, V>, variables: V, options: ApiOptions): Promise<ApiResult<R>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...options.headers };
  const key = options.key().trim();
  if (key) headers.authorization = `Bearer ${key}`;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  let response: Response;
  try {
    response = await fetch(options.endpoint, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: document.toString(), variables: variables ?? {} }),
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError('The server could not be reached', 'NETWORK_ERROR', 0);
  }
  const text = await response.text();
  type Body = { data?: R | null; errors?: GraphQLErrorBody[]; message?: string };
  let body: Body | null = null;
  try {
    body = text ? (JSON.parse(text) as Body) : null;
  } catch {
    body = null;
  }
  const errors = Array.isArray(body?.errors) ? body.errors : [];
  if (body?.data != null) return { data: body.data, errors, response };
  const first = errors[0];
  const code = first?.extensions?.code ?? (body === null ? 'BAD_RESPONSE' : `HTTP_${response.status}`);
  const message = first?.message ?? body?.message ?? `HTTP ${response.status} ${response.statusText}`.trim();
  throw new ApiError(message, code, response.status, errors);
}

/** A fresh Idempotency-Key for one user action (kept across its retries by the caller). */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

/** "CODE: message", how every screen shows an error. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) return `${err.code}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}
