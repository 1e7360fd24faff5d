// The fixed list of files the dashboard page loads: ECharts' minified bundle read from
// node_modules (located with require.resolve('echarts/package.json')) and the page's own script
// and stylesheet, kept as TypeScript string modules because tsc copies no .js/.css to dist.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DASHBOARD_SCRIPT } from './client-script';
import { DASHBOARD_STYLE } from './page-style';

export interface DashboardAsset {
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

function fromPackage(name: string, kind: DashboardAsset['kind'], pkg: string, file: string): DashboardAsset {
  const dir = once(() => path.dirname(require.resolve(`${pkg}/package.json`)));
  return {
    name,
    kind,
    contentType: CONTENT_TYPES[kind],
    version: once(() => {
      const manifest = JSON.parse(readFileSync(path.join(dir(), 'package.json'), 'utf8')) as { version?: unknown };
      return String(manifest.version ?? '0').replace(/[^A-Za-z0-9.+-]/g, '-');
    }),
    body: once(() => readFileSync(path.join(dir(), file))),
  };
}

function inline(name: string, kind: DashboardAsset['kind'], text: string): DashboardAsset {
  const body = Buffer.from(text, 'utf8');
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
  return { name, kind, contentType: CONTENT_TYPES[kind], version: () => hash, body: () => body };
}

/** In load order: the page script expects the global `echarts`. */
export const DASHBOARD_ASSETS: readonly DashboardAsset[] = [
  inline('ecograph-dashboard.css', 'style', DASHBOARD_STYLE),
  fromPackage('echarts.min.js', 'script', 'echarts', 'dist/echarts.min.js'),
  inline('ecograph-dashboard.js', 'script', DASHBOARD_SCRIPT),
];

const byName = new Map(DASHBOARD_ASSETS.map((a) => [a.name, a]));

export function findDashboardAsset(name: string): DashboardAsset | undefined {
  return byName.get(name);
}
