// Hostile and malformed requests: each gets a 4xx with a machine-readable extensions.code and a
// message that helps, never a 500 and never a stack trace.
import net from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_KEY } from '../setup/constants';
import { startTestServer, type TestServer } from '../setup/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

async function request(method: string, path: string, opts: { headers?: Record<string, string>; body?: string | Uint8Array; auth?: boolean } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...(opts.auth === false ? {} : { authorization: `Bearer ${TEST_ADMIN_KEY}` }), ...opts.headers };
  const res = await fetch(`${server.url}${path}`, { method, headers, body: opts.body, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

const postJson = (body: string | Uint8Array, headers: Record<string, string> = {}) =>
  request('POST', '/graphql', { headers: { 'content-type': 'application/json', ...headers }, body });
const postQuery = (query: string, variables?: unknown) => postJson(JSON.stringify({ query, variables }));

/** A 4xx with a JSON error that has a code and a message, and nothing that looks like a stack. */
function expectRefusal(res: Answer, status?: number, code?: string): void {
  const where = `${res.status} ${res.text.slice(0, 300)}`;
  if (status !== undefined) expect(res.status, where).toBe(status);
  expect(res.status, where).toBeGreaterThanOrEqual(400);
  expect(res.status, where).toBeLessThan(500);
  expect(res.json, where).toBeTypeOf('object');
  const errors = res.json.errors;
  expect(Array.isArray(errors) && errors.length > 0, where).toBe(true);
  for (const e of errors) {
    expect(typeof e.message === 'string' && e.message.length > 0, where).toBe(true);
    expect(e.extensions?.code, where).toMatch(/^[A-Z_]+$/);
  }
  if (code !== undefined) expect(errors[0].extensions.code, where).toBe(code);
  expectNoStack(res.text);
}

function expectNoStack(text: string): void {
  expect(text).not.toMatch(/"stack(trace)?"/i);
  expect(text).not.toMatch(/\n\s*at \S/);
  expect(text).not.toMatch(/\bat (\S+ )?\(?\/[^\s)]+:\d+:\d+\)?/);
  expect(text).not.toMatch(/node_modules|\.ts:\d+|\.js:\d+/);
}

describe('request bodies', () => {
  it('malformed JSON', async () => {
    expectRefusal(await postJson('{"query": '), 400, 'BAD_JSON');
    expectRefusal(await postJson('{"query": "{ __typename }",}'), 400, 'BAD_JSON');
    expectRefusal(await postJson('"just a string"'), 400, 'BAD_JSON');
    expectRefusal(await postJson('null'), 400, 'BAD_JSON');
  });

  it('an empty body and an empty object', async () => {
    expectRefusal(await postJson(''), 400, 'BAD_REQUEST');
    expectRefusal(await postJson('{}'), 400, 'BAD_REQUEST');
  });

  it('wrong shapes inside valid JSON', async () => {
    expectRefusal(await postJson(JSON.stringify({ query: 42 })), 400, 'BAD_REQUEST');
    expectRefusal(await postJson(JSON.stringify({ query: '{ __typename }', variables: '{"a":1}' })), 400, 'BAD_REQUEST');
    expectRefusal(await postJson(JSON.stringify({ query: '{ __typename }', variables: [1, 2] })), 400, 'BAD_REQUEST');
    expectRefusal(await postJson(JSON.stringify({ query: '{ __typename }', operationName: 7 })), 400, 'BAD_REQUEST');
    expectRefusal(await postJson(JSON.stringify([{ query: '{ __typename }' }])), 400);
    expectRefusal(await postJson(JSON.stringify({ query: 'query A { __typename } query B { __typename }' })), 400);
    expectRefusal(await postJson(JSON.stringify({ query: 'query A { __typename }', operationName: 'Nope' })), 400);
  });

  it('a text/plain POST without a preflight header is refused as CSRF', async () => {
    const res = await request('POST', '/graphql', { headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expectRefusal(res, 400, 'BAD_REQUEST');
    expect(res.json.errors[0].message).toMatch(/Cross-Site Request Forgery/);
  });

  it('form posts without a preflight header are refused as CSRF', async () => {
    const form = await request('POST', '/graphql', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'query=%7B__typename%7D',
    });
    expectRefusal(form, 400, 'BAD_REQUEST');
    expect(form.json.errors[0].message).toMatch(/CSRF/);
    const multipart = await request('POST', '/graphql', {
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      body: '--x\r\ncontent-disposition: form-data; name="query"\r\n\r\n{__typename}\r\n--x--\r\n',
    });
    expectRefusal(multipart, 400, 'BAD_REQUEST');
    const none = await request('POST', '/graphql', { body: JSON.stringify({ query: '{ __typename }' }) });
    expectRefusal(none, 400);
  });

  it('other content types get 415 with the content type to use', async () => {
    const plain = await request('POST', '/graphql', {
      headers: { 'content-type': 'text/plain', 'apollo-require-preflight': 'true' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expectRefusal(plain, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(plain.json.errors[0].message).toMatch(/application\/json/);
    expectRefusal(await request('POST', '/graphql', { headers: { 'content-type': 'application/xml' }, body: '<query/>' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectRefusal(await request('POST', '/graphql', { headers: { 'content-type': 'application/graphql' }, body: '{ __typename }' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('an unsupported charset or content encoding', async () => {
    expectRefusal(await postJson('{"query":"{ __typename }"}', { 'content-type': 'application/json; charset=latin1' }), 415, 'UNSUPPORTED_ENCODING');
    expectRefusal(await postJson('{"query":"{ __typename }"}', { 'content-encoding': 'x-unknown' }), 415, 'UNSUPPORTED_ENCODING');
    expectRefusal(await postJson(new Uint8Array([0x1f, 0x8b, 0x08, 0, 1, 2, 3, 4, 5]), { 'content-encoding': 'gzip' }), 400);
    expectRefusal(await postJson('{"query":"{ __typename }"}', { 'content-encoding': 'br' }), 400);
  });

  it('an oversized body', async () => {
    expectRefusal(await postQuery(`{ __typename } # ${'x'.repeat(1_100_000)}`), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('invalid UTF-8 bytes', async () => {
    const inString = Buffer.concat([Buffer.from('{"query":"{ __typ'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('ename }"}')]);
    expectRefusal(await postJson(inString), 400);
    const outside = Buffer.concat([Buffer.from('{'), Buffer.from([0xc0, 0xaf, 0xed, 0xa0, 0x80]), Buffer.from('"query":"{ __typename }"}')]);
    expectRefusal(await postJson(outside), 400, 'BAD_JSON');
    const inVariable = Buffer.concat([Buffer.from('{"query":"query($s: String!) { collaborationCase(slug: $s) { slug } }","variables":{"s":"'), Buffer.from([0xff, 0x80]), Buffer.from('"}}')]);
    const res = await postJson(inVariable);
    expect(res.status).toBe(200);
    expect(res.json.data.collaborationCase).toBeNull();
  });

  it('deeply nested JSON', async () => {
    // A compiled answer first, so that the early answers (src/server/early) have plans to look in.
    expect((await postQuery('{ partners(first: 1) { nodes { slug } } }')).status).toBe(200);
    for (const query of ['{ __typename }', '{ partners(first: 1) { nodes { slug } } }']) {
      const deep = `{"query":${JSON.stringify(query)},"variables":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`;
      const res = await postJson(deep);
      expect(res.status, res.text.slice(0, 200)).toBeLessThan(500);
      expectNoStack(res.text);
    }
  });
});

describe('documents', () => {
  it('deeply nested selections', async () => {
    expectRefusal(await postQuery(`{ partners { nodes { ${'orders { nodes { partner { '.repeat(10)}slug${' } } }'.repeat(10)} } } }`), 400, 'QUERY_TOO_DEEP');
    // Far past the parser's own nesting: no stack overflow, a parse or validation error.
    const n = 5_000;
    expectRefusal(await postQuery(`${'{ a '.repeat(n)}${'}'.repeat(n)}`), 400);
    expectRefusal(await postQuery(`{ partners(where: ${'{ and: ['.repeat(2_000)}{}${'] }'.repeat(2_000)}) { totalCount } }`), 400);
  });

  it('circular fragments', async () => {
    const res = await postQuery('{ partners { nodes { ...A } } } fragment A on Partner { slug ...B } fragment B on Partner { name ...A }');
    expectRefusal(res, 400, 'GRAPHQL_VALIDATION_FAILED');
    expect(res.json.errors.some((e: any) => /Cannot spread fragment/.test(e.message))).toBe(true);
    expectRefusal(await postQuery('{ ...Q } fragment Q on Query { ...Q }'), 400, 'GRAPHQL_VALIDATION_FAILED');
  });

  it('alias and directive floods', async () => {
    expectRefusal(await postQuery(`{ ${Array.from({ length: 5_000 }, (_, i) => `a${i}: __typename`).join(' ')} }`), 400, 'TOO_MANY_ALIASES');
    expectRefusal(await postQuery(`{ __typename ${'@skip(if: false) '.repeat(5_000)}}`), 400, 'GRAPHQL_VALIDATION_FAILED');
    expectRefusal(await postQuery(`{ __typename ${'@nope '.repeat(5_000)}}`), 400, 'GRAPHQL_VALIDATION_FAILED');
    const fields = await postQuery(`{ ${'__typename '.repeat(50_000)}}`);
    expect(fields.status).toBeLessThan(500);
    expectNoStack(fields.text);
  });

  it('fragments that multiply', async () => {
    const frags = Array.from({ length: 40 }, (_, i) => (i === 39 ? `fragment F${i} on Partner { slug }` : `fragment F${i} on Partner { ...F${i + 1} ...F${i + 1} }`));
    expectRefusal(await postQuery(`{ partners { nodes { ...F0 } } } ${frags.join(' ')}`), 400);
  });

  it('a huge variables object', async () => {
    // Within the body limit: undeclared variables are ignored.
    const many = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`v${i}`, i]));
    const res = await postQuery('{ __typename }', many);
    expect(res.status).toBe(200);
    // Past it: 413.
    const huge = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`variable${i}`, 'x'.repeat(10)]));
    expectRefusal(await postQuery('{ __typename }', huge), 413, 'PAYLOAD_TOO_LARGE');
    // A declared list variable with a huge list.
    const list = await postQuery('query($s: [PartnerStatus!]) { partners(where: { status: { in: $s } }) { totalCount } }', { s: Array(50_000).fill('ACTIVE') });
    expect(list.status).toBeLessThan(500);
    expectNoStack(list.text);
  });

  it('bad cursors', async () => {
    for (const after of ['garbage', 'bm90LWEtY3Vyc29y', 'x'.repeat(10_000), '%%%', '\u0000\u0001']) {
      expectRefusal(await postQuery('query($a: String) { partners(first: 2, after: $a) { nodes { slug } } }', { a: after }), 400, 'BAD_CURSOR');
    }
    expectRefusal(await postQuery('{ partners(after: 12) { totalCount } }'), 400, 'GRAPHQL_VALIDATION_FAILED');
  });

  it('unknown enum values and wrong types', async () => {
    const literal = await postQuery('{ partners(where: { status: { eq: NOT_A_STATUS } }) { totalCount } }');
    expectRefusal(literal, 400, 'GRAPHQL_VALIDATION_FAILED');
    expect(literal.text).not.toMatch(/Did you mean/);
    expectRefusal(await postQuery('query($s: PartnerStatus!) { partners(where: { status: { eq: $s } }) { totalCount } }', { s: 'NOT_A_STATUS' }), 400, 'BAD_USER_INPUT');
    expectRefusal(await postQuery('query($n: Int) { partners(first: $n) { totalCount } }', { n: 'ten' }), 400, 'BAD_USER_INPUT');
    expectRefusal(await postQuery('query($n: Int) { partners(first: $n) { totalCount } }', { n: 2 ** 40 }), 400, 'BAD_USER_INPUT');
    expectRefusal(await postQuery('query($n: Int) { partners(first: $n) { totalCount } }', { n: 1.5 }), 400, 'BAD_USER_INPUT');
    expectRefusal(await postQuery('{ partners(first: 99999999999999999999) { totalCount } }'), 400, 'GRAPHQL_VALIDATION_FAILED');
  });

  it('first: 1000000 and negative pages', async () => {
    expectRefusal(await postQuery('{ partners(first: 1000000) { totalCount } }'), 400, 'PAGE_SIZE_EXCEEDED');
    expectRefusal(await postQuery('{ partners(first: -1) { totalCount } }'), 400);
  });

  it('a syntax error names the problem', async () => {
    const res = await postQuery('{ partners { ');
    expectRefusal(res, 400, 'GRAPHQL_PARSE_FAILED');
    expect(res.json.errors[0].message).toMatch(/Syntax Error/);
  });
});

describe('methods and GET', () => {
  const get = (params: Record<string, string>, headers: Record<string, string> = { 'apollo-require-preflight': 'true' }) =>
    request('GET', `/graphql?${new URLSearchParams(params)}`, { headers });

  it('a GET query works with a preflight header', async () => {
    const res = await get({ query: '{ __typename }' });
    expect(res.status).toBe(200);
    expect(res.json.data.__typename).toBe('Query');
  });

  it('a GET that tries a mutation is a 4xx', async () => {
    expectRefusal(await get({ query: 'mutation { __typename }' }));
    expectRefusal(await get({ query: 'mutation M { deleteEverything }' }));
    expectRefusal(await get({ query: 'mutation { __typename }' }, {}), 400);
    expectRefusal(await get({ query: 'subscription { __typename }' }));
  });

  it('GET with broken parameters', async () => {
    expectRefusal(await get({ query: '{ __typename }', variables: '{not json' }), 400);
    expectRefusal(await get({ query: '{ __typename }', variables: '[1]' }), 400);
    expectRefusal(await get({}), 400);
    expectRefusal(await request('GET', '/graphql?query=%7B__typename%7D&query=%7B__typename%7D', { headers: { 'apollo-require-preflight': 'true' } }), 400);
    expectRefusal(await request('GET', '/graphql?query=%E0%A4%A', { headers: { 'apollo-require-preflight': 'true' } }), 400);
    expectRefusal(await get({ query: '{ __typename }' }, { 'apollo-require-preflight': 'true', 'content-type': 'text/plain' }), 415);
  });

  it('other methods get 405 with Allow', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const res = await request(method, '/graphql', { headers: { 'content-type': 'application/json' }, body: method === 'DELETE' ? undefined : '{"query":"{ __typename }"}' });
      expectRefusal(res, 405, 'METHOD_NOT_ALLOWED');
      expect(res.headers.get('allow')).toBe('GET, POST');
    }
    const options = await request('OPTIONS', '/graphql');
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('GET, POST');
  });

  it('methods and request lines Node itself refuses still get JSON', async () => {
    const raw = (text: string) =>
      new Promise<string>((resolve, reject) => {
        const url = new URL(server.url);
        const socket = net.connect(Number(url.port), url.hostname, () => socket.end(text));
        let out = '';
        socket.on('data', (d) => (out += d.toString('latin1')));
        socket.on('end', () => resolve(out));
        socket.on('error', reject);
        socket.setTimeout(5_000, () => socket.destroy(new Error('timeout')));
      });
    const brew = await raw('BREW /graphql HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(brew).toMatch(/^HTTP\/1\.1 4\d\d/);
    expect(brew).toMatch(/"code":"[A-Z_]+"/);
    const garbage = await raw('\x00\x01\x02 not http at all\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 4\d\d/);
    expect(garbage).toMatch(/"code":"[A-Z_]+"/);
    const badLine = await raw('GET /graphql HTTP/9.9 extra\r\n\r\n');
    expect(badLine).toMatch(/^HTTP\/1\.1 400/);
    expect(badLine).toMatch(/"code":"BAD_REQUEST"/);
    const bigHeader = await raw(`GET /healthz HTTP/1.1\r\nHost: x\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(bigHeader).toMatch(/^HTTP\/1\.1 431/);
  });

  it('bad paths and URL encodings', async () => {
    expectRefusal(await request('GET', '/nope'), 404, 'NOT_FOUND');
    expectRefusal(await request('POST', '/graphql/extra', { headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' }), 404, 'NOT_FOUND');
    const res = await request('GET', '/graphiql/assets/%E0%A4%A');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it('the server is healthy afterwards', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const res = await postQuery('{ partners(first: 1) { totalCount } }');
    expect(res.status).toBe(200);
  });
});
