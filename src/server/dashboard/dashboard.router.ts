// The ecosystem dashboard: one HTML page and its assets, all from the project's own files (no
// CDN, works offline). The page calls the public GraphQL API with the key pasted into it, so it
// shows exactly what that key may see; the server side needs no key and holds no data.
import { Router } from 'express';
import { serveAssets, servePage } from '../static-assets';
import { DASHBOARD_ASSETS } from './assets';
import { dashboardBase, renderDashboardPage, type DashboardOptions } from './page';

export type { DashboardOptions } from './page';


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
  servePage(router, base || '/', () => renderDashboardPage(options), { 'content-security-policy': CONTENT_SECURITY_POLICY });
  serveAssets(router, base, DASHBOARD_ASSETS);
  return router;
}
