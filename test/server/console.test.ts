// The operator console's page and assets (src/server/console), served by its router alone, and
// its GraphQL operations (src/web/console/*.graphql) checked against the OPERATOR and ADMIN
// schemas: codegen checks them against the full schema only, but an operator key executes
// against its own cut, and a field missing there would break the console for operators.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { parse, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config';
import { fullSchema } from '../../src/graphql/schema';
import { roleSchema } from '../../src/permissions/role-schema';
import { consoleRouter } from '../../src/server/console/console.router';

let server: http.Server;
let base: string;

beforeAll(async () => {
  const app = express();
  app.use(consoleRouter({ mountPath: '/console' }));
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
});

/** The CSP as a map of directive -> sources. */
function csp(header: string | null): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const part of (header ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out[name] = sources;
  }
  return out;
}

describe('console page', () => {
  it('is served never cached, never framed, under a strict CSP', async () => {
    const res = await fetch(`${base}/console`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const policy = csp(res.headers.get('content-security-policy'));
    expect(policy['default-src']).toEqual(["'none'"]);
    expect(policy['script-src']).toEqual(["'self'"]);
    expect(policy['connect-src']).toEqual(["'self'"]);
    expect(policy['style-src']).toEqual(["'self'"]);
    expect(policy['frame-ancestors']).toEqual(["'none'"]);
    expect(JSON.stringify(policy)).not.toContain('unsafe');
  });

  it('has no inline code: scripts are local files or inert JSON', async () => {
    const html = await (await fetch(`${base}/console`)).text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]!);
    expect(scripts.length).toBe(2);
    for (const attrs of scripts) expect(attrs).toMatch(/\bsrc="\/console\/assets\/|type="application\/json"/);
    expect(html).not.toMatch(/\son[a-z]+=/i); // no inline event handlers
    const config = JSON.parse(/<script type="application\/json" id="ec-config">([^<]*)<\/script>/.exec(html)![1]!) as Record<string, string>;
    expect(config).toEqual({ endpoint: '/graphql', keyStorageItem: 'ecograph:consoleKey', graphiqlPath: '/graphiql', dashboardPath: '/dashboard' });
    expect(html).toContain('<div id="root">');
  });

  it('serves its bundle and stylesheet under versioned URLs with long cache headers', async () => {
    const html = await (await fetch(`${base}/console`)).text();
    const urls = [...html.matchAll(/<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&')).filter((u) => !u.startsWith('data:'));
    expect(urls.sort()).toEqual([expect.stringMatching(/^\/console\/assets\/console\.css\?v=[0-9a-f]{16}$/), expect.stringMatching(/^\/console\/assets\/console\.js\?v=[0-9a-f]{16}$/)]);
    const built = (file: string) => fs.readFileSync(path.join(PROJECT_ROOT, 'dist', 'web', file));
    for (const url of urls) {
      const res = await fetch(`${base}${url}`);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const file = url.includes('.js?') ? 'console.js' : 'console.css';
      expect(res.headers.get('content-type')).toBe(file.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8');
      expect(Buffer.from(await res.arrayBuffer()).equals(built(file)), file).toBe(true);
    }
  });

  it('serves nothing outside its allow-list', async () => {
    for (const name of ['graphiql.js', 'package.json', '..%2Fpackage.json', 'console.js.map', '.env']) {
      expect((await fetch(`${base}/console/assets/${name}`)).status, name).toBe(404);
    }
  });
});

describe('console operations', () => {
  const dir = path.join(PROJECT_ROOT, 'src', 'web', 'console');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.graphql'));
  const schemas = { OPERATOR: roleSchema(fullSchema(), 'OPERATOR'), ADMIN: roleSchema(fullSchema(), 'ADMIN') };

  it('exist, each operation named Console…', () => {
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) {
      for (const def of parse(fs.readFileSync(path.join(dir, file), 'utf8')).definitions) {
        if (def.kind === 'OperationDefinition') expect(def.name?.value, file).toMatch(/^Console[A-Z]/);
      }
    }
  });

  it.each(files)('%s is valid for OPERATOR and ADMIN keys', (file) => {
    const doc = parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    for (const [role, schema] of Object.entries(schemas)) {
      expect(validate(schema, doc).map((e) => e.message), `${file} for ${role}`).toEqual([]);
    }
  });
});
