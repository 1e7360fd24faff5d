// The ecosystem dashboard: one HTML page and its assets, all from the project's own files (no
// CDN, works offline). The page calls the public GraphQL API with the key pasted into it, so it
// shows exactly what that key may see; the server side needs no key and holds no data.
import { Router } from 'express';
import { findDashboardAsset } from './assets';
import { dashboardBase, renderDashboardPage, type DashboardOptions } from './page';

export type { DashboardOptions } from './page';

const ASSET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Scripts and styles from this origin only; `unsafe-inline` styles because ECharts writes style
 * attributes into its tooltips; data: images for ECharts' "save as image".
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function dashboardRouter(opts: Partial<DashboardOptions> = {}): Router {
  const options: DashboardOptions = { endpoint: opts.endpoint ?? '/graphql', mountPath: opts.mountPath ?? '/dashboard', title: opts.title };
  const router = Router();
  const base = dashboardBase(options.mountPath);
  let page: string | undefined;

  router.get(base || '/', (_req, res) => {
    page ??= renderDashboardPage(options);
    res
      .status(200)
      .set({
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-cache',
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
      })
      .send(page);
  });

  router.get(`${base}/assets/:file`, (req, res) => {
    const name = req.params.file;
    // Only names from the fixed list are served: nothing derived from the request reaches the disk.
    const asset = typeof name === 'string' && ASSET_NAME.test(name) ? findDashboardAsset(name) : undefined;
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
