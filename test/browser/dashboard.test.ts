// The dashboard page in a real browser (Debian's chromium driven by playwright-core), against a
// test server on the seeded data. The page is mounted here on a small express app that forwards
// /graphql to the test server, so the test does not depend on how app.ts wires the router.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config';
import { dashboardRouter } from '../../src/server/dashboard/dashboard.router';
import { createActors, type Actors } from '../setup/actors';
import { TEST_ADMIN_KEY } from '../setup/constants';
import { startTestServer, type TestServer } from '../setup/server';

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = fs.existsSync(CHROMIUM);
/** Refresh it with ECOGRAPH_SCREENSHOTS=1 npx vitest run test/browser. */
const SCREENSHOT = path.join(PROJECT_ROOT, 'docs', 'screenshots', 'dashboard.png');
const PANELS = ['gmv', 'tiers', 'evolution', 'alerts', 'settlements', 'cases'];

if (!HAS_CHROMIUM) {
  console.warn(`test/browser/dashboard.test.ts: ${CHROMIUM} is missing, so the browser tests are skipped. Install it with .ci/install-browser.sh.`);
}

let server: TestServer;
let front: http.Server;
let base: string;

/** The dashboard router plus /graphql forwarded to the test server, on 127.0.0.1. */
async function startFront(target: string): Promise<void> {
  const app = express();
  app.use(dashboardRouter());
  app.use('/graphql', express.raw({ type: () => true, limit: '2mb' }), async (req, res) => {
    const headers: Record<string, string> = {};
    for (const name of ['authorization', 'content-type', 'accept']) {
      const value = req.header(name);
      if (value) headers[name] = value;
    }
    const answer = await fetch(`${target}/graphql`, {
      method: req.method,
      headers,
      body: req.method === 'POST' && Buffer.isBuffer(req.body) ? req.body : undefined,
    });
    res.status(answer.status);
    const type = answer.headers.get('content-type');
    if (type) res.setHeader('content-type', type);
    res.send(Buffer.from(await answer.arrayBuffer()));
  });
  front = http.createServer(app);
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  server = await startTestServer();
  await startFront(server.url);
});

afterAll(async () => {
  await new Promise<void>((resolve) => (front ? front.close(() => resolve()) : resolve()));
});

