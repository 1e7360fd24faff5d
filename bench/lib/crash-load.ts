// The crash soak's clients. Readers pull pages as the partner. Writers each run one logical write
// at a time with its own Idempotency-Key and retry it with the SAME key and the same body until it
// is acknowledged, as docs/operators.md asks of a client; the key doubles as a marker in the row
// (a service point's name, a complaint's description), so a second row for one write shows.
import { attempt, served, type GqlRequest, type Journal, type LogicalWrite, type WriteKind } from './crash-client';
import type { CrashDataset } from './crash-dataset';
import { sleep } from './processes';

/** load: reads and new writes; settle: only pending writes are retried; done: everyone stops. */
export type Phase = 'load' | 'settle' | 'done';

export interface LoadOptions {
  url: string;
  run: string;
  readers: number;
  writers: number;
  thinkMs: number;
  data: CrashDataset;
  journal: Journal;
  phase: () => Phase;
}

const READS = [
  'query CrashSoakOrders { serviceOrders(first: 20) { totalCount nodes { id amount status createdAt } } }',
  'query CrashSoakPoints { servicePoints(first: 20) { nodes { id name city } } }',
];
const SERVICE_POINT = 'mutation CrashSoakPoint($i: UpsertServicePointInput!) { upsertServicePoint(input: $i) { servicePoint { id name } } }';
const COMPLAINT = 'mutation CrashSoakComplaint($i: FileComplaintInput!) { fileComplaint(input: $i) { complaint { id } } }';
/** Answers that say "not now": the same request is sent again. Anything else 4xx is the soak's own mistake. */
const RETRYABLE = new Set(['DATABASE_UNAVAILABLE', 'DATABASE_TIMEOUT', 'LEDGER_UNAVAILABLE', 'RATE_LIMITED', 'QUOTA_EXCEEDED', 'INTERNAL_SERVER_ERROR']);

async function reader(o: LoadOptions, r: number): Promise<void> {
  for (let n = 0; o.phase() === 'load'; n++) {
    const out = await attempt(o.url, { key: o.data.partnerKey, query: READS[n % READS.length]!, requestId: `cs-${o.run}-r${r}-${n}` });
    o.journal.note(out, false);
    // While the server is down a refused connection comes back at once: do not spin.
    await sleep(out.kind === 'error' ? 100 : o.thinkMs);
  }
}

function request(o: LoadOptions, kind: WriteKind, marker: string, n: number): Omit<GqlRequest, 'requestId'> {
  if (kind === 'servicePoint') {
    return {
      key: o.data.partnerKey,
      query: SERVICE_POINT,
      variables: { i: { name: marker, city: 'Wuhan', district: 'Jianghan', latitude: '30.6', longitude: '114.3', openingHours: '24h' } },
      idempotencyKey: marker,
    };
  }
  const orderId = o.data.orderIds[n % o.data.orderIds.length]!;
  return { key: o.data.operatorKey, query: COMPLAINT, variables: { i: { orderId, category: 'DELAY', description: marker } }, idempotencyKey: marker };
}

function rowIdOf(kind: WriteKind, data: Record<string, any>): number {
  const row = kind === 'servicePoint' ? data.upsertServicePoint?.servicePoint : data.fileComplaint?.complaint;
  return Number(row?.id);
}

/** One logical write, retried with its key until acknowledged, refused, or the run is over. */
async function writeOnce(o: LoadOptions, w: LogicalWrite, base: Omit<GqlRequest, 'requestId'>): Promise<void> {
  while (o.phase() !== 'done') {
    const out = await attempt(o.url, { ...base, requestId: `${w.marker}-a${w.attempts}` });
    w.attempts++;
    o.journal.note(out, true);
    if (out.kind === 'answer' && served(out)) {
      w.rowId = rowIdOf(w.kind, out.data!);
      w.acknowledgedBy = out.replayed ? 'replay' : 'first answer';
      w.settled = o.phase() === 'settle';
      return;
    }
    if (out.kind === 'answer' && out.status >= 400 && out.status < 500 && !out.codes.some((c) => RETRYABLE.has(c))) {
      w.refused = `${out.status} ${out.codes.join(',')}`;
      return;
    }
    await sleep(out.kind === 'error' ? 100 : 200);
  }
}

async function writer(o: LoadOptions, w: number): Promise<void> {
  const kind: WriteKind = w % 2 === 0 ? 'servicePoint' : 'complaint';
  for (let n = 0; o.phase() === 'load'; n++) {
    const write: LogicalWrite = { kind, marker: `cs-${o.run}-w${w}-${n}`, attempts: 0 };
    o.journal.writes.push(write);
    await writeOnce(o, write, request(o, kind, write.marker, n));
    await sleep(o.thinkMs);
  }
}

/** Runs until phase() is 'done' (readers stop at 'settle'). */
export async function runLoad(o: LoadOptions): Promise<void> {
  await Promise.all([...Array.from({ length: o.readers }, (_, r) => reader(o, r)), ...Array.from({ length: o.writers }, (_, w) => writer(o, w))]);
}
