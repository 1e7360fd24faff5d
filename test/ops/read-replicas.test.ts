// DATABASE_READ_URLS against a real streaming standby (test/setup/standby.ts: its own primary
// and standby from the embedded binaries, whatever DATABASE_URL says). Pausing the standby's
// replay makes it lag on purpose, so every claim is checked by a value that differs between
// the primary and the standby:
// - queries are served by the standby;
// - a caller that has just written reads its own write (after a bounded wait, from the
//   primary), while another caller at the same moment still reads the standby; once replay
//   resumes the writer is back on the standby;
// - the lag is a /metrics series;
// - a stopped standby costs no request: its reads go to the primary, and it is back in
//   rotation once it answers again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createKey } from '../../src/auth/keys';
import { loadConfig } from '../../src/config';
import { parseLsn } from '../../src/db/replica-lsn';
import { CallerWrites } from '../../src/db/replica-writes';
import { Role } from '../../src/permissions/tier';
import { createLogger } from '../../src/server/logger';
import { startServer, type RunningServer } from '../../src/server/start';
import { TEST_ADMIN_KEY, TEST_SECRET } from '../setup/constants';
import { startStandbyPair, type StandbyPair } from '../setup/standby';

const WAIT_MS = 200;
const RETRY_MS = 300;

let pair: StandbyPair;
let running: RunningServer;
let primary: pg.Pool;
let standby: pg.Pool;
let operator: string;
let analyst: string;
let pointId: number;

interface Answer {
  status: number;
  body: { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };
  ms: number;
}

async function gql(key: string, query: string, variables?: Record<string, unknown>): Promise<Answer> {
  const started = performance.now();
  const res = await fetch(`${running.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as Answer['body'], ms: performance.now() - started };
}

const HOURS = `query($id: ID!) { servicePoints(where: { id: { eq: $id } }) { nodes { openingHours } } }`;
const SET_HOURS = `mutation($i: UpsertServicePointInput!) { upsertServicePoint(input: $i) { servicePoint { openingHours version } } }`;

/** The point's opening hours as this caller reads them through the API. */
async function hoursVia(key: string): Promise<{ hours: string; ms: number }> {
  const a = await gql(key, HOURS, { id: String(pointId) });
  expect(a.status, JSON.stringify(a.body)).toBe(200);
  return { hours: a.body.data.servicePoints.nodes[0].openingHours as string, ms: a.ms };
}

const setDirectly = (hours: string) => primary.query('update service_point set opening_hours = $1 where id = $2', [hours, pointId]);

async function scrape(): Promise<string> {
  const res = await fetch(`${running.url}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
}

function series(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{replica="0"} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
}

async function eventually(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  pair = await startStandbyPair({ orders: 500 });
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: pair.primaryUrl,
    DATABASE_READ_URLS: pair.standbyUrl,
    READ_YOUR_WRITES_WAIT_MS: String(WAIT_MS),
    REPLICA_RETRY_MS: String(RETRY_MS),
    PORT: '0',
    HOST: '127.0.0.1',
    ECOGRAPH_ADMIN_KEY: TEST_ADMIN_KEY,
    ECOGRAPH_SECRET: TEST_SECRET,
    LOG_LEVEL: 'silent',
    SEED_ON_START: 'false',
    JOBS_ENABLED: 'false',
  });
  running = await startServer(config, createLogger(config));
  primary = new pg.Pool({ connectionString: pair.primaryUrl, max: 2 });
  standby = new pg.Pool({ connectionString: pair.standbyUrl, max: 2 });
  standby.on('error', () => undefined);
  operator = (await createKey(primary, { role: Role.OPERATOR })).key;
  analyst = (await createKey(primary, { role: Role.ANALYST })).key;
  pointId = Number((await primary.query<{ id: number }>('select min(id) as id from service_point where retired_at is null')).rows[0]!.id);
  await pair.waitForReplay();
});

afterAll(async () => {
  await running?.close();
  await primary?.end();
  await standby?.end();
  await pair?.close();
});

