// The GraphiQL HTML page: the key bar (bound by src/web/graphiql/key-bar.ts), a mount point, the
// config as inert JSON, and the bundle built from src/web/graphiql.
import type { GraphiqlOptions } from '../graphiql';
import { inlineJson, mountBase, pageHead, scriptTags } from '../html-page';
import { GRAPHIQL_ASSETS } from './assets';

export const DEFAULT_TITLE = 'Ecograph GraphiQL';

export function renderPage(opts: GraphiqlOptions): string {
  const base = mountBase(opts.mountPath);
  const title = opts.title ?? DEFAULT_TITLE;
  const config = {
    endpoint: opts.endpoint,
    title,
    storageNamespace: 'ecograph',
    keyStorageItem: 'ecograph:apiKey',
    examples: (opts.examples ?? []).map((e) => ({ name: e.name, query: e.query, variables: e.variables })),
  };
  const scripts = scriptTags(base, GRAPHIQL_ASSETS);

  return `${pageHead(title, base, GRAPHIQL_ASSETS)}
<body>
<div class="eg-keybar" id="eg-keybar">
<label for="eg-key">API key</label>
<input id="eg-key" type="password" autocomplete="off" autocapitalize="off" spellcheck="false" data-lpignore="true" data-1p-ignore placeholder="eco_…" aria-describedby="eg-key-hint eg-key-message">
<button type="button" id="eg-key-toggle" aria-controls="eg-key" aria-pressed="false">Show</button>
<span class="eg-hint" id="eg-key-hint">Paste your Ecograph API key (Bearer)</span>
<span class="eg-message" id="eg-key-message" role="alert" hidden></span>
<div class="eg-examples" id="eg-examples"></div>
</div>
<div class="eg-graphiql" id="graphiql"><noscript>GraphiQL needs JavaScript.</noscript></div>
<script type="application/json" id="eg-config">${inlineJson(config)}</script>
${scripts}
</body>
</html>
`;
}
