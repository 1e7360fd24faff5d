// GraphiQL, served entirely from the project's own files (no CDN): the HTML page, and the bundle
// of src/web/graphiql (dist/web, built by `npm run build`) under `${mountPath}/assets/:file`.
import { Router, type Request } from 'express';
import { GRAPHIQL_ASSETS } from './graphiql/assets';
import { serveAssets, servePage } from './static-assets';
import { mountBase } from './html-page';
import { renderPage } from './graphiql/page';

export interface GraphiqlExample {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
}

export interface GraphiqlOptions {
  /** The GraphQL endpoint the page posts to, e.g. '/graphql'. */
  endpoint: string;
  /** Where the page is served, e.g. '/graphiql'; assets live under `${mountPath}/assets/`. */
  mountPath: string;
  /** The first one is the default query; all of them can be loaded from the key bar. */
  examples?: GraphiqlExample[];
  /** Defaults to 'Ecograph GraphiQL'. */
  title?: string;
}


export function renderGraphiqlPage(opts: GraphiqlOptions): string {
  return renderPage(opts);
}

/**
 * The page runs our bundle only and talks to its own host only. Inline styles stay allowed:
 * GraphiQL and the explorer set style attributes. Fonts are data: URLs inside graphiql.css.
 */
export const GRAPHIQL_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function graphiqlRouter(opts: GraphiqlOptions): Router {
  const router = Router();
  const base = mountBase(opts.mountPath);
  servePage(router, base || '/', () => renderPage(opts), { 'content-security-policy': GRAPHIQL_CSP });
  serveAssets(router, base, GRAPHIQL_ASSETS);
  return router;
}

/** A browser opening the endpoint itself: a GET that prefers HTML and carries no `query`. */
export function wantsGraphiql(req: Request): boolean {
  if (req.method !== 'GET') return false;
  const query: unknown = req.query;
  if (query !== null && typeof query === 'object' && Object.prototype.hasOwnProperty.call(query, 'query')) return false;
  // JSON first: for `*/*` or no Accept header at all, the API answer wins.
  return req.accepts(['application/json', 'text/html']) === 'text/html';
}
