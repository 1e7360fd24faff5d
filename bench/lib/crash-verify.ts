// What the database holds once everything is back and settled, against what the clients were
// told: every answer that carried data has exactly one access-ledger row (by its request id);
// every acknowledged write is there exactly once, with the id its answer gave; no logical write
// (one Idempotency-Key, one marker) has two rows; every created row has exactly one mutation
// record in the ledger and no record names a row that is not there.
import pg from 'pg';
import type { Journal, WriteKind } from './crash-client';
import type { CrashDataset } from './crash-dataset';

export interface WriteCheck {
  logical: number;
  acknowledged: number;
  /** Acknowledged only by a retry after the last kill (the earlier attempts went unanswered). */
  acknowledgedWhileSettling: number;
  acknowledgedByReplay: number;
  unfinished: number;
  /** Unfinished writes that did commit (their answer was lost and never retried to the end). */
  unfinishedCommitted: number;
  refused: number;
  rowsFound: number;
  missing: string[];
  duplicated: string[];
  idMismatch: string[];
  rowsWithoutRecord: number[];
  recordsWithoutRow: number[];
  recordsTwice: number[];
}

export interface Verification {
  answered: number;
  answeredWithRow: number;
  unrecorded: string[];
  recordedTwice: string[];
  /** All rows of the soak's two keys (also those of answers lost to a kill: allowed). */
  ledgerRowsOfKeys: number;
  writes: Record<WriteKind, WriteCheck>;
}

const TABLES: Record<WriteKind, { table: string; marker: string; type: string; mutation: string }> = {
  servicePoint: { table: 'service_point', marker: 'name', type: 'ServicePoint', mutation: 'upsertServicePoint' },
  complaint: { table: 'complaint', marker: 'description', type: 'Complaint', mutation: 'fileComplaint' },
};

async function checkWrites(pool: pg.Pool, journal: Journal, kind: WriteKind, run: string, keyIds: number[]): Promise<WriteCheck> {
  const t = TABLES[kind];
  const writes = journal.writes.filter((w) => w.kind === kind);
  const rows = await pool.query<{ marker: string; ids: number[] }>(
    `select ${t.marker} as marker, array_agg(id order by id) as ids from ${t.table} where ${t.marker} like $1 group by 1`,
    [`cs-${run}-%`],
  );
  const byMarker = new Map(rows.rows.map((r) => [r.marker, r.ids.map(Number)]));
  const records = await pool.query<{ id: number; n: number }>(
    `select (c->>'id')::int as id, count(*)::int as n from access_ledger l, jsonb_array_elements(l.changes) c
      where l.key_id = any($1) and l.mutation = $2 and c->>'type' = $3 and c->>'op' = 'CREATE' group by 1`,
    [keyIds, t.mutation, t.type],
  );
  const recordsById = new Map(records.rows.map((r) => [Number(r.id), r.n]));
  const allIds = new Set([...byMarker.values()].flat());
  const acked = writes.filter((w) => w.rowId !== undefined);
  const unfinished = writes.filter((w) => w.rowId === undefined && !w.refused);
  return {
    logical: writes.length,
    acknowledged: acked.length,
    acknowledgedWhileSettling: acked.filter((w) => w.settled).length,
    acknowledgedByReplay: acked.filter((w) => w.acknowledgedBy === 'replay').length,
    unfinished: unfinished.length,
    unfinishedCommitted: unfinished.filter((w) => byMarker.has(w.marker)).length,
    refused: writes.filter((w) => w.refused).length,
    rowsFound: acked.filter((w) => byMarker.has(w.marker)).length,
    missing: acked.filter((w) => !byMarker.has(w.marker)).map((w) => w.marker),
    duplicated: [...byMarker].filter(([, ids]) => ids.length > 1).map(([m, ids]) => `${m} (rows ${ids.join(', ')})`),
    idMismatch: acked.filter((w) => byMarker.has(w.marker) && !byMarker.get(w.marker)!.includes(w.rowId!)).map((w) => `${w.marker} (answer ${w.rowId}, row ${byMarker.get(w.marker)!.join(', ')})`),
    rowsWithoutRecord: [...allIds].filter((id) => !recordsById.has(id)),
    recordsWithoutRow: [...recordsById.keys()].filter((id) => !allIds.has(id)),
    recordsTwice: [...recordsById].filter(([, n]) => n > 1).map(([id]) => id),
  };
}

export async function verify(url: string, journal: Journal, data: CrashDataset, run: string): Promise<Verification> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    const keyIds = [data.partnerKeyId, data.operatorKeyId];
    const ids = journal.answeredIds;
    const found = await pool.query<{ request_id: string; n: number }>(
      'select request_id, count(*)::int as n from access_ledger where request_id = any($1::text[]) group by 1',
      [ids],
    );
    const rowsById = new Map(found.rows.map((r) => [r.request_id, r.n]));
    const total = await pool.query<{ n: number }>('select count(*)::int as n from access_ledger where key_id = any($1)', [keyIds]);
    return {
      answered: ids.length,
      answeredWithRow: ids.filter((id) => rowsById.has(id)).length,
      unrecorded: ids.filter((id) => !rowsById.has(id)),
      recordedTwice: [...rowsById].filter(([, n]) => n > 1).map(([id]) => id),
      ledgerRowsOfKeys: total.rows[0]!.n,
      writes: {
        servicePoint: await checkWrites(pool, journal, 'servicePoint', run, keyIds),
        complaint: await checkWrites(pool, journal, 'complaint', run, keyIds),
      },
    };
  } finally {
    await pool.end();
  }
}

/** True when nothing acknowledged was lost or doubled and every answer was recorded. */
export function passed(v: Verification): boolean {
  return (
    v.unrecorded.length === 0 &&
    v.recordedTwice.length === 0 &&
    Object.values(v.writes).every(
      (w) => w.missing.length === 0 && w.duplicated.length === 0 && w.idMismatch.length === 0 && w.rowsWithoutRecord.length === 0 && w.recordsWithoutRow.length === 0 && w.recordsTwice.length === 0,
    )
  );
}
