// The console's HTML page: an empty root for React, the settings as inert JSON, local assets.
// Everything else comes from /graphql with the key pasted into the page.
import { inlineJson, mountBase, pageHead, scriptTags } from '../html-page';
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
  const scripts = scriptTags(base, CONSOLE_ASSETS);
  return `${pageHead(CONSOLE_TITLE, base, CONSOLE_ASSETS)}
<body data-console="idle">
<div id="root"><noscript>The operator console needs JavaScript.</noscript></div>
<script type="application/json" id="ec-config">${inlineJson(config)}</script>
${scripts}
</body>
</html>
`;
}
