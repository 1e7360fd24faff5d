// The console's client: lib/api's request bound to the page's endpoint and key. Unlike lib/api,
// a partial answer counts as a failure here: an operator screen half-filled with nulls would
// mislead, so the first error (with its code) is shown instead.
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import { ApiError, request } from '../lib/api';

export type Doc<R, V> = DocumentTypeDecoration<R, V> & { toString(): string };

export interface Api {
  query<R, V>(document: Doc<R, V>, variables: V, signal?: AbortSignal): Promise<R>;
  /** A mutation under an Idempotency-Key kept by the caller across retries of one action. */
  mutate<R, V>(document: Doc<R, V>, variables: V, idempotencyKey: string): Promise<R>;
}

export function createApi(endpoint: string, key: () => string): Api {
  const run = async <R, V>(document: Doc<R, V>, variables: V, extra: { idempotencyKey?: string; signal?: AbortSignal }): Promise<R> => {
    const { data, errors, response } = await request(document, variables, { endpoint, key, ...extra });
    const first = errors[0];
    if (first) throw new ApiError(first.message, first.extensions?.code ?? 'GRAPHQL_ERROR', response.status, errors);
    return data;
  };
  return {
    query: (document, variables, signal) => run(document, variables, { signal }),
    mutate: (document, variables, idempotencyKey) => run(document, variables, { idempotencyKey }),
  };
}

/** Every page of a connection, up to `limit` rows (the API caps a page at 100). */
export async function collectPages<N>(
  page: (after: string | null) => Promise<{ nodes: N[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }>,
  limit: number,
): Promise<{ nodes: N[]; complete: boolean }> {
  const nodes: N[] = [];
  let after: string | null = null;
  for (;;) {
    const conn = await page(after);
    nodes.push(...conn.nodes);
    if (!conn.pageInfo.hasNextPage || !conn.pageInfo.endCursor) return { nodes, complete: true };
    if (nodes.length >= limit) return { nodes, complete: false };
    after = conn.pageInfo.endCursor;
  }
}
