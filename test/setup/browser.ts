// What the browser tests share: Debian's chromium through playwright-core (skipped with a
// message when it is missing), a page mounted on a small express app that forwards /graphql to
// the test server, and screenshots that rewrite the committed files only on request.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express, { type Router } from 'express';
import { chromium, type Browser } from 'playwright-core';
import { PROJECT_ROOT } from '../../src/config';

export const CHROMIUM = '/usr/bin/chromium';
export const HAS_CHROMIUM = fs.existsSync(CHROMIUM);

/** Call at the top of a browser test file: says loudly why its tests are skipped. */
export function warnWithoutChromium(file: string): void {
  if (!HAS_CHROMIUM) console.warn(`${file}: ${CHROMIUM} is missing, so the browser tests are skipped. Install it with .ci/install-browser.sh.`);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Where to write docs/screenshots/<name>: the committed file only with ECOGRAPH_SCREENSHOTS=1
 * (or when it is missing), else a temp file, so a test run leaves the tree clean.
 */
export function screenshotPath(name: string): string {
  const committed = path.join(PROJECT_ROOT, 'docs', 'screenshots', name);
  return process.env.ECOGRAPH_SCREENSHOTS === '1' || !fs.existsSync(committed) ? committed : path.join(os.tmpdir(), `ecograph-${name}`);
}

export interface Front {
  base: string;
  close(): Promise<void>;
}

/**
 * A page's router plus /graphql forwarded to `target`, on 127.0.0.1, so a test does not depend
 * on how app.ts wires the router. Forwards authorization, content-type, accept and
 * if-none-match; answers with the status, content-type and etag.
 */
export async function startFront(router: Router, target: string, onGraphql?: (req: express.Request) => void): Promise<Front> {
  const app = express();
  app.use(router);
  app.use('/graphql', express.raw({ type: () => true, limit: '2mb' }), async (req, res) => {
    onGraphql?.(req);
    const headers: Record<string, string> = {};
    for (const name of ['authorization', 'content-type', 'accept', 'if-none-match']) {
      const value = req.header(name);
      if (value) headers[name] = value;
    }
    const answer = await fetch(`${target}/graphql`, {
      method: req.method,
      headers,
      body: req.method === 'POST' && Buffer.isBuffer(req.body) ? req.body : undefined,
    });
    res.status(answer.status);
    for (const name of ['content-type', 'etag']) {
      const value = answer.headers.get(name);
      if (value) res.setHeader(name, value);
    }
    if (answer.status === 304) res.end();
    else res.send(Buffer.from(await answer.arrayBuffer()));
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