describe('dashboard router', () => {
  it('serves the page with local assets only', async () => {
    const res = await fetch(`${base}/dashboard`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    const urls = [...html.matchAll(/<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
    expect(urls.length).toBeGreaterThanOrEqual(3);
    for (const url of urls) {
      if (url.startsWith('data:')) continue;
      expect(url).toMatch(/^\/dashboard\/assets\//);
      const asset = await fetch(`${base}${url}`);
      expect(asset.status, url).toBe(200);
    }
    const echarts = await fetch(`${base}/dashboard/assets/echarts.min.js`);
    expect(echarts.headers.get('content-type')).toMatch(/javascript/);
    expect((await echarts.text()).length).toBeGreaterThan(500_000);
  });

  it('serves nothing outside its allow-list', async () => {
    for (const name of ['package.json', 'echarts.js', '..%2Fpackage.json', '.env', 'x']) {
      expect((await fetch(`${base}/dashboard/assets/${name}`)).status, name).toBe(404);
    }
  });
});

describe.skipIf(!HAS_CHROMIUM)('dashboard in chromium', () => {
  let browser: Browser;
  let actors: Actors;
  let evolutionInSchema = false;

  beforeAll(async () => {
    actors = await createActors(server.pool);
    // partnerEvolution is newer than the page: without it, its panel must say 'not available'.
    const probe = await server.gql('{ partnerEvolution(quarter: "2026-Q3") { rank } }');
    evolutionInSchema = probe.status === 200 && !probe.body.errors;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  interface Watched {
    page: Page;
    consoleErrors: string[];
    outside: string[];
  }

  async function openDashboard(): Promise<Watched> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, reducedMotion: 'reduce' });
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    const outside: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
    page.on('request', (r) => {
      const url = r.url();
      if (!url.startsWith('http://127.0.0.1:') && !url.startsWith('data:')) outside.push(url);
    });
    await page.goto(`${base}/dashboard`);
    return { page, consoleErrors, outside };
  }

  async function loadWithKey(page: Page, key: string): Promise<string> {
    await page.fill('#ed-key', key);
    await page.click('#ed-key-load');
    await page.waitForFunction(() => ['ready', 'auth-error', 'role-error', 'error'].includes((globalThis as any).document.body.dataset.dashboard ?? ''), null, {
      timeout: 20_000,
    });
    return (await page.getAttribute('body', 'data-dashboard')) ?? '';
  }

  async function panelStates(page: Page): Promise<Record<string, { state: string; points: number; message: string }>> {
    return page.evaluate(() => {
      const out: Record<string, { state: string; points: number; message: string }> = {};
      for (const el of (globalThis as any).document.querySelectorAll('[data-panel]') as Iterable<any>) {
        out[el.dataset.panel!] = {
          state: el.dataset.state ?? '',
          points: Number(el.dataset.points ?? 0),
          message: el.querySelector('[data-role="message"]')?.textContent ?? '',
        };
      }
      return out;
    });
  }

  it('draws every chart for an admin key, fast, without console errors or outside requests', async () => {
    const { page, consoleErrors, outside } = await openDashboard();
    const started = Date.now();
    expect(await loadWithKey(page, TEST_ADMIN_KEY)).toBe('ready');
    const elapsed = Date.now() - started;
    const loadMs = Number(await page.getAttribute('body', 'data-load-ms'));
    console.log(`dashboard: data loaded and drawn in ${loadMs} ms (${elapsed} ms from the click)`);

    const panels = await panelStates(page);
    expect(Object.keys(panels).sort()).toEqual([...PANELS].sort());
    for (const id of PANELS) {
      if (id === 'evolution' && !evolutionInSchema) {
        expect(panels[id]!.state, id).toBe('unavailable');
        expect(panels[id]!.message).toMatch(/not available/i);
        continue;
      }
      expect(panels[id], id).toMatchObject({ state: 'ready' });
      expect(panels[id]!.points, id).toBeGreaterThan(0);
    }
    // 24 months of GMV for each of the four categories.
    expect(panels.gmv!.points).toBe(96);
    // Every drawn chart has a canvas of real size.
    const canvases = await page.$$eval('[data-panel][data-state="ready"] .ed-chart canvas', (list) =>
      list.map((c: any) => Number(c.width) * Number(c.height)),
    );
    expect(canvases.length).toBeGreaterThanOrEqual(5);
    for (const area of canvases) expect(area).toBeGreaterThan(10_000);

    // The defaults follow the data: the 24 months up to the latest settlement month.
    expect(await page.inputValue('#ed-from')).toBe('2024-11');
    expect(await page.inputValue('#ed-to')).toBe('2026-10');
    // The key stays in this tab: sessionStorage, never localStorage or a cookie.
    const storage = await page.evaluate(() => {
      const w = globalThis as any; // the page's window (this tsconfig has no DOM types)
      return { session: w.sessionStorage.getItem('ecograph:apiKey'), local: w.localStorage.length, cookie: w.document.cookie };
    });
    expect(storage).toEqual({ session: TEST_ADMIN_KEY, local: 0, cookie: '' });

    expect(consoleErrors).toEqual([]);
    expect(outside).toEqual([]);
    expect(loadMs).toBeLessThan(5_000); // about one second here; generous for slow CI machines

    // The committed screenshot is rewritten only on request (or when missing), so that a test run
    // leaves the working tree clean; every run still renders one to the temp folder.
    const target = process.env.ECOGRAPH_SCREENSHOTS === '1' || !fs.existsSync(SCREENSHOT) ? SCREENSHOT : path.join(os.tmpdir(), 'ecograph-dashboard.png');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    await page.screenshot({ path: target, fullPage: true });
    expect(fs.statSync(target).size).toBeGreaterThan(50_000);
    await page.context().close();
  });

  it('filters by category and period', async () => {
    const { page, consoleErrors } = await openDashboard();
    expect(await loadWithKey(page, actors.dashboard)).toBe('ready');
    await page.fill('#ed-from', '2026-01');
    await page.fill('#ed-to', '2026-06');
    await page.selectOption('#ed-category', 'CAPABILITY_COMPLEMENT');
    await page.click('#ed-apply');
    await page.waitForFunction(() => (globalThis as any).document.body.dataset.dashboard === 'ready' && new URL((globalThis as any).location.href).searchParams.get('from') === '2026-01');
    const panels = await panelStates(page);
    expect(panels.gmv).toMatchObject({ state: 'ready', points: 6 }); // one category, six months
    expect(panels.tiers!.state).toBe('ready');
    expect(await page.textContent('[data-panel="settlements"] [data-role="note"]')).toContain('June 2026');
    expect(new URL(page.url()).search).toBe('?from=2026-01&to=2026-06&category=CAPABILITY_COMPLEMENT');
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  });

  it('says when the key is wrong, with the server message', async () => {
    const direct = await server.gql('{ __typename }', undefined, 'eco_not-a-real-key');
    expect(direct.status).toBe(401);
    const serverMessage = direct.body.errors![0]!.message;

    const { page, consoleErrors, outside } = await openDashboard();
    expect(await loadWithKey(page, 'eco_not-a-real-key')).toBe('auth-error');
    const message = await page.textContent('#ed-key-message');
    expect(message).toContain(serverMessage);
    expect(await page.isVisible('#ed-key-message')).toBe(true);
    const panels = await panelStates(page);
    for (const id of PANELS) expect(panels[id]!.state).toBe('idle');
    // The browser itself logs the 401 response; nothing else may be an error.
    expect(consoleErrors.filter((e) => !/status of 401/.test(e))).toEqual([]);
    expect(outside).toEqual([]);
    await page.context().close();
  });

  it("says when the key's role cannot see the dashboard", async () => {
    const { page } = await openDashboard();
    expect(await loadWithKey(page, actors.partnerA)).toBe('role-error');
    expect(await page.textContent('#ed-key-message')).toMatch(/role cannot see the dashboard; use a dashboard, analyst or admin key/);
    await page.context().close();
  });
});
