// The console's HTML page: an empty root for React, the settings as inert JSON, local assets.
// Everything else comes from /graphql with the key pasted into the page.
import { escapeHtml, inlineJson, mountBase } from '../graphiql/page';
import { CONSOLE_ASSETS } from './assets';

export interface ConsoleOptions {
  /** The GraphQL endpoint the page posts to, e.g. '/graphql'. */
  endpoint: string;
  /** Where the page is served, e.g. '/console'; assets live under `${mountPath}/assets/`. */
  mountPath: string;
  /** Linked from the page, for keys of other roles. */
  graphiqlPath: string;
  dashboardPath: string;
}

export const CONSOLE_TITLE = 'Ecograph operator console';

export const consoleBase = mountBase;

export function renderConsolePage(opts: ConsoleOptions): string {
  const base = mountBase(opts.mountPath);
  // Its own sessionStorage item: an operator key pasted here must not become GraphiQL's or the
  // dashboard's key in the same tab (and theirs must not be refused here on every visit).
  const config = { endpoint: opts.endpoint, keyStorageItem: 'ecograph:consoleKey', graphiqlPath: opts.graphiqlPath, dashboardPath: opts.dashboardPath };
  const url = (name: string, version: string) => escapeHtml(`${base}/assets/${encodeURIComponent(name)}?v=${encodeURIComponent(version)}`);
  const styles = CONSOLE_ASSETS.filter((a) => a.kind === 'style')
    .map((a) => `<link rel="stylesheet" href="${url(a.name, a.version())}">`)
    .join('\n');
  const scripts = CONSOLE_ASSETS.filter((a) => a.kind === 'script')
    .map((a) => `<script src="${url(a.name, a.version())}" defer></script>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex">
<link rel="icon" href="data:,">
<title>${escapeHtml(CONSOLE_TITLE)}</title>
${styles}
</head>
<body data-console="idle">
<div id="root"><noscript>The operator console needs JavaScript.</noscript></div>
<script type="application/json" id="ec-config">${inlineJson(config)}</script>
${scripts}
</body>
</html>
`;
}
