// What the answers served before Apollo (cached metric answers, early answers) read of a request:
// a JSON POST read plainly, and the media type Apollo would answer it with.
import type { LeanRequest } from './lean-http';

const JSON_TYPE = 'application/json; charset=utf-8';
const GRAPHQL_RESPONSE_TYPE = 'application/graphql-response+json; charset=utf-8';

/**
 * The media type Apollo would answer with, for the Accept headers clients send (none, any, or a
 * plain list of the two JSON types, as this project's own clients send); undefined for anything
 * else (weights, wildcards among types, other types), which Apollo negotiates itself.
 */
export function answerType(accept: string | undefined): string | undefined {
  if (accept === undefined || accept === '' || accept === '*/*') return JSON_TYPE;
  for (const part of accept.split(',')) {
    const type = part.trim().toLowerCase();
    if (type === 'application/json') return JSON_TYPE;
    if (type === 'application/graphql-response+json') return GRAPHQL_RESPONSE_TYPE;
    return undefined;
  }
  return undefined;
}

/** A GraphQL POST as the answers before Apollo take it. */
export interface PlainPost {
  query: string;
  variables: Record<string, unknown> | undefined;
  operationName: string | undefined;
  /** The answer's media type. */
  type: string;
  body: Record<string, unknown>;
}

/**
 * The request as a plain JSON POST (a text query, variables an object, no extensions, an Accept
 * header read plainly); undefined for anything else, which Apollo reads and refuses itself.
 */
export function plainPost(req: LeanRequest): PlainPost | undefined {
  const body = req.body as Record<string, unknown> | undefined;
  if (req.method !== 'POST' || !body || typeof body !== 'object') return undefined;
  if (typeof body.query !== 'string' || body.extensions !== undefined) return undefined;
  const variables = body.variables ?? undefined;
  if (variables !== undefined && (typeof variables !== 'object' || Array.isArray(variables))) return undefined;
  const operationName = body.operationName ?? undefined;
  if (operationName !== undefined && typeof operationName !== 'string') return undefined;
  const type = answerType(req.headers.accept);
  if (!type) return undefined;
  return { query: body.query, variables: variables as Record<string, unknown> | undefined, operationName, type, body };
}
