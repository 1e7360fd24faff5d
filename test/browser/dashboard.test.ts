// The dashboard page in a real browser (Debian's chromium driven by playwright-core), against a
// test server on the seeded data. The page is mounted here on a small express app that forwards
// /graphql to the test server, so the test does not depend on how app.ts wires the router.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUSINESS_TIME_ZONE } from '../../src/metrics/rollups/refresh';
import { dashboardRouter } from '../../src/server/dashboard/dashboard.router';
import { createActors, type Actors } from '../setup/actors';
import { HAS_CHROMIUM, launchChromium, screenshotPath, startFront, warnWithoutChromium, type Front } from '../setup/browser';
import { TEST_ADMIN_KEY } from '../setup/constants';
import { startTestServer, type TestServer } from '../setup/server';

/** Screenshots: refresh them with ECOGRAPH_SCREENSHOTS=1 npx vitest run test/browser. */
const PANELS = ['gmv', 'tiers', 'evolution', 'alerts', 'settlements', 'cases'];

warnWithoutChromium('test/browser/dashboard.test.ts');

let server: TestServer;
let front: Front;
let base: string;

beforeAll(async () => {
  server = await startTestServer();
  front = await startFront(dashboardRouter(), server.url);
  base = front.base;
});

afterAll(async () => {
  await front?.close();
});

