// The ledger's group commit: a lone entry is inserted at once (no timer), and entries arriving
// while inserts run wait for a free slot and then share one insert. Real PostgreSQL; the pool
// is only wrapped so the test can hold an insert open and count them.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LedgerWriter, type LedgerEntry } from '../../src/ledger/ledger-writer';
import { Role } from '../../src/permissions/tier';
import { createLogger } from '../../src/server/logger';
import { loadConfig } from '../../src/config';
import { TEST_SECRET } from '../setup/constants';
import { useTestDatabase } from '../setup/database';

let pool: pg.Pool;
beforeAll(async () => {
  pool = new pg.Pool({ connectionString: await useTestDatabase(), max: 4 });
});
afterAll(async () => {
  await pool.end();
});

function entry(requestId: string): LedgerEntry {
  return {
    at: new Date(), requestId, role: Role.PARTNER, keyId: null, partnerId: null, operationName: 'GroupCommit', operationHash: 'x'.repeat(64),
    publicFields: [], anonymizedFields: [], sensitiveFields: [], filterFields: [], rowCount: 0, durationMs: 0, errorCodes: [],
  };
}

/** The pool, with each insert's size recorded and the first `held` inserts kept open until released. */
function gatedPool(held: number) {
  const sizes: number[] = [];
  const gates: (() => void)[] = [];
  const query = (async (config: pg.QueryConfig) => {
    sizes.push((JSON.parse(String(config.values![0])) as unknown[]).length);
    if (sizes.length <= held) await new Promise<void>((resolve) => gates.push(resolve));
    return pool.query(config);
  }) as unknown as pg.Pool['query'];
  return { pool: { query } as pg.Pool, sizes, release: () => gates.splice(0).forEach((g) => g()) };
}

const log = createLogger(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ECOGRAPH_SECRET: TEST_SECRET }));
const tick = () => new Promise((r) => setImmediate(r));

describe('ledger group commit', () => {
  it('inserts a lone entry at once, and groups what arrives while inserts run', async () => {
    const run = `gc-${Date.now()}`;
    const gated = gatedPool(2);
    const writer = new LedgerWriter(gated.pool, log, { groupCommitMs: 0, batchSize: 500 });
    const done: Promise<void>[] = [writer.record(entry(`${run}-a`))];
    await tick();
    expect(gated.sizes).toEqual([1]); // started without waiting for any window
    done.push(writer.record(entry(`${run}-b`)));
    await tick();
    expect(gated.sizes).toEqual([1, 1]); // the second slot
    for (let i = 0; i < 20; i++) done.push(writer.record(entry(`${run}-c${i}`)));
    await tick();
    expect(gated.sizes).toEqual([1, 1]); // both slots busy: the twenty wait
    gated.release();
    await Promise.all(done);
    expect(gated.sizes).toEqual([1, 1, 20]); // then share one insert
    const { rows } = await pool.query<{ n: number }>('select count(*)::int as n from access_ledger where request_id like $1', [`${run}-%`]);
    expect(rows[0]!.n).toBe(22);
    await writer.stop();
  });
});
