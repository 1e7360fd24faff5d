// The write load of the pullwrites scenario: an open-loop, fixed-rate generator of dispatch
// cycles against Ecograph. Every 1/rate seconds one cycle starts, whatever the earlier ones do
// (a closed loop would slow down with the server and hide what the writes cost): the operator
// opens a request (allocation, offer timer job), the offered partner accepts it (an order), then
// reports COMPLETED (the month is settled). In-flight cycles are bounded: a tick that finds the
// bound reached is counted as skipped, not queued.
import { randomBytes } from 'node:crypto';
import { sleep } from './processes';
import { ACCEPT, COMPLETE, gql, OPEN, openInput, type City } from './dispatch-city';

export interface WriteCounts {
  /** Cycles that ended in this stretch: all three mutations answered without errors. */
  completed: number;
  failed: number;
  /** Ticks that found `maxInFlight` cycles running. */
  skipped: number;
  seconds: number;
}

export interface WriteLoadSummary extends WriteCounts {
  /** Cycles started per second, as asked. */
  rate: number;
  maxInFlight: number;
  /** Cycles still running when stop() gave up waiting. */
  unfinished: number;
  /** The first few failures. */
  errors: string[];
}

export interface WriteLoad {
  /** Counts since the previous mark (or the start). */
  mark(): WriteCounts;
  /** No more cycles; waits (bounded) for those in flight; the totals from the start. */
  stop(): Promise<WriteLoadSummary>;
}

export function startWriteLoad(opts: { port: number; city: City; operatorKey: string; rate: number; maxInFlight?: number; stopWaitMs?: number }): WriteLoad {
  const { port, city, operatorKey, rate } = opts;
  const maxInFlight = opts.maxInFlight ?? 32;
  // Idempotency-Key (src/writes/mutation.plugin.ts): one per mutation, unique across runs.
  const tag = `bench-${randomBytes(6).toString('hex')}`;
  const interval = 1000 / rate;
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  const total = { completed: 0, failed: 0, skipped: 0 };
  let marked = { ...total, at: started };
  const errors: string[] = [];
  let ticks = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const send = async (key: string, query: string, variables: Record<string, unknown>, what: string, n: number) => {
    const d = await gql(port, key, query, variables, { headers: { 'idempotency-key': `${tag}-${n}-${what}` }, timeoutMs: 30_000 });
    if (d.errors || !d.data) throw new Error(`${what}: ${JSON.stringify(d).slice(0, 300)}`);
    return d.data;
  };
  const cycle = async (n: number) => {
    const opened = (await send(operatorKey, OPEN, openInput(city, n), 'open', n)).openServiceRequest?.serviceRequest;
    const key = opened?.partner ? city.keys.get(opened.partner.slug) : undefined;
    if (!key) throw new Error(`open: offered to no partner of the city: ${JSON.stringify(opened)}`);
    await send(key, ACCEPT, { id: opened.id }, 'accept', n);
    await send(key, COMPLETE, { id: opened.id }, 'complete', n);
  };
  const launch = (n: number) => {
    if (inFlight.size >= maxInFlight) {
      total.skipped++;
      return;
    }
    const p: Promise<void> = cycle(n).then(
      () => void total.completed++,
      (err: unknown) => {
        total.failed++;
        if (errors.length < 5) errors.push(err instanceof Error ? err.message : String(err));
      },
    );
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };
  // Ticks on an absolute schedule (start + k/rate): a late timer starts the overdue cycles at once.
  const tick = () => {
    while (!stopped && started + ticks * interval <= performance.now()) launch(ticks++);
    if (!stopped) timer = setTimeout(tick, Math.max(0, started + ticks * interval - performance.now()));
  };
  tick();

  const since = (from: typeof marked): WriteCounts => ({
    completed: total.completed - from.completed,
    failed: total.failed - from.failed,
    skipped: total.skipped - from.skipped,
    seconds: (performance.now() - from.at) / 1000,
  });
  return {
    mark() {
      const out = since(marked);
      marked = { ...total, at: performance.now() };
      return out;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      const seconds = (performance.now() - started) / 1000;
      await Promise.race([Promise.allSettled([...inFlight]), sleep(opts.stopWaitMs ?? 30_000)]);
      return { ...since({ completed: 0, failed: 0, skipped: 0, at: started }), seconds, rate, maxInFlight, unfinished: inFlight.size, errors };
    },
  };
}
