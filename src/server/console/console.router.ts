// The operator console: one HTML page and its bundle, from the project's own files. The page
// calls the public GraphQL API with the key pasted into it (an OPERATOR or ADMIN key); the server
// side needs no key and holds no data.
import { Router } from 'express';
import { serveAssets, servePage } from '../static-assets';
import { CONSOLE_ASSETS } from './assets';
import { consoleBase, renderConsolePage, type ConsoleOptions } from './page';

export type { ConsoleOptions } from './page';

/** Scripts, styles and requests to this origin only; no inline code of any kind. */
export const CONSOLE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function consoleRouter(opts: Partial<ConsoleOptions> = {}): Router {
  const options: ConsoleOptions = {
    endpoint: opts.endpoint ?? '/graphql',
    mountPath: opts.mountPath ?? '/console',
    graphiqlPath: opts.graphiqlPath ?? '/graphiql',
    dashboardPath: opts.dashboardPath ?? '/dashboard',
  };
  const router = Router();
  const base = consoleBase(options.mountPath);
  servePage(router, base || '/', () => renderConsolePage(options), { 'content-security-policy': CONSOLE_CONTENT_SECURITY_POLICY });
  serveAssets(router, base, CONSOLE_ASSETS);
  return router;
}
