// Command-line flags of `npm run bench -- [flags]`.
import { SCENARIOS, SMALL_SCENARIOS, type ScenarioId } from './scenarios';

export type ServerId = 'ecograph' | 'postgraphile' | 'floor';
export const SERVERS: ServerId[] = ['ecograph', 'postgraphile', 'floor'];

export interface BenchOptions {
  orders: number;
  quick: boolean;
  connections: number;
  warmupSeconds: number;
  rounds: number;
  roundSeconds: number;
  only: ScenarioId[];
  servers: ServerId[];
  pgPort: number;
  basePort: number;
  /** Whole run, including the load of the dataset; the harness stops itself after this. */
  maxMinutes: number;
  /** Write docs/performance.md (default: yes, except for --quick). */
  docs: boolean;
  /** Sequential requests per statement-count probe. */
  probeRequests: number;
  /** Only re-render this results JSON into docs/performance.md. */
  render?: string;
  /** pullwrites: dispatch cycles (open, accept, complete) started per second. */
  writeRate: number;
}

export const USAGE = `Usage: npm run bench -- [flags]

  --orders N            dataset size (default 1000000; e.g. 10000000)
  --quick               short smoke run: 1 round of 3 s, 1 s warm-up, results not written to docs
  --connections N       concurrent connections (default 16)
  --warmup S            warm-up seconds before the rounds (default 3)
  --rounds N            measured rounds per server, interleaved across the servers (default 5)
  --duration S          seconds per round (default 6)
  --only a,b            scenarios: partner, dashboard, typename, customer, order, ownpartner,
                        pullwrites (the partner pull while a dispatch write load runs),
                        or small (= customer,order,ownpartner) (default all)
  --write-rate N        pullwrites: dispatch cycles started per second, open-loop (default 10)
  --servers a,b         ecograph, postgraphile, floor (default all)
  --pg-port N           embedded PostgreSQL port (default 54339; ignored with DATABASE_URL)
  --port N              first HTTP port; the servers use N, N+1, N+2 (default 4711)
  --max-minutes M       stop after M minutes whatever happens (default 30, +5 per million orders above 1M)
  --docs / --no-docs    write (or not) the results into docs/performance.md
  --render FILE         only re-render bench/results/FILE.json into docs/performance.md
  -h, --help            this text

Everything listens on 127.0.0.1 only. With DATABASE_URL set, the bench database is created on
that server instead of the embedded one in .data/bench-pg.`;

export class UsageError extends Error {}

function int(name: string, raw: string | undefined, min: number, max: number): number {
  const n = Number(raw);
  if (raw === undefined || !Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} needs a whole number from ${min} to ${max}`);
  return n;
}

function list<T extends string>(name: string, raw: string | undefined, allowed: readonly T[]): T[] {
  const items = (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (!items.length) throw new UsageError(`${name} needs a list: ${allowed.join(',')}`);
  for (const i of items) if (!(allowed as readonly string[]).includes(i)) throw new UsageError(`${name}: unknown "${i}" (${allowed.join(', ')})`);
  return items as T[];
}

export function parseArgs(argv: string[]): BenchOptions | 'help' {
  const o: BenchOptions = {
    orders: 1_000_000,
    quick: false,
    connections: 16,
    warmupSeconds: 3,
    rounds: 5,
    roundSeconds: 6,
    only: [...SCENARIOS],
    servers: [...SERVERS],
    pgPort: 54339,
    basePort: 4711,
    maxMinutes: 0,
    docs: true,
    probeRequests: 20,
    writeRate: 10,
  };
  let docsSet = false;
  const set = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inline ?? argv[++i];
    set.add(flag);
    switch (flag) {
      case '-h':
      case '--help':
        return 'help';
      case '--orders':
        o.orders = int(flag, value(), 1000, 100_000_000);
        break;
      case '--quick':
        o.quick = true;
        break;
      case '--connections':
        o.connections = int(flag, value(), 1, 1000);
        break;
      case '--warmup':
        o.warmupSeconds = int(flag, value(), 0, 600);
        break;
      case '--rounds':
        o.rounds = int(flag, value(), 1, 100);
        break;
      case '--duration':
        o.roundSeconds = int(flag, value(), 1, 3600);
        break;
      case '--only':
        o.only = [...new Set(list(flag, value(), [...SCENARIOS, 'small'] as const).flatMap((s) => (s === 'small' ? SMALL_SCENARIOS : [s])))];
        break;
      case '--write-rate':
        o.writeRate = int(flag, value(), 1, 200);
        break;
      case '--servers':
        o.servers = list(flag, value(), SERVERS);
        break;
      case '--pg-port':
        o.pgPort = int(flag, value(), 1024, 65535);
        break;
      case '--port':
        o.basePort = int(flag, value(), 1024, 65533);
        break;
      case '--max-minutes':
        o.maxMinutes = int(flag, value(), 1, 24 * 60);
        break;
      case '--docs':
        o.docs = true;
        docsSet = true;
        break;
      case '--render': {
        const file = value();
        if (!file) throw new UsageError('--render needs a results file');
        o.render = file;
        break;
      }
      case '--no-docs':
        o.docs = false;
        docsSet = true;
        break;
      default:
        throw new UsageError(`unknown flag ${arg}`);
    }
  }
  if (o.quick) {
    if (!set.has('--warmup')) o.warmupSeconds = 1;
    if (!set.has('--rounds')) o.rounds = 1;
    if (!set.has('--duration')) o.roundSeconds = 3;
    if (!docsSet) o.docs = false;
    o.probeRequests = 5;
  }
  if (!o.maxMinutes) o.maxMinutes = 30 + Math.max(0, Math.ceil((o.orders - 1_000_000) / 1_000_000)) * 5;
  return o;
}
