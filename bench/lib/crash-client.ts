// One GraphQL request of the crash soak, and the journal of everything the clients got back:
// each attempt's outcome, the request ids of the answers that carried data (each must have its
// access-ledger row), and each logical write with its Idempotency-Key and acknowledged row id.

export interface GqlRequest {
  key: string;
  query: string;
  variables?: Record<string, unknown>;
  /** The client's id for this attempt (x-request-id): the ledger row is looked up by it. */
  requestId: string;
  idempotencyKey?: string;
}

export type Outcome =
  | {
      kind: 'answer';
      status: number;
      /** The request id the response carries (the server's x-request-id header). */
      requestId: string;
      data: Record<string, any> | null;
      codes: string[];
      replayed: boolean;
    }
  | { kind: 'error'; error: string };

const TIMEOUT_MS = 20_000;

function errorName(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; name?: string } };
  if (e.name === 'TimeoutError') return 'TIMEOUT';
  return e.cause?.code ?? e.cause?.name ?? e.name ?? 'ERROR';
}

/** One attempt; never throws: a refused, reset or cut connection is an outcome like a status. */
export async function attempt(url: string, r: GqlRequest): Promise<Outcome> {
  const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${r.key}`, 'x-request-id': r.requestId };
  if (r.idempotencyKey) headers['idempotency-key'] = r.idempotencyKey;
  try {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: r.query, variables: r.variables ?? {} }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    // The body may be cut by a kill after the headers: then nothing was answered.
    const text = await res.text();
    let body: { data?: Record<string, any> | null; errors?: { extensions?: { code?: string } }[] };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      return { kind: 'error', error: `BAD_BODY_${res.status}` };
    }
    return {
      kind: 'answer',
      status: res.status,
      requestId: res.headers.get('x-request-id') ?? r.requestId,
      data: body.data ?? null,
      codes: [...new Set((body.errors ?? []).map((e) => String(e.extensions?.code ?? 'NO_CODE')))],
      replayed: res.headers.get('idempotent-replayed') === 'true',
    };
  } catch (err) {
    return { kind: 'error', error: errorName(err) };
  }
}

/** An answer that served data: it must have its ledger row. */
export function served(o: Outcome): boolean {
  return o.kind === 'answer' && o.status === 200 && o.data !== null;
}

export type WriteKind = 'servicePoint' | 'complaint';

export interface LogicalWrite {
  kind: WriteKind;
  /** Idempotency-Key and the marker stored in the row (name / description): one per logical write. */
  marker: string;
  attempts: number;
  /** The created row's id, from the answer that acknowledged the write. */
  rowId?: number;
  acknowledgedBy?: 'first answer' | 'replay';
  /** Acknowledged only after the last kill, while the run settled. */
  settled?: boolean;
  /** A 4xx the soak did not expect (a wrong request, not a fault): not retried. */
  refused?: string;
}

export class Journal {
  sent = 0;
  /** "200", "503 DATABASE_UNAVAILABLE", ... per attempt. */
  readonly statuses = new Map<string, number>();
  /** ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET, TIMEOUT, ... per attempt. */
  readonly errors = new Map<string, number>();
  readonly answeredIds: string[] = [];
  answeredReads = 0;
  answeredWrites = 0;
  replays = 0;
  readonly writes: LogicalWrite[] = [];

  note(o: Outcome, isWrite: boolean): void {
    this.sent++;
    if (o.kind === 'error') {
      this.errors.set(o.error, (this.errors.get(o.error) ?? 0) + 1);
      return;
    }
    const label = `${o.status}${o.codes.length ? ` ${o.codes.join(',')}` : ''}`;
    this.statuses.set(label, (this.statuses.get(label) ?? 0) + 1);
    if (!served(o)) return;
    this.answeredIds.push(o.requestId);
    if (!isWrite) this.answeredReads++;
    else {
      this.answeredWrites++;
      if (o.replayed) this.replays++;
    }
  }

  count(prefix: string): number {
    let n = 0;
    for (const [k, v] of this.statuses) if (k.startsWith(prefix)) n += v;
    return n;
  }

  errorCount(): number {
    let n = 0;
    for (const v of this.errors.values()) n += v;
    return n;
  }
}
