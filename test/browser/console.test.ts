// The operator console in a real browser (Debian's chromium driven by playwright-core), against a
// test server on the seeded data, served by the server's own app (so the /console mount is tested
// too). The onboarding flow end to end (candidate -> partner -> agreement -> key -> the key works
// against /graphql and in GraphiQL), revocation, refused keys, errors with their codes, the
// ledger's CSV, consent withdrawal; screenshots at desktop and phone widths.
import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActors, type Actors } from '../setup/actors';
import { HAS_CHROMIUM, launchChromium, screenshotPath, warnWithoutChromium } from '../setup/browser';
import { startTestServer, type TestServer } from '../setup/server';

const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

warnWithoutChromium('test/browser/console.test.ts');

describe.skipIf(!HAS_CHROMIUM)('operator console in chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let actors: Actors;
  /** Filled by the onboarding test, used by the ones after it. */
  const flow = { partnerId: '', secret: '', keyId: '' };

  beforeAll(async () => {
    server = await startTestServer();
    actors = await createActors(server.pool);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  interface Watched {
    context: BrowserContext;
    page: Page;
    errors: string[];
    outside: string[];
  }

  async function open(viewport = DESKTOP, hash = ''): Promise<Watched> {
    const context = await browser.newContext({ viewport, reducedMotion: 'reduce', acceptDownloads: true });
    const page = await context.newPage();
    const errors: string[] = [];
    const outside: string[] = [];
    // The browser logs refused requests (401, 409...) itself; the console shows them. Anything else is a bug.
    page.on('console', (m) => m.type() === 'error' && !/status of 4\d\d/.test(m.text()) && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('request', (r) => !r.url().startsWith(server.url) && !r.url().startsWith('data:') && !r.url().startsWith('blob:') && outside.push(r.url()));
    await page.goto(`${server.url}/console${hash}`);
    return { context, page, errors, outside };
  }

  /** Pastes a key and waits for the console's verdict (body[data-console]). */
  async function useKey(page: Page, key: string): Promise<string> {
    await page.fill('#ec-key', key);
    await page.click('#ec-key-use');
    await page.waitForFunction(() => !['idle', 'checking'].includes((globalThis as any).document.body.dataset.console ?? 'idle'), null, { timeout: 15_000 });
    return (await page.getAttribute('body', 'data-console')) ?? '';
  }

  /** Confirms the open dialog, typing a reason when it asks for one. */
  async function confirmDialog(page: Page, reason?: string): Promise<string> {
    const dialog = page.locator('[role="alertdialog"]');
    await dialog.waitFor();
    const text = (await dialog.textContent()) ?? '';
    if (reason !== undefined) await page.fill('#ec-confirm-reason', reason);
    await page.click('#ec-confirm-ok');
    await dialog.waitFor({ state: 'detached' });
    return text;
  }

  it('refuses a wrong key and a dashboard key with a clear message, and opens for an operator key', async () => {
    const direct = await server.gql('{ __typename }', undefined, 'eco_not-a-real-key');
    expect(direct.status).toBe(401);
    const { page, context, errors, outside } = await open();

    expect(await useKey(page, 'eco_not-a-real-key')).toBe('auth-error');
    const wrong = await page.textContent('#ec-key-message');
    expect(wrong).toContain(`${String(direct.body.errors![0]!.extensions!.code)}: ${direct.body.errors![0]!.message}`);
    expect(wrong).toMatch(/paste an OPERATOR or ADMIN key/);
    expect(await page.isVisible('#ec-key-message')).toBe(true);
    expect(await page.locator('nav.ec-nav').count()).toBe(0);

    expect(await useKey(page, actors.dashboard)).toBe('role-error');
    expect(await page.textContent('#ec-key-message')).toBe('This is a DASHBOARD key: the console needs an OPERATOR or ADMIN key.');
    expect(await page.locator('nav.ec-nav').count()).toBe(0);

    expect(await useKey(page, actors.partnerA)).toBe('role-error');
    expect(await page.textContent('#ec-key-message')).toContain('PARTNER key');
    expect(await useKey(page, actors.analyst)).toBe('role-error');
    expect(await page.textContent('#ec-key-message')).toContain('ANALYST key');

    expect(await useKey(page, actors.operator)).toBe('ready');
    expect(await page.isVisible('#ec-key-message')).toBe(false);
    expect(await page.textContent('#ec-key-hint')).toContain('OPERATOR key');
    expect(await useKey(page, actors.admin)).toBe('ready');
    expect(await page.textContent('#ec-key-hint')).toContain('ADMIN key');
    // The key stays in this tab: sessionStorage under the console's own item, nothing else.
    const storage = await page.evaluate(() => {
      const w = globalThis as any;
      return { console: w.sessionStorage.getItem('ecograph:consoleKey'), shared: w.sessionStorage.getItem('ecograph:apiKey'), local: w.localStorage.length, cookie: w.document.cookie };
    });
    expect(storage).toEqual({ console: actors.admin, shared: null, local: 0, cookie: '' });
    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
    await context.close();
  });

  it('lists partners by lifecycle state and tier, with search', async () => {
    const { page, context, errors } = await open();
    expect(await useKey(page, actors.operator)).toBe('ready');
    const count = async () => {
      await page.waitForFunction(() => (globalThis as any).document.querySelector('.ec-count')?.dataset.count !== '' && !(globalThis as any).document.querySelector('.ec-count')?.textContent?.startsWith('Loading'));
      return Number(await page.getAttribute('.ec-count', 'data-count'));
    };
    const all = await server.gql('{ partners { totalCount } }', undefined, actors.operator);
    expect(await count()).toBe(all.body.data!.partners.totalCount);
    expect(await page.locator('#ec-partners tbody tr').count()).toBe(Math.min(50, all.body.data!.partners.totalCount));

    // At least one suspended partner, whatever the seed decided.
    const held = await server.gql(`mutation { suspendPartner(input: { id: "${actors.publicPartnerId}", reason: "console test" }) { partner { slug status } } }`, undefined, actors.operator);
    expect(held.body.data!.suspendPartner.partner.status).toBe('SUSPENDED');
    await page.selectOption('#ec-filter-status', 'SUSPENDED');
    await page.waitForFunction(() => (globalThis as any).location.hash.includes('status=SUSPENDED'));
    const suspended = await server.gql('{ partners(where: { status: { eq: SUSPENDED } }) { totalCount } }', undefined, actors.operator);
    expect(await count()).toBe(suspended.body.data!.partners.totalCount);
    const badges = await page.$$eval('#ec-partners [data-badge="status"]', (els) => els.map((e: any) => e.dataset.value));
    expect(badges.length).toBe(Math.min(50, suspended.body.data!.partners.totalCount));
    expect(new Set(badges)).toEqual(new Set(['SUSPENDED']));
    expect(await page.locator(`#ec-partners tr[data-slug="${held.body.data!.suspendPartner.partner.slug}"]`).count()).toBe(1);

    await page.selectOption('#ec-filter-status', '');
    await page.selectOption('#ec-filter-tier', 'GOLD');
    await page.waitForFunction(() => (globalThis as any).location.hash.includes('tier=GOLD') && !(globalThis as any).location.hash.includes('status='));
    const gold = await server.gql('{ partners(where: { qualityTier: { eq: GOLD } }) { totalCount nodes { id slug } } }', undefined, actors.operator);
    expect(gold.body.data!.partners.totalCount).toBeGreaterThan(0);
    expect(await count()).toBe(gold.body.data!.partners.totalCount);
    expect(new Set(await page.$$eval('#ec-partners [data-badge="tier"]', (els) => els.map((e: any) => e.dataset.value)))).toEqual(new Set(['GOLD']));

    const slug: string = gold.body.data!.partners.nodes[0].slug;
    await page.fill('#ec-search', slug);
    await page.press('#ec-search', 'Enter');
    await page.waitForFunction((s) => (globalThis as any).location.hash.includes(`q=${s}`), slug);
    expect(await count()).toBe(1);
    expect(await page.getAttribute('#ec-partners tbody tr', 'data-slug')).toBe(slug);

    // The desktop screenshot: the unfiltered list.
    await page.goto(`${server.url}/console#/partners`);
    await count();
    expect(await page.inputValue('#ec-search')).toBe('');
    const shot = screenshotPath('console.png');
    await page.screenshot({ path: shot, fullPage: false });
    expect(fs.statSync(shot).size).toBeGreaterThan(30_000);

    // A seeded GOLD partner's page: agreements, keys, tier history, evaluation, requests.
    const goldId: string = gold.body.data!.partners.nodes[0].id;
    // An open request of its own and one of another partner: the panel asks the API for its own only.
    const opened = await server.pool.query<{ id: number }>(
      `insert into service_request (service_type, city, customer_id, window_start, window_end, status, partner_id, opened_at, offered_at, offer_expires_at)
       select 'COURTESY_CAR', 'Shanghai', $3, now(), now() + interval '30 minutes', 'OFFERED', p, now(), now(), now() + interval '30 minutes'
         from unnest(array[$1::int, $2::int]) p returning id`,
      [Number(goldId), actors.partnerBId === Number(goldId) ? actors.partnerAId : actors.partnerBId, actors.sharedCustomerId],
    );
    const [ownRequest, otherRequest] = opened.rows.map((r) => String(r.id));
    const asked: { operation: string; variables: Record<string, unknown> }[] = [];
    page.on('request', (r) => {
      const body = r.url().endsWith('/graphql') ? (r.postDataJSON() as { query?: string; variables?: Record<string, unknown> } | null) : null;
      const operation = /^\s*query\s+(ConsolePartnerKeys|ConsoleOpenRequests)\b/.exec(body?.query ?? '')?.[1];
      if (operation) asked.push({ operation, variables: body!.variables ?? {} });
    });
    await page.goto(`${server.url}/console#/partners/${goldId}`);
    await page.waitForSelector(`article.ec-partner[data-partner-id="${goldId}"]`);
    await page.waitForSelector('#ec-tier-history tbody tr');
    await page.waitForSelector('#ec-evaluation');
    await page.waitForSelector(`#ec-requests tr[data-request-id="${ownRequest}"]`);
    await page.waitForLoadState('networkidle');
    expect(await page.$$eval('#ec-requests tbody tr', (rows) => rows.map((r: any) => r.dataset.requestId))).toEqual([ownRequest]);
    expect(otherRequest).toBeTruthy();
    expect(new Set(asked.map((a) => a.operation))).toEqual(new Set(['ConsolePartnerKeys', 'ConsoleOpenRequests']));
    for (const a of asked) expect(a.variables, a.operation).toMatchObject({ partnerId: goldId });
    expect(Number(await page.getAttribute('#ec-evaluation', 'data-score'))).toBeGreaterThan(0);
    const partnerShot = screenshotPath('console-partner.png');
    await page.screenshot({ path: partnerShot, fullPage: true });
    expect(fs.statSync(partnerShot).size).toBeGreaterThan(30_000);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('onboards a candidate from a gap’s ranking, signs its agreement, creates its key: the key works in /graphql and GraphiQL', async () => {
    // A screened candidate not onboarded yet, and its gap.
    const cands = await server.gql('{ candidatePartners(first: 100) { nodes { id slug capabilityGap partnerId screeningScore } } }', undefined, actors.operator);
    const candidate = (cands.body.data!.candidatePartners.nodes as { id: string; slug: string; capabilityGap: string; partnerId: string | null; screeningScore: string | null }[]).find(
      (c) => !c.partnerId && c.screeningScore !== null,
    )!;
    expect(candidate).toBeTruthy();

    const { page, context, errors, outside } = await open();
    // Every write goes to /graphql as a mutation under its own Idempotency-Key.
    const writes: { operation: string; idempotencyKey: string | undefined }[] = [];
    page.on('request', (r) => {
      const body = r.url().endsWith('/graphql') ? (r.postDataJSON() as { query?: string } | null) : null;
      const operation = /^\s*mutation\s+(\w+)/.exec(body?.query ?? '')?.[1];
      if (operation) writes.push({ operation, idempotencyKey: r.headers()['idempotency-key'] });
    });
    expect(await useKey(page, actors.operator)).toBe('ready');
    await page.click('nav.ec-nav >> text=Onboard');
    await page.click(`#ec-gaps [data-gap="${candidate.capabilityGap}"] a`);
    const row = page.locator(`#ec-ranking tr[data-candidate-id="${candidate.id}"]`);
    await row.waitFor();
    await row.locator('[data-action="onboard"]').click();
    await page.fill('#ec-onboard-form [name="nameEn"]', 'Console Test Rental');
    await page.fill('#ec-onboard-form [name="slug"]', 'console-test-rental');
    await page.click('#ec-onboard-submit');
    expect(await confirmDialog(page)).toMatch(/ACTIVE partner now/);
    await page.waitForSelector('#ec-onboarded');
    const partnerId = /#\/partners\/(\d+)\?onboarded=1$/.exec(page.url())?.[1];
    expect(partnerId).toBeTruthy();
    flow.partnerId = partnerId!;
    expect(await page.getAttribute('article.ec-partner', 'data-status')).toBe('ACTIVE');
    const onboarded = await server.gql(`{ partner(id: "${partnerId}") { slug status } candidatePartners(where: { id: { eq: "${candidate.id}" } }) { nodes { partnerId } } }`, undefined, actors.operator);
    expect(onboarded.body.data).toEqual({ partner: { slug: 'console-test-rental', status: 'ACTIVE' }, candidatePartners: { nodes: [{ partnerId }] } });

    // Sign its agreement.
    await page.click('#ec-sign-open');
    await page.fill('#ec-sign-form [name="price"]', '120.00');
    await page.fill('#ec-sign-form [name="liability"]', 'platform bears the courtesy car cost');
    await page.selectOption('#ec-sign-form [name="dataTier"]', 'ANONYMIZED');
    await page.click('#ec-sign-form button[type="submit"]');
    expect(await confirmDialog(page)).toMatch(/Sign an agreement with/);
    await page.waitForSelector('#ec-agreements tr[data-state="IN_FORCE"]');
    const agreements = await server.gql(`{ partner(id: "${partnerId}") { agreements { nodes { id price dataTier commissionRate } } } }`, undefined, actors.operator);
    const signed = agreements.body.data!.partner.agreements.nodes;
    expect(signed).toEqual([{ id: expect.any(String), price: '120.00', dataTier: 'ANONYMIZED', commissionRate: '0.0800' }]);

    // Create its key: the secret is shown once, with a copy button.
    await page.click('#ec-key-create-open');
    await page.click('#ec-key-create');
    await page.waitForSelector('#ec-secret');
    const secret = await page.inputValue('#ec-secret');
    expect(secret).toMatch(/^eco_/);
    expect(await page.isVisible('#ec-secret-copy')).toBe(true);
    expect(await page.textContent('.ec-secret')).toContain('Shown this once');
    await page.waitForSelector('#ec-keys-table tr[data-state="ACTIVE"]');
    flow.secret = secret;
    flow.keyId = (await page.getAttribute('#ec-keys-table tr[data-state="ACTIVE"]', 'data-key-id'))!;

    expect(writes.map((w) => w.operation)).toEqual(['ConsoleOnboardPartner', 'ConsoleSignAgreement', 'ConsoleCreateKey']);
    for (const w of writes) expect(w.idempotencyKey, w.operation).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(writes.map((w) => w.idempotencyKey)).size).toBe(3);

    await page.click('#ec-secret-done');
    expect(await page.locator('#ec-secret').count()).toBe(0);
    await page.reload();
    await page.waitForSelector('#ec-keys-table');
    expect(await page.content()).not.toContain(secret);

    // The new key works: it reads its own agreement.
    const own = await server.gql('{ agreements { nodes { id price } } }', undefined, secret);
    expect(own.status).toBe(200);
    expect(own.body.data!.agreements.nodes).toEqual([{ id: signed[0].id, price: '120.00' }]);

    // ...and in GraphiQL, whose key (sessionStorage 'ecograph:apiKey') it becomes.
    const graphiql = await browser.newContext({ viewport: DESKTOP });
    await graphiql.addInitScript((key) => (globalThis as any).sessionStorage.setItem('ecograph:apiKey', key), secret);
    const gPage = await graphiql.newPage();
    const answered = gPage.waitForResponse((r) => r.url().endsWith('/graphql') && r.request().headers().authorization === `Bearer ${secret}`, { timeout: 20_000 });
    await gPage.goto(`${server.url}/graphiql`);
    const response = await answered;
    expect(response.status()).toBe(200);
    const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data).toBeTruthy();
    await graphiql.close();

    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
    await context.close();
  }, 60_000);

  it('rotates a key (a new secret, shown once) and revokes one: shown as revoked, refused by /graphql', async () => {
    expect(flow.secret).toBeTruthy();
    const { page, context, errors } = await open(DESKTOP, `#/partners/${flow.partnerId}`);
    expect(await useKey(page, actors.operator)).toBe('ready');
    const first = page.locator(`#ec-keys-table tr[data-key-id="${flow.keyId}"]`);
    await first.waitFor();
    await first.locator('[data-action="rotate"]').click();
    expect(await confirmDialog(page)).toMatch(/old secret keeps working for the overlap/);
    await page.waitForSelector('#ec-secret');
    const rotated = await page.inputValue('#ec-secret');
    expect(rotated).toMatch(/^eco_/);
    expect(rotated).not.toBe(flow.secret);
    expect((await server.gql('{ agreements { totalCount } }', undefined, rotated)).status).toBe(200);
    await page.click('#ec-secret-done');
    // The new key replaces the old one: the old row now expires (the overlap), the new one is listed.
    await page.waitForFunction((id) => (globalThis as any).document.querySelectorAll('#ec-keys-table tbody tr').length === 2 && (globalThis as any).document.querySelector(`#ec-keys-table tr[data-key-id="${id}"] td[data-label="Expires"]`)?.textContent !== '–', flow.keyId);
    const newId = await page.$$eval('#ec-keys-table tbody tr', (rows, old) => rows.map((r: any) => r.dataset.keyId).find((id: string) => id !== old), flow.keyId);
    expect(await page.textContent(`#ec-keys-table tr[data-key-id="${newId}"]`)).toContain(`rotated from #${flow.keyId}`);
    flow.keyId = newId!;
    flow.secret = rotated;

    const row = page.locator(`#ec-keys-table tr[data-key-id="${flow.keyId}"]`);
    expect(await row.getAttribute('data-state')).toBe('ACTIVE');
    // Cancelling changes nothing.
    await row.locator('[data-action="revoke"]').click();
    await page.click('[role="alertdialog"] >> text=Cancel');
    expect((await server.gql('{ __typename }', undefined, flow.secret)).status).toBe(200);

    await row.locator('[data-action="revoke"]').click();
    expect(await confirmDialog(page, 'leaked in a log')).toMatch(/cannot be undone/);
    await page.waitForSelector(`#ec-keys-table tr[data-key-id="${flow.keyId}"][data-state="REVOKED"]`);
    expect(await row.locator('[data-badge="key"]').textContent()).toBe('Revoked');
    expect(await row.textContent()).toContain('leaked in a log');
    const refused = await server.gql('{ __typename }', undefined, flow.secret);
    expect(refused.status).toBe(401);
    expect(refused.body.errors![0]!.extensions!.code).toBe('KEY_REVOKED');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows a refused mutation with its code, and a version conflict with a reload', async () => {
    expect(flow.partnerId).toBeTruthy();
    const { page, context, errors } = await open(DESKTOP, `#/partners/${flow.partnerId}`);
    expect(await useKey(page, actors.operator)).toBe('ready');
    await page.waitForSelector('#ec-agreements tr[data-state="IN_FORCE"]');
    // A second agreement overlapping the one in force: INVALID_STATE.
    await page.click('#ec-sign-open');
    await page.fill('#ec-sign-form [name="price"]', '99.00');
    await page.click('#ec-sign-form button[type="submit"]');
    await confirmDialog(page);
    const error = page.locator('#ec-sign-form .ec-error');
    await error.waitFor();
    expect(await error.getAttribute('data-code')).toBe('INVALID_STATE');
    expect(await error.textContent()).toMatch(/^INVALID_STATE: /);

    await page.click('#ec-sign-form >> text=Cancel');

    // Amend the agreement in force from a later day: a new version, the old one ends the day before.
    const inForce = await page.getAttribute('#ec-agreements tr[data-state="IN_FORCE"]', 'data-agreement-id');
    const from = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    await page.click(`#ec-agreements tr[data-agreement-id="${inForce}"] [data-action="amend"]`);
    await page.fill('#ec-amend-form [name="price"]', '130.00');
    await page.fill('#ec-amend-form [name="validFrom"]', from);
    await page.click('#ec-amend-form button[type="submit"]');
    expect(await confirmDialog(page)).toMatch(/A new version with price changed starts/);
    await page.waitForSelector('#ec-agreements tr[data-state="FUTURE"]');
    expect(await page.textContent('#ec-agreements tr[data-state="FUTURE"]')).toContain(`amends #${inForce}`);
    const versions = await server.gql(`{ partner(id: "${flow.partnerId}") { agreements { nodes { id price validFrom validTo supersedesId } } } }`, undefined, actors.operator);
    const byId = new Map((versions.body.data!.partner.agreements.nodes as { id: string; price: string; validFrom: string; validTo: string | null; supersedesId: string | null }[]).map((a) => [a.id, a]));
    const amended = [...byId.values()].find((a) => a.supersedesId === inForce)!;
    expect(amended).toMatchObject({ price: '130.00', validFrom: from, validTo: null });
    expect(byId.get(inForce!)!.validTo).toBe(new Date(Date.parse(from) - 86_400_000).toISOString().slice(0, 10));

    // Someone else suspends the partner after this page read it: the page's version is stale.
    const version = Number(await page.getAttribute('article.ec-partner', 'data-version'));
    const other = await server.gql(`mutation { suspendPartner(input: { id: "${flow.partnerId}", reason: "elsewhere" }) { partner { version } } }`, undefined, actors.operator);
    expect(other.body.data!.suspendPartner.partner.version).toBeGreaterThan(version);
    await page.click('#ec-suspend');
    await confirmDialog(page, 'complaint under review');
    const conflict = page.locator('#ec-main .ec-error[data-code="CONFLICT"]');
    await conflict.waitFor();
    expect(await conflict.textContent()).toMatch(/^CONFLICT: .*This changed since you loaded it/);
    await conflict.locator('text=Reload the latest version').click();
    await page.waitForSelector('article.ec-partner[data-status="SUSPENDED"]');
    expect(await page.isVisible('#ec-reinstate')).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('downloads a partner’s access ledger as CSV', async () => {
    await server.flushLedger();
    const ledger = await server.gql(`{ accessLedger(where: { partnerId: { eq: ${Number(flow.partnerId)} } }) { totalCount } }`, undefined, actors.operator);
    const total: number = ledger.body.data!.accessLedger.totalCount;
    expect(total).toBeGreaterThan(0); // the key's requests in the onboarding test
    const { page, context, errors } = await open(DESKTOP, `#/partners/${flow.partnerId}/ledger`);
    expect(await useKey(page, actors.operator)).toBe('ready');
    await page.waitForSelector('#ec-ledger-table tbody tr');
    await page.waitForSelector('#ec-ledger-csv:not([disabled])');
    expect(Number(await page.getAttribute('.ec-count', 'data-count'))).toBe(total);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#ec-ledger-csv')]);
    expect(download.suggestedFilename()).toMatch(/^ledger-console-test-rental-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = fs.readFileSync((await download.path())!, 'utf8').replace(/^\ufeff/, '');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]!.split(',').slice(0, 4)).toEqual(['id', 'at', 'requestId', 'role']);
    expect(lines.length - 1).toBe(total);
    expect(lines.slice(1).every((l) => l.split(',')[3] === 'PARTNER')).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('withdraws a customer’s consent by the id the operator key sees', async () => {
    const found = await server.gql('{ customers(first: 1, where: { consentDataSharing: { eq: true } }) { nodes { id } } }', undefined, actors.operator);
    const id: string = found.body.data!.customers.nodes[0].id;
    const { page, context, errors } = await open(DESKTOP, '#/consent');
    expect(await useKey(page, actors.operator)).toBe('ready');
    await page.fill('#ec-customer-id', id);
    await page.click('#ec-customer-find');
    await page.waitForSelector('#ec-customer[data-consent="true"]');
    await page.click('#ec-consent-withdraw');
    expect(await confirmDialog(page)).toMatch(/Every partner stops seeing this customer/);
    await page.waitForSelector('#ec-consent-done');
    expect(await page.getAttribute('#ec-customer', 'data-consent')).toBe('false');
    const after = await server.gql(`{ customer(id: "${id}") { consentDataSharing } }`, undefined, actors.operator);
    expect(after.body.data!.customer.consentDataSharing).toBe(false);
    // An unknown id is said to be unknown.
    await page.fill('#ec-customer-id', 'c_unknown');
    await page.click('#ec-customer-find');
    await page.waitForSelector('#ec-main .ec-error');
    expect(await page.textContent('#ec-main .ec-error')).toMatch(/^[A-Z_]+: /);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('works at phone width', async () => {
    const { page, context, errors } = await open(PHONE, '#/partners');
    expect(await useKey(page, actors.operator)).toBe('ready');
    await page.waitForSelector('#ec-partners tbody tr');
    const overflow = await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth - (globalThis as any).innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // Rows become cards: the header row is hidden and each cell names its column.
    expect(await page.isVisible('#ec-partners thead')).toBe(false);
    const shot = screenshotPath('console-phone.png');
    await page.screenshot({ path: shot, fullPage: false });
    expect(fs.statSync(shot).size).toBeGreaterThan(20_000);
    await page.goto(`${server.url}/console#/partners/${flow.partnerId || '1'}`);
    await page.waitForSelector('#ec-keys');
    expect(await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth - (globalThis as any).innerWidth)).toBeLessThanOrEqual(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
