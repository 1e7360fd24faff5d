// The kill schedule: after a few seconds of normal traffic, one of
//   server   — SIGKILL the server, start it again at once (its restart is the outage);
//   database — crash PostgreSQL (immediate shutdown), keep it down 0.5-3 s, start it: the server
//              stays up, answers 503 meanwhile, and its pool must find the database again;
//   both     — both at the same moment; the database comes back first, then the server.
// Drawn from a seeded generator, so a --seed replays the same schedule. A server that died by
// itself is started again at once (and counted by CrashServer).
import type { CrashDatabase } from './crash-database';
import type { CrashServer } from './crash-server';
import { sleep } from './processes';

export type Fault = 'server' | 'database' | 'both';

export interface ChaosEvent {
  /** Seconds since the load began. */
  at: number;
  fault: Fault;
  /** From the kill to the server answering /readyz again (both up). */
  outageMs: number;
}

export interface ChaosCounts {
  serverKills: number;
  databaseCrashes: number;
  both: number;
  serverRestarts: number;
  databaseRestarts: number;
  events: ChaosEvent[];
}

export function newCounts(): ChaosCounts {
  return { serverKills: 0, databaseCrashes: 0, both: 0, serverRestarts: 0, databaseRestarts: 0, events: [] };
}

export interface ChaosOptions {
  db: CrashDatabase;
  server: CrashServer;
  random: () => number;
  startedAt: number;
  until: number;
  counts: ChaosCounts;
  log: (l: string) => void;
}

const between = (random: () => number, lo: number, hi: number) => Math.round(lo + random() * (hi - lo));

function pick(random: () => number, crashable: boolean): Fault {
  if (!crashable) return 'server';
  const x = random();
  return x < 0.4 ? 'server' : x < 0.75 ? 'database' : 'both';
}

/** Everything up again: the database first (the server cannot start without it). */
export async function bringUp(o: Pick<ChaosOptions, 'db' | 'server' | 'counts'>): Promise<void> {
  if (!o.db.isUp()) {
    await o.db.start();
    o.counts.databaseRestarts++;
  }
  if (!o.server.isRunning()) {
    await o.server.start();
    o.counts.serverRestarts++;
  }
}

async function inject(o: ChaosOptions, fault: Fault, downMs: number): Promise<void> {
  if (fault === 'server') {
    o.counts.serverKills++;
    await o.server.kill();
  } else if (fault === 'database') {
    o.counts.databaseCrashes++;
    await o.db.crash();
  } else {
    o.counts.both++;
    await Promise.all([o.server.kill(), o.db.crash()]);
  }
  await sleep(downMs);
  await bringUp(o);
  // After a database crash the same server process must find the database again by itself.
  if (!(await o.server.waitReady(30_000))) o.log('  the server is not ready 30 s after the database came back');
}

/** Runs faults until `until`; returns with everything up. */
export async function runChaos(o: ChaosOptions): Promise<void> {
  while (Date.now() < o.until) {
    // Normal traffic between faults; a server that died by itself comes back meanwhile.
    const quietUntil = Math.min(o.until, Date.now() + between(o.random, 2_000, 7_000));
    while (Date.now() < quietUntil) {
      if (!o.server.isRunning()) await bringUp(o);
      await sleep(100);
    }
    if (Date.now() >= o.until) break;
    const fault = pick(o.random, o.db.crashable);
    const downMs = fault === 'server' ? between(o.random, 0, 1_000) : between(o.random, 500, 3_000);
    const t0 = Date.now();
    o.log(`${fault === 'server' ? 'SIGKILL the server' : fault === 'database' ? 'crash PostgreSQL (immediate)' : 'SIGKILL the server and crash PostgreSQL'}, down ${downMs} ms`);
    await inject(o, fault, downMs);
    const outageMs = Date.now() - t0;
    o.counts.events.push({ at: Math.round((t0 - o.startedAt) / 100) / 10, fault, outageMs });
    o.log(`  back after ${outageMs} ms`);
  }
  await bringUp(o);
}
