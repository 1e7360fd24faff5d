// What the server-rendered pages (GraphiQL, the dashboard, the console) share: escaping, inert
// JSON config, the mount base, and the <head> with their versioned local assets.
import type { StaticAsset } from './static-assets';

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

function assetUrl(base: string, a: StaticAsset): string {
  return escapeHtml(`${base}/assets/${encodeURIComponent(a.name)}?v=${encodeURIComponent(a.version())}`);
}

/** The page's scripts, deferred, in the listed order. */
export function scriptTags(base: string, assets: readonly StaticAsset[]): string {
  return assets
    .filter((a) => a.kind === 'script')
    .map((a) => `<script src="${assetUrl(base, a)}" defer></script>`)
    .join('\n');
}

/** `<!doctype html>` up to `</head>`: no referrer, not indexed, no favicon request, the stylesheets. */
export function pageHead(title: string, base: string, assets: readonly StaticAsset[]): string {
  const styles = assets
    .filter((a) => a.kind === 'style')
    .map((a) => `<link rel="stylesheet" href="${assetUrl(base, a)}">`)
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
</head>`;
}
