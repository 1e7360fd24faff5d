// Exports: GET /export/<list>.csv|.ndjson and the CLI's runExport, against a test server. The
// router is mounted on a small express app whose loopback requests go to the test server's
// /graphql, so every page passes through the ordinary API (tiers, row scopes, ledger).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough, Writable } from 'node:stream';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticator } from '../../src/auth/authenticate';
import { runExport } from '../../src/cli/export';
import { exportRows, type Execute } from '../../src/exports/export.service';
import { exportRouter } from '../../src/exports/export.router';
import { csvField, csvLine, writeAll } from '../../src/exports/format';
import { fullSchema } from '../../src/graphql/schema';
import { tierInfoOf } from '../../src/permissions/tier-field';
import { Tier } from '../../src/permissions/tier';
import { createActors, type Actors } from '../setup/actors';
import { TEST_ADMIN_KEY, TEST_ORDERS } from '../setup/constants';
import { startTestServer, type TestServer } from '../setup/server';

let server: TestServer;
let actors: Actors;
let front: http.Server;
let base: string;
let loopbackRequests = 0;
/** Small pages here, so that every partner's export spans several of them (the default is 100). */
const PAGE = 25;

/** RFC 4180: quoted fields may hold commas, CRLF and doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || row.length > 0) throw new Error('the CSV does not end with CRLF');
  return rows;
}

function sensitiveFieldNames(...typeNames: string[]): Set<string> {
  const names = new Set<string>();
  for (const t of typeNames) {
    const type = fullSchema().getType(t) as { getFields(): Record<string, { name: string; extensions: Record<string, unknown> }> };
    for (const f of Object.values(type.getFields())) if (tierInfoOf(f.extensions)?.tier === Tier.SENSITIVE) names.add(f.name);
  }
  return names;
}

async function get(path: string, key: string | null = TEST_ADMIN_KEY) {
  const res = await fetch(`${base}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

beforeAll(async () => {
  server = await startTestServer();
  actors = await createActors(server.pool);
  const app = express();
  const counting: typeof fetch = (input, init) => {
    loopbackRequests += 1;
    return fetch(input, init);
  };
  app.use(exportRouter({ authenticator: new Authenticator(server.pool, server.config.adminKey), selfUrl: () => server.url, fetch: counting, pageSize: PAGE }));
  front = http.createServer(app);
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => (front ? front.close(() => resolve()) : resolve()));
});

describe('GET /export/<list>.csv', () => {
  it('exports exactly the orders a partner may see, with pseudonymous customer ids and no SENSITIVE column', async () => {
    const total = (await server.gql('{ serviceOrders { totalCount } }', undefined, actors.partnerA)).body.data!.serviceOrders.totalCount as number;
    expect(total).toBeGreaterThan(2 * PAGE); // several pages

    const res = await get('/export/serviceOrders.csv', actors.partnerA);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="serviceOrders.csv"');
    const [header, ...rows] = parseCsv(res.text);
    expect(rows).toHaveLength(total);
    expect(header).toEqual(expect.arrayContaining(['id', 'serviceType', 'status', 'amount', 'createdAt', 'customerId', 'partnerId']));
    const sensitive = sensitiveFieldNames('ServiceOrder', 'Customer');
    expect(sensitive.size).toBeGreaterThan(0);
    for (const column of header!) {
      expect(sensitive.has(column), column).toBe(false);
      for (const s of sensitive) expect(column.toLowerCase()).not.toContain(s.toLowerCase());
    }
    for (const row of rows) expect(row).toHaveLength(header!.length);
    const col = (name: string) => header!.indexOf(name);

    // Only its own orders, each once.
    const ids = rows.map((r) => r[col('id')]!);
    expect(new Set(ids).size).toBe(total);
    expect(new Set(rows.map((r) => r[col('partnerId')]))).toEqual(new Set([String(actors.partnerAId)]));

    // Customer ids are the partner's pseudonyms: what the API shows this key, never the stored id.
    const stored = await server.pool.query<{ id: string; customer_id: string }>('select id::text, customer_id::text from service_order where partner_id = $1', [actors.partnerAId]);
    const rawCustomer = new Map(stored.rows.map((r) => [r.id, r.customer_id]));
    const page = await server.gql('{ serviceOrders(first: 50) { nodes { id customer { id } } } }', undefined, actors.partnerA);
    const apiCustomer = new Map((page.body.data!.serviceOrders.nodes as { id: string; customer: { id: string } | null }[]).map((n) => [n.id, n.customer?.id ?? '']));
    let compared = 0;
    for (const r of rows) {
      const id = r[col('id')]!;
      const customer = r[col('customerId')]!;
      expect(customer).not.toBe('');
      expect(customer).not.toBe(rawCustomer.get(id));
      if (apiCustomer.has(id)) {
        expect(customer).toBe(apiCustomer.get(id));
        compared++;
      }
    }
    expect(compared).toBe(50);
  });

  it('exports the same rows as NDJSON, one JSON object per line, lists as arrays', async () => {
    const csv = parseCsv((await get('/export/serviceOrders.csv', actors.partnerA)).text);
    const res = await get('/export/serviceOrders.ndjson', actors.partnerA);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    expect(res.text.endsWith('\n')).toBe(true);
    const lines = res.text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(csv.length - 1);
    expect(Object.keys(lines[0]!)).toEqual(csv[0]);
    expect(lines.map((l) => l.id)).toEqual(csv.slice(1).map((r) => r[0]));

    const partners = await get('/export/partners.ndjson', actors.partnerA);
    const first = JSON.parse(partners.text.split('\n')[0]!) as { serviceTypes: unknown; cities: unknown };
    expect(Array.isArray(first.serviceTypes)).toBe(true);
  });

  it('applies a where filter and records every page in the access ledger', async () => {
    const where = { status: { eq: 'FULFILLED' } };
    const total = (await server.gql('query ($w: ServiceOrderWhere) { serviceOrders(where: $w) { totalCount } }', { w: where }, actors.partnerB)).body.data!
      .serviceOrders.totalCount as number;
    const before = loopbackRequests;
    const res = await get(`/export/serviceOrders.csv?where=${encodeURIComponent(JSON.stringify(where))}`, actors.partnerB);
    expect(res.status).toBe(200);
    const [header, ...rows] = parseCsv(res.text);
    expect(rows).toHaveLength(total);
    expect(new Set(rows.map((r) => r[header!.indexOf('status')]))).toEqual(new Set(['FULFILLED']));
    const pages = loopbackRequests - before;
    expect(total).toBeGreaterThan(PAGE);
    expect(pages).toBe(Math.ceil(total / PAGE));

    // One ledger entry per page, under the partner's key, with the rows it received.
    await server.flushLedger();
    const ledger = await server.pool.query<{ n: number; rows: number; fields: string[] }>(
      `select count(*)::int n, sum(row_count)::int "rows", array_agg(distinct f) fields
         from access_ledger, unnest(public_fields || anonymized_fields || sensitive_fields) f
        where partner_id = $1 and operation_name = 'Export'`,
      [actors.partnerBId],
    );
    const entries = await server.pool.query<{ n: number; rows: number }>(
      `select count(*)::int n, sum(row_count)::int "rows" from access_ledger where partner_id = $1 and operation_name = 'Export'`,
      [actors.partnerBId],
    );
    expect(entries.rows[0]!.n).toBe(pages);
    expect(entries.rows[0]!.rows).toBeGreaterThanOrEqual(total);
    expect(ledger.rows[0]!.fields).toEqual(expect.arrayContaining(['ServiceOrder.status', 'Customer.id']));
  });

  it('gives a partner with a PUBLIC agreement no customer column, and no customer list', async () => {
    const res = await get('/export/serviceOrders.csv', actors.partnerPublic);
    expect(res.status).toBe(200);
    const [header] = parseCsv(res.text);
    expect(header).not.toContain('customerId');
    const customers = await get('/export/customers.csv', actors.partnerPublic);
    expect(customers.status).toBe(404);
    expect(JSON.parse(customers.text).errors[0].message).toMatch(/No list "customers" to export with this key/);
  });

  it('exports generalised customers to an analyst (age bands, no SENSITIVE column)', async () => {
    const res = await get('/export/customers.csv', actors.analyst);
    expect(res.status).toBe(200);
    const [header, ...rows] = parseCsv(res.text);
    for (const s of sensitiveFieldNames('Customer')) expect(header).not.toContain(s);
    const birth = header!.indexOf('birthDate');
    expect(birth).toBeGreaterThanOrEqual(0);
    for (const r of rows.slice(0, 50)) expect(r[birth]).toMatch(/^(\d+-\d+|\d+\+|)$/);
  });

  it('exports every order to an admin, page after page', async () => {
    const res = await get('/export/serviceOrders.ndjson');
    expect(res.status).toBe(200);
    expect(res.text.trimEnd().split('\n')).toHaveLength(TEST_ORDERS);
  });

  it('refuses like /graphql does: missing or wrong key, bad filter, unknown list', async () => {
    const none = await get('/export/serviceOrders.csv', null);
    expect(none.status).toBe(401);
    expect(JSON.parse(none.text).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const wrong = await get('/export/serviceOrders.csv', 'eco_wrong-key');
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.text).errors[0].extensions.code).toBe('INVALID_KEY');

    const badJson = await get('/export/serviceOrders.csv?where=%7Bnope');
    expect(badJson.status).toBe(400);
    expect(JSON.parse(badJson.text).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    // A filter on a field the key may not use fails validation, before any row is sent.
    const hidden = await get(`/export/customers.csv?where=${encodeURIComponent('{"phone":{"eq":"1"}}')}`, actors.analyst);
    expect(hidden.status).toBe(400);
    expect(['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED']).toContain(JSON.parse(hidden.text).errors[0].extensions.code);

    expect((await get('/export/nothing.csv')).status).toBe(404);
    expect((await get('/export/serviceOrders.xlsx')).status).toBe(404);
  });
});

describe('GET /export mounted next to /graphql', () => {
  it('calls back the server it runs in by default (the local address of the request)', async () => {
    // As in app.ts: the export router and /graphql on one server, no selfUrl given.
    const app = express();
    app.use(exportRouter({ authenticator: new Authenticator(server.pool, server.config.adminKey) }));
    app.use('/graphql', express.raw({ type: () => true }), async (req, res) => {
      const answer = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { authorization: req.header('authorization') ?? '', 'content-type': 'application/json' },
        body: req.body as Buffer,
      });
      res.status(answer.status).type('application/json').send(Buffer.from(await answer.arrayBuffer()));
    });
    const same = http.createServer(app);
    await new Promise<void>((resolve) => same.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(same.address() as AddressInfo).port}`;
      const res = await fetch(`${url}/export/settlements.csv`, { headers: { authorization: `Bearer ${actors.partnerA}` } });
      expect(res.status).toBe(200);
      const viaTest = await get('/export/settlements.csv', actors.partnerA);
      expect(await res.text()).toBe(viaTest.text);
    } finally {
      await new Promise<void>((resolve) => same.close(() => resolve()));
    }
  });
});

describe('the CLI export', () => {
  it('streams from the endpoint', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const summary = await runExport({ entity: 'serviceOrders', format: 'csv', key: actors.partnerA, url: base, out });
    expect(summary.via).toBe('endpoint');
    const direct = await get('/export/serviceOrders.csv', actors.partnerA);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(direct.text);
  });

  it('pages through /graphql itself when the server has no export endpoint', async () => {
    // A server without the router answers 404 NOT_FOUND for /export: the same rows follow.
    const noEndpoint: typeof fetch = async (input, init) => {
      const url = String(input);
      if (url.includes('/export/')) {
        return new Response(JSON.stringify({ errors: [{ message: 'No such endpoint', extensions: { code: 'NOT_FOUND' } }] }), {
          status: 404,
          headers: { 'content-type': 'application/json' },
        });
      }
      return fetch(url.replace(base, server.url), init);
    };
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const summary = await runExport({ entity: 'serviceOrders', format: 'ndjson', key: actors.partnerA, url: base, out, fetch: noEndpoint });
    expect(summary.via).toBe('graphql');
    const direct = await get('/export/serviceOrders.ndjson', actors.partnerA);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(direct.text);
    expect(summary.rows).toBe(direct.text.trimEnd().split('\n').length);
  });
});

describe('streaming in constant memory', () => {
  it('does not ask for the next page before the consumer has taken the previous one', async () => {
    // exportRows over a fake API of 50 pages; the consumer reads slowly.
    let requested = 0;
    const execute: Execute = async (_query, variables) => {
      requested++;
      const after = variables.after === null ? 0 : Number(variables.after);
      const nodes = Array.from({ length: 10 }, (_, i) => ({ id: String(after + i), name: `n${after + i}` }));
      return { data: { things: { pageInfo: { hasNextPage: after + 10 < 500, endCursor: String(after + 10) }, nodes } } };
    };
    const { buildSchema } = await import('graphql');
    const schema = buildSchema(`
      type Query { things(first: Int, after: String): ThingConnection! }
      type ThingConnection { nodes: [Thing!]! pageInfo: PageInfo! }
      type PageInfo { hasNextPage: Boolean! endCursor: String }
      type Thing { id: ID! name: String }
    `);
    let taken = 0;
    let maxAhead = 0;
    for await (const _row of exportRows(execute, 'things', undefined, { schema, pageSize: 10 })) {
      taken++;
      maxAhead = Math.max(maxAhead, requested * 10 - taken);
      await new Promise((r) => setImmediate(r));
    }
    expect(taken).toBe(500);
    expect(requested).toBe(50);
    expect(maxAhead).toBeLessThanOrEqual(20); // the page being handed out and the one prefetched
  });

  it('waits for drain when the destination is full', async () => {
    let pulled = 0;
    let written = 0;
    function* chunks() {
      for (let i = 0; i < 200; i++) {
        pulled++;
        yield 'x'.repeat(1000);
      }
    }
    let maxBuffered = 0;
    const slow = new Writable({
      highWaterMark: 4096,
      write(_chunk, _enc, done) {
        written++;
        setImmediate(done);
      },
    });
    const watch = setInterval(() => (maxBuffered = Math.max(maxBuffered, pulled - written)), 0);
    await writeAll(slow, chunks());
    clearInterval(watch);
    expect(written).toBe(200);
    expect(maxBuffered).toBeLessThanOrEqual(6);
  });
});

describe('formats', () => {
  it('quotes CSV fields as RFC 4180 asks and joins lists with ;', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(['北京', '上海'])).toBe('北京;上海');
    expect(csvField(['a,b', 'c'])).toBe('"a,b;c"');
    expect(csvField(false)).toBe('false');
    expect(csvLine(['id', 'name'])).toBe('id,name\r\n');
  });
});
