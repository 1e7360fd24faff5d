// GraphiQL's fetcher: one POST per operation with `Authorization: Bearer <key>`. A 401 (a wrong,
// revoked or expired key) is reported to the key bar with the server's message; the answer still
// reaches the response pane. Without a key nothing is sent: every answer would be a 401.
import type { GraphiQLProps } from 'graphiql';

export type Fetcher = GraphiQLProps['fetcher'];

export interface KeyStatus {
  unauthorized(message: string): void;
  accepted(): void;
}

interface ErrorBody {
  errors?: { message?: unknown }[];
  message?: unknown;
}

export function describeFailure(body: unknown, res: Response): string {
  const b = (body ?? {}) as ErrorBody;
  const first = Array.isArray(b.errors) ? b.errors[0] : undefined;
  if (typeof first?.message === 'string') return first.message;
  if (typeof b.message === 'string') return b.message;
  return `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
}

const NO_KEY = 'No API key: paste your Ecograph key in the bar above';

/** A new fetcher per key: GraphiQL re-runs introspection when its fetcher changes. */
export function createFetcher(endpoint: string, apiKey: string, status: KeyStatus): Fetcher {
  return async (params, opts) => {
    if (!apiKey) {
      // GraphiQL's own schema request on load is not the user's doing: the bar's hint says enough.
      if (params.operationName !== 'IntrospectionQuery') status.unauthorized(NO_KEY);
      return { errors: [{ message: NO_KEY, extensions: { code: 'UNAUTHENTICATED' } }] };
    }
    const headers = new Headers();
    // Headers typed into GraphiQL's headers editor come first; ours win.
    for (const [name, value] of Object.entries(opts?.headers ?? {})) headers.set(name, String(value));
    headers.set('content-type', 'application/json');
    if (!headers.has('accept')) headers.set('accept', 'application/json');
    if (apiKey) headers.set('authorization', `Bearer ${apiKey}`);
    const res = await fetch(endpoint, { method: 'POST', headers, body: JSON.stringify(params), credentials: 'same-origin' });
    const text = await res.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    if (res.status === 401) status.unauthorized(describeFailure(body, res));
    else if (res.ok) status.accepted();
    if (body === null || typeof body !== 'object') {
      return { errors: [{ message: `${describeFailure(null, res)}${text ? `: ${text.slice(0, 2000)}` : ''}` }] };
    }
    return body as Record<string, unknown>;
  };
}