describe('read replicas: a real streaming standby', () => {
  it('serve the queries of GraphQL requests from the standby', async () => {
    const before = (await hoursVia(analyst)).hours;
    await pair.pauseReplay();
    try {
      await setDirectly('standby-test 06:00-07:00');
      // The primary has the new value; the API answers with the standby's.
      expect((await hoursVia(analyst)).hours).toBe(before);
      const readers = await standby.query("select count(*)::int n from pg_stat_activity where application_name = 'ecograph-read'");
      expect(readers.rows[0].n).toBeGreaterThanOrEqual(1);
    } finally {
      await pair.resumeReplay();
    }
    await pair.waitForReplay();
    expect((await hoursVia(analyst)).hours).toBe('standby-test 06:00-07:00');
  });

  it('let a caller read its own write at once, from the primary after a bounded wait, while others read the standby', async () => {
    const before = (await hoursVia(analyst)).hours;
    await pair.pauseReplay();
    try {
      const write = await gql(operator, SET_HOURS, { i: { id: String(pointId), openingHours: 'ryw 08:00-09:00' } });
      expect(write.status, JSON.stringify(write.body)).toBe(200);
      const [mine, theirs] = await Promise.all([hoursVia(operator), hoursVia(analyst)]);
      expect(mine.hours).toBe('ryw 08:00-09:00');
      // It waited for the standby (paused: it never catches up), then went to the primary.
      expect(mine.ms).toBeGreaterThanOrEqual(WAIT_MS - 5);
      expect(mine.ms).toBeLessThan(WAIT_MS + 5_000);
      expect(theirs.hours).toBe(before);
      // Every read of the writer keeps seeing its write until the standby has it.
      expect((await hoursVia(operator)).hours).toBe('ryw 08:00-09:00');
    } finally {
      await pair.resumeReplay();
    }
    await pair.waitForReplay();
    // Replayed: the writer is back on the standby. Shown by a change the standby lacks again.
    await pair.pauseReplay();
    try {
      await setDirectly('primary-only 10:00-11:00');
      expect((await hoursVia(operator)).hours).toBe('ryw 08:00-09:00');
    } finally {
      await pair.resumeReplay();
    }
    await pair.waitForReplay();
  });

  it('report the replication lag in bytes on /metrics', async () => {
    let text = await scrape();
    expect(text).toMatch(/^# TYPE ecograph_replica_lag_bytes gauge$/m);
    expect(series(text, 'ecograph_replica_up')).toBe(1);
    await pair.pauseReplay();
    try {
      for (let i = 0; i < 5; i++) await setDirectly(`lag ${i}`);
      text = await scrape();
      expect(series(text, 'ecograph_replica_lag_bytes')).toBeGreaterThan(0);
    } finally {
      await pair.resumeReplay();
    }
    await eventually('the lag back to 0', async () => series(await scrape(), 'ecograph_replica_lag_bytes') === 0);
  });

  it('fall back to the primary when the standby stops, with no failed request, and take it back once it answers', async () => {
    await setDirectly('fallback 12:00-13:00');
    await pair.waitForReplay();
    const partners = Number((await primary.query('select count(*) n from partner')).rows[0].n);
    // Connections to the standby are open and idle now: its stop breaks them under the pool.
    expect((await hoursVia(analyst)).hours).toBe('fallback 12:00-13:00');
    await pair.stopStandby();
    const burst = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        gql(i % 2 ? analyst : operator, `query($id: ID!) { partners(first: 1) { totalCount } servicePoints(where: { id: { eq: $id } }) { nodes { openingHours } } }`, {
          id: String(pointId),
        }),
      ),
    );
    for (const a of burst) {
      expect(a.status, JSON.stringify(a.body)).toBe(200);
      expect(a.body.data.partners.totalCount).toBe(partners);
      expect(a.body.data.servicePoints.nodes[0].openingHours).toBe('fallback 12:00-13:00');
    }
    let text = await scrape();
    expect(series(text, 'ecograph_replica_up')).toBe(0);
    expect(series(text, 'ecograph_replica_lag_bytes')).toBeUndefined();

    await pair.startStandby();
    await eventually('the standby back in rotation', async () => series(await scrape(), 'ecograph_replica_up') === 1);
    await pair.pauseReplay();
    try {
      await setDirectly('after restart 14:00-15:00');
      expect((await hoursVia(analyst)).hours).toBe('fallback 12:00-13:00');
    } finally {
      await pair.resumeReplay();
    }
    await pair.waitForReplay();
    text = await scrape();
    expect(series(text, 'ecograph_replica_lag_bytes')).toBeGreaterThanOrEqual(0);
  });
});

describe('read-your-writes bookkeeping', () => {
  it('keeps a bounded number of callers, forgetting the one that wrote longest ago', () => {
    const writes = new CallerWrites(2);
    writes.record('a', 1n);
    writes.record('b', 2n);
    writes.record('a', 3n); // a wrote again: b is now the oldest
    writes.record('c', 4n);
    expect(writes.size).toBe(2);
    expect(writes.pending('b')).toBeUndefined();
    expect(writes.pending('a')).toBe(3n);
    expect(writes.pending('c')).toBe(4n);
  });

  it('reads LSNs as byte positions', () => {
    expect(parseLsn('0/0')).toBe(0n);
    expect(parseLsn('16/B374D848')).toBe((0x16n << 32n) + 0xb374d848n);
    expect(parseLsn('1/0')! - parseLsn('0/FFFFFFFF')!).toBe(1n);
    expect(parseLsn(null)).toBeUndefined();
    expect(parseLsn('garbage')).toBeUndefined();
  });
});
