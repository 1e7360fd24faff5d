// The GraphiQL HTML page: the key bar (bound by src/web/graphiql/key-bar.ts), a mount point, the
// config as inert JSON, and the bundle built from src/web/graphiql.
import type { GraphiqlOptions } from '../graphiql';
import { GRAPHIQL_ASSETS } from './assets';

export const DEFAULT_TITLE = 'Ecograph GraphiQL';

/** '/graphiql/' -> '/graphiql', '/' -> '' (so `${base}/assets/...` is always a clean path). */
export function mountBase(mountPath: string): string {
  const trimmed = mountPath.trim().replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}` : '';
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON that cannot close the surrounding <script> element or start an HTML comment. */
export function inlineJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

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
  const url = (name: string, version: string) =>
    escapeHtml(`${base}/assets/${encodeURIComponent(name)}?v=${encodeURIComponent(version)}`);
  const styles = GRAPHIQL_ASSETS.filter((a) => a.kind === 'style')
    .map((a) => `<link rel="stylesheet" href="${url(a.name, a.version())}">`)
    .join('\n');
  const scripts = GRAPHIQL_ASSETS.filter((a) => a.kind === 'script')
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
<title>${escapeHtml(title)}</title>
${styles}
</head>
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
