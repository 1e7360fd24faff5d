// GraphiQL in a real browser (Debian's chromium driven by playwright-core), against a test server
// on the seeded data. The router is mounted here on a small express app that forwards /graphql
// to the test server, so the test does not depend on how app.ts wires it.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphiqlRouter } from '../../src/server/graphiql';
import { exampleOperations } from '../../src/server/graphiql-examples';
import { createActors, type Actors } from '../setup/actors';
import { HAS_CHROMIUM, launchChromium, screenshotPath, startFront, warnWithoutChromium, type Front } from '../setup/browser';
import { TEST_ADMIN_KEY } from '../setup/constants';
import { startTestServer, type TestServer } from '../setup/server';

// Screenshots: refresh them with ECOGRAPH_SCREENSHOTS=1 npx vitest run test/browser/graphiql.test.ts.
warnWithoutChromium('test/browser/graphiql.test.ts');

let server: TestServer;
let front: Front;
let base: string;
/** Authorization headers of the requests that reached /graphql, in order. */
const seenAuth: (string | undefined)[] = [];

beforeAll(async () => {
  server = await startTestServer();
  const router = graphiqlRouter({ endpoint: '/graphql', mountPath: '/graphiql', examples: exampleOperations, title: 'Ecograph GraphiQL' });
  front = await startFront(router, server.url, (req) => seenAuth.push(req.header('authorization')));
  base = front.base;
});

afterAll(async () => {
  await front?.close();
});

