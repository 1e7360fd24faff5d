// The crash soak's database: an embedded PostgreSQL of its own (a temporary folder, a free port)
// that it can crash and start again, or, with DATABASE_URL, a scratch database on that server,
// which it must not crash (somebody else's server): then only the Ecograph server is killed.
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import pg from 'pg';
import { sleep } from './processes';

export interface CrashDatabase {
  url: string;
  /** False with DATABASE_URL: that server is not ours to crash. */
  crashable: boolean;
  describe: string;
  /** Where its files are (embedded), for the report and for a failed run's post-mortem. */
  dataDir?: string;
  isUp(): boolean;
  /** `pg_ctl stop -m immediate`: SIGQUIT to the postmaster, no checkpoint, WAL replay on the next start. */
  crash(): Promise<void>;
  start(): Promise<void>;
  /** Stops it (graceful) and removes its files or the scratch database, unless `keep`. */
  close(keep: boolean): Promise<void>;
}

interface EmbeddedModule {
  startEmbeddedPostgres(opts: { dataDir: string; port: number; database?: string; log?: (line: string) => void }): Promise<{ url: string; stop(): Promise<void> }>;
}

/** The project's own wrapper (dist/), as the tests use it: same package, same flags. */
function embeddedModule(root: string): EmbeddedModule {
  return createRequire(__filename)(path.join(root, 'dist', 'src', 'db', 'embedded-postgres.js')) as EmbeddedModule;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie (exited, not reaped yet) holds nothing any more.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function embedded(root: string, port: number, log: (l: string) => void): Promise<CrashDatabase> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'ecograph-crash-soak-'));
  // PostgreSQL runs as the user "postgres" when we are root: it must be able to enter the folder.
  chmodSync(tmp, 0o755);
  const dataDir = path.join(tmp, 'pg');
  const { startEmbeddedPostgres } = embeddedModule(root);
  const open = () => startEmbeddedPostgres({ dataDir, port, database: 'ecograph', log: (l) => log(`pg: ${l}`) });
  let handle = await open();
  let up = true;
  return {
    url: handle.url,
    crashable: true,
    describe: `embedded PostgreSQL 15 on 127.0.0.1:${port}, data in ${dataDir}`,
    dataDir: tmp,
    isUp: () => up,
    async crash() {
      const pid = Number.parseInt(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0] ?? '', 10);
      // What `pg_ctl stop -m immediate` does; pg_ctl itself refuses to run as root.
      process.kill(pid, 'SIGQUIT');
      up = false;
      const deadline = Date.now() + 15_000;
      while (alive(pid)) {
        if (Date.now() > deadline) throw new Error(`PostgreSQL (pid ${pid}) did not exit within 15 s of SIGQUIT`);
        await sleep(20);
      }
    },
    async start() {
      handle = await open();
      up = true;
    },
    async close(keep) {
      if (up) await handle.stop().catch(() => undefined);
      up = false;
      if (!keep) rmSync(tmp, { recursive: true, force: true });
    },
  };
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  c.on('error', () => undefined);
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end().catch(() => undefined);
  }
}

async function scratch(external: string, run: string): Promise<CrashDatabase> {
  const name = `ecograph_crash_soak_${run}`;
  await withClient(external, (c) => c.query(`create database ${c.escapeIdentifier(name)}`));
  const u = new URL(external);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    crashable: false,
    describe: `database ${name} on the DATABASE_URL server (not crashed: not ours)`,
    isUp: () => true,
    crash: () => Promise.reject(new Error('the DATABASE_URL server is not crashed by the soak')),
    start: async () => undefined,
    async close(keep) {
      if (!keep) await withClient(external, (c) => c.query(`drop database if exists ${c.escapeIdentifier(name)} with (force)`));
    },
  };
}

export function openCrashDatabase(opts: { root: string; pgPort: number; run: string; log: (l: string) => void }): Promise<CrashDatabase> {
  const external = process.env.DATABASE_URL;
  return external ? scratch(external, opts.run) : embedded(opts.root, opts.pgPort, opts.log);
}
