// Pages served from the project's own files (GraphiQL, the dashboard, the console): a fixed list
// of assets, the bundles `npm run build` makes of src/web, served with long cache headers under
// URLs that carry their content hash.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Router } from 'express';

export interface StaticAsset {
  readonly name: string;
  readonly kind: 'script' | 'style';
  readonly contentType: string;
  /** Changes whenever the content does; used as the URL's ?v= for cache busting. */
  version(): string;
  body(): Buffer;
}

const CONTENT_TYPES = { script: 'text/javascript; charset=utf-8', style: 'text/css; charset=utf-8' } as const;

function once<T>(load: () => T): () => T {
  let value: { v: T } | undefined;
  return () => (value ??= { v: load() }).v;
}

/** Where `npm run build` bundles the browser code of src/web (src/cli/web/bundle.ts). */
export const WEB_BUNDLE_DIR = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../../web' : '../../dist/web');

/** A bundle of src/web/<app> (dist/web/<file>), versioned by its hash. */
export function bundleAsset(name: string, kind: StaticAsset['kind'], file: string): StaticAsset {
  const body = once(() => {
    try {
      return readFileSync(path.join(WEB_BUNDLE_DIR, file));
    } catch {
      throw new Error(`${file} is not built: run npm run build (it bundles src/web into dist/web)`);
    }
  });
  const hash = once(() => createHash('sha256').update(body()).digest('hex').slice(0, 16));
  return { name, kind, contentType: CONTENT_TYPES[kind], version: hash, body };
}

const ASSET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** GET `${base}/assets/:file` for the listed assets only: nothing from the request reaches the disk. */
export function serveAssets(router: Router, base: string, assets: readonly StaticAsset[]): void {
  const byName = new Map(assets.map((a) => [a.name, a]));
  router.get(`${base}/assets/:file`, (req, res) => {
    const name = req.params.file;
    const asset = typeof name === 'string' && ASSET_NAME.test(name) ? byName.get(name) : undefined;
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
}

/** GET `path`: the page, rendered once, never cached, never framed. */
export function servePage(router: Router, pagePath: string, render: () => string, extraHeaders: Record<string, string> = {}): void {
  let page: string | undefined;
  router.get(pagePath, (_req, res) => {
    page ??= render();
    res
      .status(200)
      .set({
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
        ...extraHeaders,
      })
      .send(page);
  });
}