describe('dashboard router', () => {
  it('serves the page with local assets only', async () => {
    const res = await fetch(`${base}/dashboard`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    const urls = [...html.matchAll(/<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
    expect(urls.length).toBeGreaterThanOrEqual(2);
    for (const url of urls) {
      if (url.startsWith('data:')) continue;
      expect(url).toMatch(/^\/dashboard\/assets\//);
      const asset = await fetch(`${base}${url}`);
      expect(asset.status, url).toBe(200);
    }
    // One bundle of src/web/dashboard with the parts of ECharts it uses, and its stylesheet.
    expect(urls.filter((u) => !u.startsWith('data:')).map((u) => u.replace(/\?.*$/, '')).sort()).toEqual(['/dashboard/assets/dashboard.css', '/dashboard/assets/dashboard.js']);
    const script = await fetch(`${base}${urls.find((u) => u.includes('dashboard.js'))!}`);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    const code = await script.text();
    expect(code.length).toBeGreaterThan(200_000); // ECharts is inside
    expect(code).not.toMatch(/\bfrom\s*["']echarts/); // bundled, not imported
  });

  it('serves nothing outside its allow-list', async () => {
    for (const name of ['package.json', 'echarts.js', 'echarts.min.js', '..%2Fpackage.json', '.env', 'x']) {
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
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  interface Watched {
    page: Page;
    consoleErrors: string[];
    outside: string[];
  }

  async function openDashboard(search = '', viewport = { width: 1440, height: 900 }): Promise<Watched> {
    const context = await browser.newContext({ viewport, reducedMotion: 'reduce', acceptDownloads: true });
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
    await page.goto(`${base}/dashboard${search}`);
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

  /** The panels of one view: #ed-grid (the ecosystem) or #ed-partner (the drill-down). */
  async function panelStates(page: Page, root = '#ed-grid'): Promise<Record<string, { state: string; points: number; message: string }>> {
    return page.evaluate((root) => {
      const out: Record<string, { state: string; points: number; message: string }> = {};
      for (const el of (globalThis as any).document.querySelectorAll(`${root} [data-panel]`) as Iterable<any>) {
        out[el.dataset.panel!] = {
          state: el.dataset.state ?? '',
          points: Number(el.dataset.points ?? 0),
          message: el.querySelector('[data-role="message"]')?.textContent ?? '',
        };
      }
      return out;
    }, root);
  }

  /**
   * The committed screenshots are rewritten only on request (or when missing), so that a test run
   * leaves the working tree clean; every run still renders them to the temp folder.
   */
  async function screenshot(page: Page, name: string): Promise<string> {
    const target = screenshotPath(name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    await page.screenshot({ path: target, fullPage: true });
    return target;
  }

  /** Clicks a panel's download button and returns the file's name and bytes. */
  async function download(page: Page, panel: string, kind: 'csv' | 'png'): Promise<{ name: string; bytes: Buffer }> {
    const [file] = await Promise.all([page.waitForEvent('download'), page.click(`[data-panel="${panel}"] button[data-download="${kind}"]`)]);
    const filePath = await file.path();
    return { name: file.suggestedFilename(), bytes: fs.readFileSync(filePath) };
  }

  function parseCsv(bytes: Buffer): string[][] {
    // RFC 4180 as src/web/lib/download.ts writes it (no line ends inside the values here).
    const text = bytes.toString('utf8').replace(/^\ufeff/, '');
    const rows: string[][] = [];
    for (const line of text.split('\r\n')) {
      if (!line) continue;
      const cells: string[] = [];
      let cur = '';
      let quoted = false;
      for (let i = 0; i < line.length; i++) {
        const c = line[i]!;
        if (quoted && c === '"' && line[i + 1] === '"') {
          cur += '"';
          i++;
        } else if (c === '"') {
          quoted = !quoted;
        } else if (c === ',' && !quoted) {
          cells.push(cur);
          cur = '';
        } else {
          cur += c;
        }
      }
      cells.push(cur);
      rows.push(cells);
    }
    return rows;
  }

  /** Waits for a finished load whose URL has these query parameters (null: absent). */
  async function waitReadyAt(page: Page, params: Record<string, string | null>): Promise<void> {
    await page.waitForFunction(
      (want) => {
        const w = globalThis as any;
        if (w.document.body.dataset.dashboard !== 'ready') return false;
        const got = new URL(w.location.href).searchParams;
        return Object.entries(want).every(([k, v]) => got.get(k) === v);
      },
      params,
      { timeout: 20_000 },
    );
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

    const target = await screenshot(page, 'dashboard.png');
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

  it('revalidates unchanged figures with If-None-Match: 304, and the same charts', async () => {
    const { page, consoleErrors } = await openDashboard();
    expect(await loadWithKey(page, actors.dashboard)).toBe('ready');
    const before = await panelStates(page);
    const statuses: number[] = [];
    page.on('response', (r) => {
      if (new URL(r.url()).pathname === '/graphql') statuses.push(r.status());
    });
    await page.evaluate(() => ((globalThis as any).document.body.dataset.dashboard = 'stale'));
    await page.click('#ed-apply');
    await page.waitForFunction(() => (globalThis as any).document.body.dataset.dashboard === 'ready', null, { timeout: 20_000 });
    expect(statuses.filter((s) => s === 304).length).toBeGreaterThan(0);
    expect(await panelStates(page)).toEqual(before);
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
    // Show/Hide reveals the key that was refused, and hides it again.
    await page.click('#ed-key-toggle');
    expect([await page.getAttribute('#ed-key', 'type'), await page.textContent('#ed-key-toggle')]).toEqual(['text', 'Hide']);
    await page.click('#ed-key-toggle');
    expect(await page.getAttribute('#ed-key', 'type')).toBe('password');
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
  it('downloads a chart as CSV with the figures it shows, and as a PNG', async () => {
    const { page, consoleErrors } = await openDashboard();
    expect(await loadWithKey(page, actors.dashboard)).toBe('ready');
    const csv = await download(page, 'gmv', 'csv');
    expect(csv.name).toBe('ecograph-gmv-2024-11_2026-10.csv');
    const rows = parseCsv(csv.bytes);
    // The same figures from the API: one column per category, one row per month.
    const api = await server.gql<{ ecosystemMetrics: { periods: string[]; series: { label: string; points: { gmv: string | null }[] }[] } }>(
      'query($from: Date!, $to: Date!) { ecosystemMetrics(from: $from, to: $to, granularity: MONTH, groupBy: CATEGORY) { periods series { label points { gmv } } } }',
      { from: '2024-11-01', to: '2026-11-01' },
      actors.dashboard,
    );
    const m = api.body.data!.ecosystemMetrics;
    const humanize = (k: string) => {
      const t = k.toLowerCase().replace(/_/g, ' ').replace(/\bco (creation|building)\b/g, 'co-$1');
      return t.charAt(0).toUpperCase() + t.slice(1);
    };
    expect(rows[0]).toEqual(['month', ...m.series.map((s) => `${humanize(s.label)} GMV (CNY)`)]);
    expect(rows.slice(1).map((r) => r[0])).toEqual(m.periods);
    expect(m.periods).toHaveLength(24);
    for (const [k, row] of rows.slice(1).entries()) {
      m.series.forEach((s, i) => expect(Number(row[i + 1]), `${row[0]} ${s.label}`).toBe(Number(s.points[k]!.gmv)));
    }

    const png = await download(page, 'gmv', 'png');
    expect(png.name).toBe('ecograph-gmv-2024-11_2026-10.png');
    expect(png.bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a'); // the PNG signature
    expect(png.bytes.length).toBeGreaterThan(10_000);
    // On white, not transparent: the page decodes it and reads the corner pixel.
    const corner = await page.evaluate(async (b64) => {
      const w = globalThis as any;
      const img = new w.Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const canvas = w.document.createElement('canvas');
      canvas.width = img.width;
      canvas.height = img.height;
      const g = canvas.getContext('2d');
      g.drawImage(img, 0, 0);
      return { size: [img.width, img.height], pixel: Array.from(g.getImageData(1, 1, 1, 1).data as ArrayLike<number>) };
    }, png.bytes.toString('base64'));
    expect(corner.pixel).toEqual([255, 255, 255, 255]);
    expect(corner.size[0]).toBeGreaterThan(1000); // drawn at twice the chart's size
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  });

  it('restores the period and category from a shared URL, and follows Back', async () => {
    // The key is in this tab's session; a shared link carries only the view.
    const { page, consoleErrors } = await openDashboard('?from=2025-03&to=2025-08&category=RESOURCE_SHARING');
    expect(await loadWithKey(page, actors.analyst)).toBe('ready');
    expect(await page.inputValue('#ed-from')).toBe('2025-03');
    expect(await page.inputValue('#ed-to')).toBe('2025-08');
    expect(await page.inputValue('#ed-category')).toBe('RESOURCE_SHARING');
    const panels = await panelStates(page);
    expect(panels.gmv).toMatchObject({ state: 'ready', points: 6 }); // one category, six months
    expect(await page.textContent('[data-panel="settlements"] [data-role="note"]')).toContain('August 2025');
    expect(new URL(page.url()).search).toBe('?from=2025-03&to=2025-08&category=RESOURCE_SHARING');
    expect(page.url()).not.toContain(actors.analyst);

    // A new period is a new history entry; Back shows the previous view again, without a reload.
    await page.evaluate(() => ((globalThis as any).__sameDocument = true));
    await page.fill('#ed-from', '2025-01');
    await page.click('#ed-apply');
    await waitReadyAt(page, { from: '2025-01', to: '2025-08' });
    expect((await panelStates(page)).gmv!.points).toBe(8);
    await page.goBack();
    await waitReadyAt(page, { from: '2025-03', to: '2025-08' });
    expect(await page.inputValue('#ed-from')).toBe('2025-03');
    expect((await panelStates(page)).gmv!.points).toBe(6);
    expect(await page.evaluate(() => (globalThis as any).__sameDocument)).toBe(true);
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  });

  it.skipIf(!HAS_CHROMIUM)("opens a partner's page from the evolution list: monthly figures, score, SLA, tier history", async () => {
    if (!evolutionInSchema) return;
    const { page, consoleErrors, outside } = await openDashboard();
    expect(await loadWithKey(page, TEST_ADMIN_KEY)).toBe('ready');
    // Of the partners listed, the one with the most rated months (its tier chart has points).
    const listed = await page.$$eval('[data-panel="evolution"] [data-role="lists"] a', (list) => list.map((a: any) => String(a.dataset.partner)));
    expect(listed.length).toBeGreaterThan(0);
    const best = await server.pool.query<{ slug: string }>(
      `select p.slug from partner p left join partner_tier_history t on t.partner_id = p.id and t.tier is not null
        where p.slug = any($1) group by p.slug order by count(t.id) desc, p.slug limit 1`,
      [listed],
    );
    const slug = best.rows[0]!.slug;
    const link = page.locator(`[data-panel="evolution"] [data-role="lists"] a[data-partner="${slug}"]`);
    expect(await link.getAttribute('href')).toBe(`/dashboard?partner=${slug}&from=2024-11&to=2026-10`);
    await link.click();
    await waitReadyAt(page, { partner: slug });
    expect(await page.getAttribute('body', 'data-view')).toBe('partner');
    expect(await page.isVisible('#ed-grid')).toBe(false);

    const db = await server.pool.query<{ id: number; name: string }>('select id, name from partner where slug = $1', [slug]);
    const partner = db.rows[0]!;
    expect(await page.textContent('#ed-partner-name')).toBe(partner.name);
    const panels = await panelStates(page, '#ed-partner');
    expect(Object.keys(panels).sort()).toEqual(['partner-figures', 'partner-scores', 'partner-sla', 'partner-tiers']);
    for (const id of Object.keys(panels)) expect(panels[id], id).toMatchObject({ state: 'ready' });
    expect(panels['partner-figures']!.points).toBeGreaterThan(24); // GMV and orders of 24 months
    expect(panels['partner-scores']!.points).toBeGreaterThan(0);
    expect(panels['partner-tiers']!.points).toBeGreaterThan(0);
    const tierCsv = parseCsv((await download(page, 'partner-tiers', 'csv')).bytes);
    expect(tierCsv[0]).toEqual(['month', 'tier', 'orders', 'average rating', 'complaint rate', 'reason']);
    expect(tierCsv.slice(1).filter((r) => r[1]).length).toBe(panels['partner-tiers']!.points);

    // The monthly orders are this partner's own, month by month.
    const orders = await server.pool.query<{ month: string; n: string }>(
      `select to_char(created_at at time zone $2, 'YYYY-MM') as month, count(*) as n from service_order
        where partner_id = $1 group by 1`,
      [partner.id, BUSINESS_TIME_ZONE],
    );
    const figures = parseCsv((await download(page, 'partner-figures', 'csv')).bytes);
    expect(figures[0]!.slice(0, 3)).toEqual(['month', 'GMV (CNY)', 'orders']);
    expect(figures).toHaveLength(25);
    const byMonth = new Map(orders.rows.map((r) => [r.month, Number(r.n)]));
    for (const row of figures.slice(1)) expect(Number(row[2] || 0), row[0]).toBe(byMonth.get(row[0]!) ?? 0);

    // The tier history lists the months the API has for it, newest first.
    const tiers = await server.pool.query<{ n: string }>(
      "select count(*) as n from partner_tier_history where partner_id = $1 and month >= '2024-11-01' and month < '2026-11-01'",
      [partner.id],
    );
    const rowsShown = await page.locator('[data-panel="partner-tiers"] [data-role="table"] tbody tr').count();
    expect(rowsShown).toBeGreaterThan(0);
    expect(rowsShown).toBe(Number(tiers.rows[0]!.n));
    await screenshot(page, 'dashboard-partner.png');

    // Back returns to the ecosystem view with its period.
    await page.click('#ed-back');
    await waitReadyAt(page, { partner: null, from: '2024-11' });
    expect(await page.isVisible('#ed-partner')).toBe(false);
    expect((await panelStates(page)).gmv!.state).toBe('ready');
    expect(consoleErrors).toEqual([]);
    expect(outside).toEqual([]);
    await page.context().close();
  });

  it("shows a partner's own key its page as far as its role allows, with the API's code for the rest", async () => {
    const slug = (await server.pool.query<{ slug: string }>('select slug from partner where id = $1', [actors.partnerAId])).rows[0]!.slug;
    const { page, outside } = await openDashboard(`?partner=${slug}`);
    expect(await loadWithKey(page, actors.partnerA)).toBe('ready');
    expect(await page.getAttribute('#ed-partner', 'data-state')).toBe('ready');
    const panels = await panelStates(page, '#ed-partner');
    // What the API answers this key for the monthly figures restricted to one partner.
    const direct = await server.gql(
      'query($p: ID!) { ecosystemMetrics(from: "2026-01-01", to: "2026-02-01", granularity: MONTH, groupBy: TOTAL, where: { partnerIds: [$p] }) { periods } }',
      { p: String(actors.partnerAId) },
      actors.partnerA,
    );
    // Partners may not restrict metrics to one partner: the panel says so with the API's code.
    const error = direct.body.errors?.[0];
    expect(error?.extensions?.code).toBe('FIELD_NOT_ALLOWED');
    for (const id of ['partner-figures', 'partner-sla']) {
      expect(panels[id], id).toMatchObject({ state: 'error', message: `Could not load: FIELD_NOT_ALLOWED: ${error!.message}` });
    }
    // Its own evaluations and tier history it may read.
    expect(panels['partner-scores']).toMatchObject({ state: 'ready' });
    expect(panels['partner-scores']!.points).toBeGreaterThan(0);
    expect(panels['partner-tiers']!.state).toBe('ready');
    expect(outside).toEqual([]);
    await page.context().close();
  });

  it('says when no partner has that slug', async () => {
    const { page } = await openDashboard('?partner=no-such-partner');
    expect(await loadWithKey(page, actors.dashboard)).toBe('ready');
    expect(await page.getAttribute('#ed-partner', 'data-state')).toBe('not-found');
    expect(await page.textContent('#ed-partner-message')).toContain('no-such-partner');
    expect((await panelStates(page, '#ed-partner'))['partner-figures']!.state).toBe('idle');
    await page.context().close();
  });

  it('fits a phone', async () => {
    const { page, consoleErrors } = await openDashboard('', { width: 390, height: 844 });
    expect(await loadWithKey(page, actors.dashboard)).toBe('ready');
    // Nothing wider than the screen: no sideways scrolling.
    const widths = await page.evaluate(() => {
      const d = (globalThis as any).document;
      return { page: d.documentElement.scrollWidth as number, view: (globalThis as any).innerWidth as number };
    });
    expect(widths.page).toBeLessThanOrEqual(widths.view);
    const canvases = await page.$$eval('#ed-grid [data-state="ready"] .ed-chart canvas', (list) => list.map((c: any) => Number(c.getBoundingClientRect().width)));
    expect(canvases.length).toBeGreaterThanOrEqual(5);
    for (const w of canvases) expect(w).toBeLessThanOrEqual(390);
    await screenshot(page, 'dashboard-phone.png');
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  });
});
