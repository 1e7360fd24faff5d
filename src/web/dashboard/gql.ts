// GraphQL for the dashboard: src/web/lib/api.ts's request plus two things of its own.
// - Revalidation: answers with an ETag are kept; asking again sends If-None-Match, and a 304
//   (the figures have not changed since) reuses the answer without transferring it.
// - Errors sorted by what the page does about them: `auth` (401: the key), `schema` (a field the
//   role's schema lacks: the role cannot see it), and the rest.
import { ApiError, request } from '../lib/api';

type Document<R, V> = Parameters<typeof request<R, V>>[0];

export type DashErrorKind = 'auth' | 'schema' | 'graphql' | 'http' | 'network';

export class DashError extends Error {
  constructor(
    readonly kind: DashErrorKind,
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'DashError';
  }
}

export interface Gql {
  <R, V>(document: Document<R, V>, variables: V): Promise<R>;
}

export function createGql(endpoint: string, key: () => string): Gql {
  const validated = new Map<string, { etag: string; data: unknown }>();
  return async <R, V>(document: Document<R, V>, variables: V): Promise<R> => {
    const cacheKey = JSON.stringify([document.toString(), variables ?? {}]);
    const held = validated.get(cacheKey);
    try {
      const { data, errors, response } = await request(document, variables, {
        endpoint,
        key,
        headers: held ? { 'if-none-match': held.etag } : undefined,
      });
      const etag = response.headers.get('etag');
      if (etag && !errors.length) validated.set(cacheKey, { etag, data });
      return data;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (err.status === 304 && held) return held.data as R;
      throw classify(err);
    }
  };
}

function classify(err: ApiError): DashError {
  if (err.status === 401) return new DashError('auth', err.message, err.code);
  if (err.code === 'NETWORK_ERROR') return new DashError('network', `${err.message}`, err.code);
  if (err.errors.length) {
    // A field the caller's schema lacks: its role cannot see it (or the server is older).
    const missing = err.errors.some((e) => /^Cannot query field/.test(String(e.message)));
    if (err.code === 'GRAPHQL_VALIDATION_FAILED' && missing) return new DashError('schema', err.message, err.code);
    return new DashError('graphql', err.message, err.code);
  }
  return new DashError('http', err.message, err.code);
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
