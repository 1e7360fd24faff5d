import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphiqlRouter, renderGraphiqlPage, wantsGraphiql, type GraphiqlOptions } from '../../src/server/graphiql';

const opts: GraphiqlOptions = {
  endpoint: '/graphql',
  mountPath: '/graphiql',
  examples: [
    { name: 'Partners', query: '{ partners(first: 1) { totalCount } }' },
    { name: 'Evil', query: '# </script><script>alert(1)</script>\n{ __typename }', variables: { x: '</script><!--' } },
  ],
};

let server: http.Server;
let base: string;

beforeAll(async () => {
  const app = express();
  app.use(graphiqlRouter(opts));
  app.all('/probe', (req, res) => {
    res.json(wantsGraphiql(req));
  });
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
});

/** A raw GET whose path is sent exactly as written (fetch would normalise `../`). */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}/`, { method: 'GET', path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function assetUrls(html: string): string[] {
  return [...html.matchAll(/<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
}

describe('graphiql page', () => {
  it('serves an HTML page with GraphiQL', async () => {
    const res = await fetch(`${base}/graphiql`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    // Our bundle only, and requests to this host only (the browser test checks the page obeys it).
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain('graphiql');
    expect(html).toContain('<title>Ecograph GraphiQL</title>');
    expect(html).toContain('Paste your Ecograph API key (Bearer)');
    expect(html).toMatch(/<input[^>]*id="eg-key"[^>]*type="password"/);
  });

  it('references only local assets, all of which are served', async () => {
    const html = await (await fetch(`${base}/graphiql`)).text();
    expect(html).not.toMatch(/https?:\/\//);
    const urls = assetUrls(html).filter((u) => u !== 'data:,'); // the empty favicon (no /favicon.ico request)
    const names = urls.map((u) => u.split('?')[0]);
    // One bundle of src/web/graphiql and its stylesheet (React and GraphiQL inside, no UMD globals).
    expect([...names].sort()).toEqual(['/graphiql/assets/graphiql.css', '/graphiql/assets/graphiql.js']);
    for (const url of urls) {
      expect(url.startsWith('/graphiql/assets/')).toBe(true);
      const res = await fetch(`${base}${url}`);
      expect(res.status, url).toBe(200);
      const type = res.headers.get('content-type') ?? '';
      expect(type, url).toMatch(url.split('?')[0]!.endsWith('.css') ? /^text\/css/ : /^(text|application)\/javascript/);
      expect(res.headers.get('cache-control'), url).toMatch(/max-age=\d{6,}/);
      const body = await res.text();
      expect(body.length, url).toBeGreaterThan(0);
      // Fonts and images must come with the page: inlined (data:), since only the bundle is served.
      const refs = [...body.matchAll(/url\(\s*['"]?([^'")\s]+)/g)].map((m) => m[1]!);
      expect(refs.filter((ref) => !ref.startsWith('data:') && !ref.startsWith('#')), url).toEqual([]);
    }
  });

  it('answers 404 for an unknown asset', async () => {
    expect((await fetch(`${base}/graphiql/assets/nope.js`)).status).toBe(404);
    expect((await fetch(`${base}/graphiql/assets/package.json`)).status).toBe(404);
    expect((await fetch(`${base}/graphiql/assets/__proto__`)).status).toBe(404);
  });

  it('refuses ../ in the asset path', async () => {
    for (const path of [
      '/graphiql/assets/../../package.json',
      '/graphiql/assets/..%2F..%2Fpackage.json',
      '/graphiql/assets/%2e%2e%2fpackage.json',
      '/graphiql/assets/..%5C..%5Cpackage.json',
      '/graphiql/assets/../assets/graphiql.js/../../../package.json',
    ]) {
      const res = await rawGet(path);
      expect(res.status, path).toBe(404);
      expect(res.body, path).not.toContain('"name"');
    }
  });

  it('escapes example data so it cannot close the script element', () => {
    const html = renderGraphiqlPage(opts);
    const scripts = html.match(/<script\b/g)?.length ?? 0;
    expect(html.match(/<\/script>/g)?.length).toBe(scripts);
    expect(html).not.toContain('<!--');
    expect(html).toContain('\\u003c/script\\u003e\\u003cscript\\u003ealert(1)');
    const json = /<script type="application\/json" id="eg-config">([^<]*)<\/script>/.exec(html)?.[1];
    const config = JSON.parse(json ?? 'null') as { endpoint: string; examples: { query: string; variables?: unknown }[] };
    expect(config.endpoint).toBe('/graphql');
    expect(config.examples[1]!.query).toBe(opts.examples![1]!.query);
    expect(config.examples[1]!.variables).toEqual({ x: '</script><!--' });
  });

  it('uses the title option, escaped', () => {
    const html = renderGraphiqlPage({ ...opts, title: 'A <b>&</b> title' });
    expect(html).toContain('<title>A &#60;b&#62;&#38;&#60;/b&#62; title</title>');
  });
});

describe('wantsGraphiql', () => {
  const probe = async (init: RequestInit & { path?: string } = {}) =>
    (await (await fetch(`${base}${init.path ?? '/probe'}`, init)).json()) as boolean;
  const browserAccept = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

  it('is true for a browser GET', async () => {
    expect(await probe({ headers: { accept: 'text/html' } })).toBe(true);
    expect(await probe({ headers: { accept: browserAccept } })).toBe(true);
  });

  it('is false for JSON clients, missing or wildcard Accept, a query parameter, and POST', async () => {
    expect(await probe({ headers: { accept: 'application/json' } })).toBe(false);
    expect(await probe({ headers: { accept: '*/*' } })).toBe(false);
    expect(await probe({ path: '/probe?query=%7B__typename%7D', headers: { accept: browserAccept } })).toBe(false);
    expect(await probe({ method: 'POST', headers: { accept: 'text/html' } })).toBe(false);
  });
});
