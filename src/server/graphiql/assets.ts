// The fixed list of files the GraphiQL page loads: bundles read from node_modules (located with
// require.resolve('<pkg>/package.json')) and the page's own small script and stylesheet.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CLIENT_SCRIPT } from './client-script';
import { PAGE_STYLE } from './page-style';

export interface GraphiqlAsset {
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

function fromPackage(name: string, kind: GraphiqlAsset['kind'], pkg: string, file: string): GraphiqlAsset {
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

function inline(name: string, kind: GraphiqlAsset['kind'], text: string): GraphiqlAsset {
  const body = Buffer.from(text, 'utf8');
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
  return { name, kind, contentType: CONTENT_TYPES[kind], version: () => hash, body: () => body };
}

/** In load order: GraphiQL's UMD build expects the globals React and ReactDOM (React 18 UMD). */
export const GRAPHIQL_ASSETS: readonly GraphiqlAsset[] = [
  fromPackage('graphiql.min.css', 'style', 'graphiql', 'graphiql.min.css'),
  inline('ecograph-graphiql.css', 'style', PAGE_STYLE),
  fromPackage('react.production.min.js', 'script', 'react', 'umd/react.production.min.js'),
  fromPackage('react-dom.production.min.js', 'script', 'react-dom', 'umd/react-dom.production.min.js'),
  fromPackage('graphiql.min.js', 'script', 'graphiql', 'graphiql.min.js'),
  inline('ecograph-graphiql.js', 'script', CLIENT_SCRIPT),
];

const byName = new Map(GRAPHIQL_ASSETS.map((a) => [a.name, a]));

export function findAsset(name: string): GraphiqlAsset | undefined {
  return byName.get(name);
}