describe.skipIf(!HAS_CHROMIUM)('GraphiQL in chromium', { timeout: 60_000 }, () => {
  let browser: Browser;
  let actors: Actors;

  beforeAll(async () => {
    actors = await createActors(server.pool);
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

  async function openGraphiql(): Promise<Watched> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, reducedMotion: 'reduce', acceptDownloads: true });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000); // a failing step says which, well within the test's timeout
    const consoleErrors: string[] = [];
    const outside: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
    page.on('request', (r) => {
      const url = r.url();
      if (!url.startsWith(`${base}/`) && !url.startsWith('data:') && !url.startsWith('blob:')) outside.push(url);
    });
    await page.goto(`${base}/graphiql`);
    await page.waitForSelector('.graphiql-container .graphiql-query-editor .CodeMirror');
    return { page, consoleErrors, outside };
  }

  /** Pastes a key the way a user does: typed, then focus leaves the field. */
  async function pasteKey(page: Page, key: string): Promise<void> {
    await page.fill('#eg-key', key);
    await page.press('#eg-key', 'Tab');
  }

  /** The text of one of GraphiQL's CodeMirror editors. */
  function editorText(page: Page, which: 'query' | 'response'): Promise<string> {
    const selector = which === 'query' ? '.graphiql-query-editor .CodeMirror' : '.graphiql-response .CodeMirror';
    return page.$eval(selector, (el) => (el as any).CodeMirror.getValue() as string);
  }

  /** GraphiQL reads the operation's name 100 ms after an edit or a tab switch: wait until it has. */
  async function waitForTab(page: Page, title: string): Promise<void> {
    await page.waitForFunction((t) => {
      const doc = (globalThis as any).document;
      const editor = doc.querySelector('.graphiql-query-editor .CodeMirror')?.CodeMirror;
      return doc.querySelector('.graphiql-tab-active .graphiql-tab-button')?.textContent === t && (editor?.operationName ?? '<untitled>') === t;
    }, title);
  }

  async function setQuery(page: Page, query: string, title: string): Promise<void> {
    await page.$eval('.graphiql-query-editor .CodeMirror', (el, q) => (el as any).CodeMirror.setValue(q), query);
    await waitForTab(page, title);
  }

  /** Runs the active tab and returns the parsed answer. */
  async function run(page: Page): Promise<{ data?: any; errors?: { message: string }[] }> {
    // Emptied first, so that the wait below cannot return the previous answer.
    await page.$eval('.graphiql-response .CodeMirror', (el) => (el as any).CodeMirror.setValue(''));
    await page.click('.graphiql-execute-button');
    await page.waitForFunction(() => {
      const el = (globalThis as any).document.querySelector('.graphiql-response .CodeMirror');
      return Boolean(el?.CodeMirror.getValue());
    });
    return JSON.parse(await editorText(page, 'response')) as { data?: any; errors?: { message: string }[] };
  }

  /** Opens a sidebar plugin by its title, e.g. 'GraphiQL Explorer'. */
  async function openPlugin(page: Page, title: string): Promise<void> {
    await page.click(`.graphiql-sidebar button[aria-label="Show ${title}"]`);
    await page.waitForSelector(`.graphiql-sidebar button[aria-label="Hide ${title}"]`);
  }

  /** The tier badge after each visible explorer field under `scope`, by field name. */
  function explorerTiers(page: Page, scope: string): Promise<Record<string, string>> {
    return page.$$eval(`${scope} [data-field-name]`, (spans) => {
      const out: Record<string, string> = {};
      for (const span of spans as any[]) {
        const label = span.querySelector(':scope > .graphiql-explorer-field-view');
        const content = label ? (globalThis as any).getComputedStyle(label, '::after').content : 'none';
        out[span.dataset.fieldName] = content === 'none' || content === 'normal' ? '' : JSON.parse(content);
      }
      return out;
    });
  }

  it('loads without console errors or outside requests, and runs an example with a pasted key', async () => {
    const { page, consoleErrors, outside } = await openGraphiql();
    expect(await page.title()).toBe('Ecograph GraphiQL');
    // The role's examples are the tabs, the first one is active; nothing was sent without a key.
    expect(await editorText(page, 'query')).toBe(exampleOperations[0]!.query);
    expect(await page.$$eval('.graphiql-tab', (tabs) => tabs.length)).toBe(exampleOperations.length);
    expect(seenAuth).toEqual([]);
    // ... and the response pane says why (GraphiQL shows the failed schema request there).
    await page.waitForFunction(() => /No API key/.test((globalThis as any).document.querySelector('.graphiql-response .CodeMirror').CodeMirror.getValue()));

    await pasteKey(page, `Bearer ${TEST_ADMIN_KEY}`);
    // The key is hidden until asked for, and hidden again.
    expect(await page.getAttribute('#eg-key', 'type')).toBe('password');
    await page.click('#eg-key-toggle');
    expect([await page.getAttribute('#eg-key', 'type'), await page.textContent('#eg-key-toggle')]).toEqual(['text', 'Hide']);
    await page.click('#eg-key-toggle');
    expect(await page.getAttribute('#eg-key', 'type')).toBe('password');
    // Once the key's schema has arrived, the stale message is gone.
    await page.waitForFunction(() => (globalThis as any).document.querySelector('.graphiql-response .CodeMirror').CodeMirror.getValue() === '');
    const answer = await run(page);
    const expected = await server.gql(exampleOperations[0]!.query);
    expect(answer.errors).toBeUndefined();
    expect(answer.data.partners.totalCount).toBe(expected.body.data!.partners.totalCount);
    expect(answer.data.partners.nodes.map((n: { slug: string }) => n.slug)).toEqual(expected.body.data!.partners.nodes.map((n: { slug: string }) => n.slug));
    await expect.poll(() => seenAuth.length).toBeGreaterThanOrEqual(2); // the schema (for the explorer), then the query
    expect(new Set(seenAuth)).toEqual(new Set([`Bearer ${TEST_ADMIN_KEY}`]));
    expect(await page.inputValue('#eg-key')).toBe(TEST_ADMIN_KEY); // shown without "Bearer "
    expect(await page.isVisible('#eg-key-message')).toBe(false);

    // The example picker switches to an example's tab.
    const gmv = exampleOperations.findIndex((e) => e.name.startsWith('Dashboard'));
    await page.selectOption('#eg-example', String(gmv));
    expect(await editorText(page, 'query')).toBe(exampleOperations[gmv]!.query);
    expect(await page.inputValue('#eg-example')).toBe('');
    await waitForTab(page, 'GmvByCategory');

    // The key stays in this tab: sessionStorage only; GraphiQL's own state is namespaced.
    const storage = await page.evaluate(() => {
      const w = globalThis as any;
      const local: Record<string, string> = {};
      for (let i = 0; i < w.localStorage.length; i++) local[w.localStorage.key(i)] = w.localStorage.getItem(w.localStorage.key(i));
      return { session: w.sessionStorage.getItem('ecograph:apiKey'), local, cookie: w.document.cookie };
    });
    expect(storage.session).toBe(TEST_ADMIN_KEY);
    expect(storage.cookie).toBe('');
    expect(Object.keys(storage.local).length).toBeGreaterThan(0);
    for (const [key, value] of Object.entries(storage.local)) {
      expect(key).toMatch(/^ecograph:/);
      expect(value).not.toContain(TEST_ADMIN_KEY);
    }

    await page.selectOption('#eg-example', '0');
    await waitForTab(page, 'Partners');
    expect((await run(page)).errors).toBeUndefined();

    expect(consoleErrors).toEqual([]);
    expect(outside).toEqual([]);
    await page.context().close();
  });

  it('lists fields with their tier in the explorer, as the key sees them', async () => {
    const { page, consoleErrors, outside } = await openGraphiql();
    await pasteKey(page, TEST_ADMIN_KEY);
    await setQuery(page, '', '<untitled>');
    await openPlugin(page, 'GraphiQL Explorer');
    await page.click('.graphiql-explorer-root [data-field-name="customers"]');
    await page.click('.graphiql-explorer-customers [data-field-name="nodes"]');
    const admin = await explorerTiers(page, '.graphiql-explorer-customers .graphiql-explorer-nodes');
    expect(admin).toMatchObject({ name: 'SENSITIVE', phone: 'SENSITIVE', ageBand: 'ANONYMIZED', district: 'ANONYMIZED' });
    // Every field of a row type carries a tier; ticking them wrote the query.
    expect(Object.values(admin).filter((t) => !['PUBLIC', 'ANONYMIZED', 'SENSITIVE'].includes(t))).toEqual([]);
    await page.click('.graphiql-explorer-customers .graphiql-explorer-nodes [data-field-name="ageBand"]');
    expect(await editorText(page, 'query')).toMatch(/customers\s*\{\s*nodes\s*\{\s*ageBand\s*\}/);
    // The description (with its tier) is the field's tooltip too.
    expect(await page.getAttribute('.graphiql-explorer-customers .graphiql-explorer-nodes [data-field-name="streetAddress"]', 'title')).toMatch(/^\[ANONYMIZED\] /);
    // The query built by ticking runs as it is.
    for (const field of ['district', 'membershipLevel']) await page.click(`.graphiql-explorer-customers .graphiql-explorer-nodes [data-field-name="${field}"]`);
    await waitForTab(page, 'MyQuery');
    const built = await run(page);
    expect(built.errors).toBeUndefined();
    expect(Object.keys(built.data.customers.nodes[0]).sort()).toEqual(['ageBand', 'district', 'membershipLevel']);
    const shot = screenshotPath('graphiql-explorer.png');
    fs.mkdirSync(path.dirname(shot), { recursive: true });
    await page.screenshot({ path: shot });
    expect(fs.statSync(shot).size).toBeGreaterThan(30_000);

    await page.click('.graphiql-explorer-root [data-field-name="partners"]');
    await page.click('.graphiql-explorer-partners [data-field-name="nodes"]');
    expect(await explorerTiers(page, '.graphiql-explorer-partners .graphiql-explorer-nodes')).toMatchObject({ slug: 'PUBLIC', name: 'PUBLIC' });
    expect(consoleErrors).toEqual([]);
    expect(outside).toEqual([]);
    await page.context().close();

    // An analyst's schema has no SENSITIVE field at all: the explorer shows what the key may read.
    const analyst = await openGraphiql();
    await pasteKey(analyst.page, actors.analyst);
    await setQuery(analyst.page, '', '<untitled>');
    await openPlugin(analyst.page, 'GraphiQL Explorer');
    await analyst.page.click('.graphiql-explorer-root [data-field-name="customers"]');
    await analyst.page.click('.graphiql-explorer-customers [data-field-name="nodes"]');
    const seen = await explorerTiers(analyst.page, '.graphiql-explorer-customers .graphiql-explorer-nodes');
    expect(seen).toMatchObject({ ageBand: 'ANONYMIZED', district: 'ANONYMIZED' });
    expect(Object.keys(seen)).not.toContain('name');
    expect(Object.values(seen)).not.toContain('SENSITIVE');
    expect(analyst.consoleErrors).toEqual([]);
    await analyst.page.context().close();
  });

  it('shows a list answer as a table and downloads it as CSV', async () => {
    const { page, consoleErrors } = await openGraphiql();
    await pasteKey(page, TEST_ADMIN_KEY);
    await openPlugin(page, 'Result table');
    expect(await page.getAttribute('.eg-table-panel', 'data-table-state')).toBe('empty');

    const answer = await run(page); // the partner catalogue, 5 nodes
    const nodes = answer.data.partners.nodes as Record<string, unknown>[];
    expect(nodes).toHaveLength(5);
    await page.waitForSelector('.eg-table-panel[data-table-state="ready"]');
    const header = await page.$$eval('.eg-table thead th', (ths) => ths.map((th) => th.textContent));
    expect(header).toEqual(['slug', 'name', 'category', 'qualityTier', 'serviceTypes', 'cities']);
    const cells = await page.$$eval('.eg-table tbody tr', (trs) => trs.map((tr: any) => [...tr.querySelectorAll('td')].map((td: any) => td.textContent)));
    expect(cells.map((row) => row[0])).toEqual(nodes.map((n) => n.slug));
    expect(cells[0]![4]).toBe(JSON.stringify(nodes[0]!.serviceTypes));

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('.eg-table-download')]);
    expect(download.suggestedFilename()).toBe('partners.csv');
    const csv = fs.readFileSync(await download.path(), 'utf8');
    expect(csv.startsWith('\ufeff')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe('slug,name,category,qualityTier,serviceTypes,cities');
    expect(lines.slice(1).filter(Boolean)).toHaveLength(5);
    const first = nodes[0]!;
    const quoted = (v: unknown) => `"${JSON.stringify(v).replace(/"/g, '""')}"`;
    expect(lines[1]).toBe([first.slug, first.name, first.category, first.qualityTier, quoted(first.serviceTypes), quoted(first.cities)].join(','));
    const shot = screenshotPath('graphiql.png');
    fs.mkdirSync(path.dirname(shot), { recursive: true });
    await page.screenshot({ path: shot });
    expect(fs.statSync(shot).size).toBeGreaterThan(30_000);

    // A connection read through its edges, with a nested object: dotted columns.
    await setQuery(page, 'query Orders { serviceOrders(first: 3) { totalCount edges { cursor node { id amount customer { ageBand district } } } } }', 'Orders');
    const edges = await run(page);
    expect(edges.errors).toBeUndefined();
    await page.waitForFunction(() => (globalThis as any).document.querySelector('.eg-table-panel code')?.textContent === 'serviceOrders.edges.node');
    expect(await page.$$eval('.eg-table thead th', (ths) => ths.map((th) => th.textContent))).toEqual(['id', 'amount', 'customer.ageBand', 'customer.district']);
    expect(await page.$$eval('.eg-table tbody tr', (trs) => trs.length)).toBe(3);
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  });

  it('shows the server message in the key bar for a wrong key', async () => {
    const direct = await server.gql('{ __typename }', undefined, 'eco_not-a-real-key');
    expect(direct.status).toBe(401);
    const serverMessage = direct.body.errors![0]!.message;

    const { page, consoleErrors, outside } = await openGraphiql();
    await pasteKey(page, 'eco_not-a-real-key');
    await page.waitForSelector('#eg-key-message:not([hidden])');
    expect(await page.textContent('#eg-key-message')).toBe(serverMessage);
    expect(await page.getAttribute('#eg-key', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#eg-keybar', 'class')).toContain('eg-error');
    // Typing again clears it; a good key keeps it clear.
    await pasteKey(page, TEST_ADMIN_KEY);
    expect(await page.isVisible('#eg-key-message')).toBe(false);
    expect((await run(page)).errors).toBeUndefined();
    expect(await page.isVisible('#eg-key-message')).toBe(false);
    // The browser itself logs the 401 responses; nothing else may be an error.
    expect(consoleErrors.filter((e) => !/status of 401/.test(e))).toEqual([]);
    expect(outside).toEqual([]);
    await page.context().close();
  });
});
