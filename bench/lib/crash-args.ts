// Flags of `npm run soak -- --crash [flags]`, checked before anything starts.

export interface CrashOptions {
  /** How long the load and the kills run; setup and the final settling come on top. */
  seconds: number;
  readers: number;
  /** Writers alternate: a partner adding service points, an operator filing complaints. */
  writers: number;
  /** Seeds the kill schedule (the timing of requests is not reproducible, the schedule is). */
  seed: number;
  /** Pause of each client between two requests: keeps a 2-core machine usable. */
  thinkMs: number;
  /** After the last kill: how long writers may keep retrying their pending write. */
  settleSeconds: number;
  orders: number;
  /** 0: a free port. */
  port: number;
  pgPort: number;
  /** Keep the database folder (and the scratch database) even when the run passes. */
  keep: boolean;
}

export const CRASH_USAGE = `Usage: npm run soak -- --crash [flags]

  --seconds N        load and kills for N seconds (default 120)
  --readers N        partner read clients (default 3)
  --writers N        write clients, partner service points and operator complaints in turn (default 3)
  --seed N           seed of the kill schedule (default: random, printed)
  --think-ms N       pause of each client between requests (default 20)
  --settle-seconds N time the writers get after the last kill to finish their pending write (default 30)
  --orders N         synthetic orders seeded (default 2000)
  --port N, --pg-port N   fixed ports (default: free ones)
  --keep             keep the database folder / scratch database afterwards (kept anyway on failure)

With DATABASE_URL set, a scratch database is created on that server and only the Ecograph server
is killed (that PostgreSQL is not ours to crash). Exit code: 0 all held; 1 an acknowledged write
missing or doubled, an answer without its ledger row, or nothing measured; 2 all that held but
the server exited by itself.`;

function value(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

function int(argv: string[], name: string, def: number, min: number, max: number): number {
  const raw = value(argv, name);
  if (raw === undefined) return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be a whole number from ${min} to ${max}, got "${raw}"\n\n${CRASH_USAGE}`);
  return n;
}

export function crashOptions(argv: string[]): CrashOptions {
  return {
    seconds: int(argv, 'seconds', 120, 5, 86_400),
    readers: int(argv, 'readers', 3, 0, 64),
    writers: int(argv, 'writers', 3, 1, 64),
    seed: int(argv, 'seed', Math.floor(Math.random() * 1_000_000), 0, 2 ** 31 - 1),
    thinkMs: int(argv, 'think-ms', 20, 0, 10_000),
    settleSeconds: int(argv, 'settle-seconds', 30, 1, 3_600),
    orders: int(argv, 'orders', 2000, 100, 1_000_000),
    port: int(argv, 'port', 0, 0, 65_535),
    pgPort: int(argv, 'pg-port', 0, 0, 65_535),
    keep: argv.includes('--keep'),
  };
}

/** A small seeded generator (mulberry32): the same --seed gives the same kill schedule. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
