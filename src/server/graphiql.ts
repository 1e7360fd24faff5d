// GraphiQL, served entirely from the project's own dependencies (no CDN): the HTML page, and the
// React / GraphiQL bundles read from node_modules under `${mountPath}/assets/:file`.
import { Router, type Request } from 'express';
import { findAsset } from './graphiql/assets';
import { mountBase, renderPage } from './graphiql/page';

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

const ASSET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function renderGraphiqlPage(opts: GraphiqlOptions): string {
  return renderPage(opts);
}

export function graphiqlRouter(opts: GraphiqlOptions): Router {
  const router = Router();
  const base = mountBase(opts.mountPath);
  let page: string | undefined;

  router.get(base || '/', (_req, res) => {
    page ??= renderPage(opts);
    res
      .status(200)
      .set({
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
      })
      .send(page);
  });

  router.get(`${base}/assets/:file`, (req, res) => {
    const name = req.params.file;
    // Only names from the fixed list are served: nothing derived from the request reaches the disk.
    const asset = typeof name === 'string' && ASSET_NAME.test(name) ? findAsset(name) : undefined;
    if (!asset) {
      res.status(404).type('text/plain').send('Not found');
      return;
    }
    res
      .status(200)
      .set({
        'content-type': asset.contentType,
        // URLs carry ?v=<version>, so a changed file gets a new URL.
        'cache-control': 'public, max-age=31536000, immutable',
        'x-content-type-options': 'nosniff',
      })
      .send(asset.body());
  });

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
