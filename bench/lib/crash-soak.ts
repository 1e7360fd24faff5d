// `npm run soak -- --crash`: a mixed read and write load while the server is SIGKILLed and
// PostgreSQL crashed (immediate shutdown) on a random schedule; then, with everything back, the
// database is checked against what the clients were told (crash-verify.ts). Returns the exit
// code: 1 when an acknowledged write is missing or doubled or an answer has no ledger row (or
// nothing was measured), 2 when all that held but the server exited by itself, else 0.
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { CRASH_USAGE, crashOptions, seededRandom } from './crash-args';
import { bringUp, newCounts, runChaos } from './crash-chaos';
import { Journal } from './crash-client';
import { openCrashDatabase, type CrashDatabase } from './crash-database';
import { prepareDataset } from './crash-dataset';
import { runLoad, type Phase } from './crash-load';
import { renderReport, writeResults } from './crash-report';
import { CrashServer } from './crash-server';
import { passed, verify } from './crash-verify';
import { sleep } from './processes';
import { logger } from './side-bench';

const log = logger('soak:crash');

/** A port the kernel hands out as free on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function crashSoak(root: string, argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    console.log(CRASH_USAGE);
    return 0;
  }
  const options = crashOptions(argv);
  const started = Date.now();
  const run = started.toString(36);
  const port = options.port || (await freePort());
  const pgPort = options.pgPort || (await freePort());
  const logDir = path.join(root, '.data', 'crash-soak');
  const secret = `crash-soak-secret-${run}-0123456789abcdef0123456789`;
  const baseEnv: NodeJS.ProcessEnv = { ...process.env, ECOGRAPH_SECRET: secret, ECOGRAPH_DATA_DIR: logDir };

  log(`${options.seconds} s, --seed ${options.seed}; logs in ${path.relative(root, logDir)}/`);
  let db: CrashDatabase | undefined;
  let server: CrashServer | undefined;
  let keep = options.keep;
  // Ctrl-C: no server left behind; process.exit also runs the embedded PostgreSQL's exit hook.
  const hardExit = () => server?.killNow();
  const interrupted = () => {
    hardExit();
    process.exit(130);
  };
  process.once('exit', hardExit);
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    db = await openCrashDatabase({ root, pgPort, run, log: () => undefined });
    log(db.describe);
    if (!db.crashable) log('DATABASE_URL is set: only the server is killed; the database is never crashed');
    const data = await prepareDataset({ root, url: db.url, env: baseEnv, orders: options.orders, log });
    server = new CrashServer({
      root,
      port,
      logFile: path.join(logDir, 'server.log'),
      log,
      env: {
        ...baseEnv,
        NODE_ENV: 'production',
        DATABASE_URL: db.url,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        SEED_ON_START: 'false',
        RETRY_AFTER_SECONDS: '1',
        // Durability is measured here, not the quotas (429s are retried, but would only slow it).
        QUOTA_PARTNER_PER_MINUTE: 'unlimited',
        QUOTA_PARTNER_PER_DAY: 'unlimited',
        QUOTA_OPERATOR_PER_MINUTE: 'unlimited',
      },
    });
    await server.start();
    log(`server on ${server.url}; partner ${data.partnerSlug}; load for ${options.seconds} s`);

    const journal = new Journal();
    const counts = newCounts();
    let phase: Phase = 'load';
    const loadStarted = Date.now();
    const load = runLoad({ url: server.url, run, readers: options.readers, writers: options.writers, thinkMs: options.thinkMs, data, journal, phase: () => phase });
    await runChaos({ db, server, random: seededRandom(options.seed), startedAt: loadStarted, until: loadStarted + options.seconds * 1000, counts, log });
    const loadSeconds = (Date.now() - loadStarted) / 1000;

    // Settle: no new work; each writer retries its pending write (same key) until answered.
    phase = 'settle';
    const pending = journal.writes.filter((w) => w.rowId === undefined && !w.refused).length;
    log(`faults over after ${loadSeconds.toFixed(0)} s; settling (${pending} writes pending, at most ${options.settleSeconds} s)`);
    await bringUp({ db, server, counts });
    await Promise.race([load, sleep(options.settleSeconds * 1000)]);
    phase = 'done';
    await load;
    await server.stop();

    const verification = await verify(db.url, journal, data, run);
    const result = {
      startedAt: new Date(started),
      options,
      database: db.describe,
      crashable: db.crashable,
      loadSeconds,
      totalSeconds: (Date.now() - started) / 1000,
      loadAverage: os.loadavg(),
      cpus: os.cpus().length,
      counts,
      unexpectedServerExits: server.unexpectedExits,
      failedServerStarts: server.failedStarts,
      journal,
      verification,
    };
    console.log(`\n${renderReport(result)}\n`);
    log(`wrote ${path.relative(root, writeResults(root, result))}`);
    const durable = passed(verification);
    const measured = journal.answeredIds.length > 0 && journal.writes.some((w) => w.rowId !== undefined);
    if (!durable) log(`FAILED: replay the schedule with --seed ${options.seed} --seconds ${options.seconds}`);
    else if (!measured) log('nothing was answered or acknowledged: the run measured nothing');
    if (!durable || !measured) {
      keep = true;
      return 1;
    }
    // Nothing lost, but a server that dies by itself on a fault is a finding of its own.
    return server.unexpectedExits.length > 0 ? 2 : 0;
  } catch (err) {
    keep = true;
    throw err;
  } finally {
    await server?.stop().catch(() => undefined);
    await db?.close(keep).catch(() => undefined);
    if (keep && db) log(`kept ${db.dataDir ? `the database folder ${db.dataDir}` : db.describe}`);
    process.off('exit', hardExit);
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }
}
