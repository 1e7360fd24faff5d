// The ledger's group commit: a lone entry is inserted at once (no timer), and entries arriving
// while inserts run wait for a free slot and then share one insert. Real PostgreSQL; the pool
// is only wrapped so the test can hold an insert open and count them.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTRY_PARAMETERS, LedgerWriter, type LedgerEntry } from '../../src/ledger/ledger-writer';
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
    sizes.push(config.values!.length / ENTRY_PARAMETERS);
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

  it('writes every column as given, in groups past the prepared sizes too', async () => {
    const run = `cols-${Date.now()}`;
    const writer = new LedgerWriter(pool, log, { groupCommitMs: 0, batchSize: 500 });
    const at = new Date('2026-12-04T10:11:12.345Z');
    const odd = ['Customer.city', 'a "quoted", {braced} \\ name', 'NULL', ''];
    const entries: LedgerEntry[] = Array.from({ length: 45 }, (_, i) => ({
      ...entry(`${run}-${i}`),
      at,
      keyId: i % 2 === 0 ? null : 7,
      partnerId: i % 3 === 0 ? null : 3,
      operationName: i % 2 === 0 ? null : `Op'${i}`,
      operationId: i === 4 ? 'sha256:abc' : null,
      publicFields: odd,
      anonymizedFields: ['Customer.id'],
      sensitiveFields: [],
      filterFields: i === 1 ? ['Customer.birthDate'] : [],
      rowCount: i,
      durationMs: i * 2,
      errorCodes: i === 2 ? ['RATE_LIMITED', 'x,y'] : [],
    }));
    // Queued in one turn, then flushed: 45 entries in groups of whatever the slots take.
    const done = entries.map((e) => writer.record(e));
    await Promise.all(done);
    await writer.stop();
    const { rows } = await pool.query(
      `select request_id, at, role, key_id, partner_id, operation_name, operation_hash, public_fields, anonymized_fields, sensitive_fields,
              filter_fields, row_count, duration_ms, error_codes, operation_id
         from access_ledger where request_id like $1`,
      [`${run}-%`],
    );
    expect(rows).toHaveLength(45);
    const byId = new Map(rows.map((r: { request_id: string }) => [r.request_id, r]));
    for (const e of entries) {
      expect(byId.get(e.requestId)).toEqual({
        request_id: e.requestId,
        at,
        role: e.role,
        key_id: e.keyId,
        partner_id: e.partnerId,
        operation_name: e.operationName,
        operation_hash: e.operationHash,
        public_fields: e.publicFields,
        anonymized_fields: e.anonymizedFields,
        sensitive_fields: e.sensitiveFields,
        filter_fields: e.filterFields,
        row_count: e.rowCount,
        duration_ms: e.durationMs,
        error_codes: e.errorCodes,
        operation_id: e.operationId,
      });
    }
  });

  it('inserts one group of more entries than the prepared sizes in one statement', async () => {
    const run = `big-${Date.now()}`;
    const gated = gatedPool(2);
    const writer = new LedgerWriter(gated.pool, log, { groupCommitMs: 0, batchSize: 500 });
    const done = [writer.record(entry(`${run}-a`))];
    await tick();
    done.push(writer.record(entry(`${run}-b`)));
    await tick();
    for (let i = 0; i < 40; i++) done.push(writer.record(entry(`${run}-c${i}`)));
    await tick();
    gated.release();
    await Promise.all(done);
    expect(gated.sizes).toEqual([1, 1, 40]);
    const { rows } = await pool.query<{ n: number }>('select count(*)::int as n from access_ledger where request_id like $1', [`${run}-%`]);
    expect(rows[0]!.n).toBe(42);
    await writer.stop();
  });
});
