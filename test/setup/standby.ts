// A real PostgreSQL primary and a streaming standby, from the embedded binaries the tests
// already use (initdb, postgres; no pg_basebackup), independent of DATABASE_URL:
//   1. the primary: an embedded cluster on a free port, migrated and seeded;
//   2. a physical replication slot, then a base backup through the low-level API
//      (pg_backup_start on one session, a file copy, pg_backup_stop's label file);
//   3. the standby: standby.signal, primary_conninfo and the slot, started on its own port,
//      ready once it is in recovery and its WAL receiver streams.
// Framework-free, so a benchmark can use it too; the caller must close() it (it stops both
// servers and removes the folder).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { loadConfig } from '../../src/config';
import { migrate } from '../../src/db/database';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded-postgres';
import { ormConfig } from '../../src/db/orm.config';
import { refreshStale } from '../../src/metrics/rollups/refresh';
import { seedDatabase } from '../../seeds/seed';
import { freePort } from './ports';

export interface StandbyPair {
  /** The primary's application database (read-write). */
  primaryUrl: string;
  /** The same database on the standby (read-only, replayed from the primary). */
  standbyUrl: string;
  /** Fast shutdown of the standby (its clients get 57P01, new ones ECONNREFUSED). */
  stopStandby(): Promise<void>;
  /** Starts it again on the same port; resolves once it streams. */
  startStandby(): Promise<void>;
  /** Replay stops (WAL still arrives): the deterministic way to make the standby lag. */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /** Until the standby has replayed everything the primary had written when called. */
  waitForReplay(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface StandbyOptions {
  /** Synthetic orders seeded on the primary before the base backup (default 500). */
  orders?: number;
  log?: (line: string) => void;
}

const USER = 'postgres';
const PASSWORD = 'postgres';
const DATABASE = 'ecograph';
const SLOT = 'ecograph_standby';
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// What a base backup leaves out (PostgreSQL docs, "Making a Base Backup Using the Low Level
// API"): the server's run files, and the contents of the WAL, slot and transient folders.
const SKIP_FILES = new Set(['postmaster.pid', 'postmaster.opts', 'backup_label', 'tablespace_map', 'standby.signal', 'recovery.signal', 'current_logfiles']);
const EMPTY_DIRS = new Set(['pg_wal', 'pg_replslot', 'pg_dynshmem', 'pg_notify', 'pg_serial', 'pg_snapshots', 'pg_stat_tmp', 'pg_subtrans']);

/** Copies a live data folder; files that vanish meanwhile (temporary ones) are skipped. */
async function copyDataDir(from: string, to: string, top = true): Promise<void> {
  await fsp.mkdir(to, { recursive: true, mode: 0o700 });
  for (const entry of await fsp.readdir(from, { withFileTypes: true })) {
    const name = entry.name;
    if (name.startsWith('pgsql_tmp') || name === 'pg_internal.init') continue;
    if (top && SKIP_FILES.has(name)) continue;
    const src = path.join(from, name);
    const dst = path.join(to, name);
    if (entry.isDirectory()) {
      if (top && EMPTY_DIRS.has(name)) await fsp.mkdir(dst, { mode: 0o700 });
      else await copyDataDir(src, dst, false);
    } else if (entry.isFile()) {
      await fsp.copyFile(src, dst).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
      });
    }
  }
}

async function chownTree(dir: string, uid: number, gid: number): Promise<void> {
  await fsp.chown(dir, uid, gid);
  for (const entry of await fsp.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) await chownTree(p, uid, gid);
    else await fsp.chown(p, uid, gid);
  }
}

/** PostgreSQL refuses root: as root, run it as the `postgres` user (created by the primary's start). */
function runAs(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, USER], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function until(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (err) {
      last = err;
    }
    await sleep(50);
  }
  throw new Error(`standby: ${what} did not happen within ${timeoutMs} ms${last instanceof Error ? ` (${last.message})` : ''}`);
}

async function postgresBinary(): Promise<string> {
  const mod = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { postgres: string };
  return mod.postgres;
}

async function prepare(url: string, orders: number): Promise<void> {
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: url });
  const orm = await MikroORM.init(ormConfig(url, config));
  try {
    await migrate(orm);
  } finally {
    await orm.close(true);
  }
  await seedDatabase(url, { orders, seed: 42 });
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    await refreshStale(pool);
  } finally {
    await pool.end();
  }
}

export async function startStandbyPair(opts: StandbyOptions = {}): Promise<StandbyPair> {
  const log = opts.log ?? (() => undefined);
  const root = await fsp.mkdtemp(path.join(os.tmpdir(), 'ecograph-standby-'));
  // postgres (as another user when we are root) must pass through to its folders.
  await fsp.chmod(root, 0o711);
  const primaryDir = path.join(root, 'primary');
  const standbyDir = path.join(root, 'standby');
  let primary: EmbeddedPostgres | undefined;
  let child: ChildProcess | undefined;
  const killOnExit = () => child?.kill('SIGINT');
  process.once('exit', killOnExit);

  const standbyPort = await freePort();
  const recent: string[] = [];
  const user = runAs();
  const binary = await postgresBinary();

  async function startStandby(): Promise<void> {
    if (child && child.exitCode === null && child.signalCode === null) return;
    const proc = spawn(binary, ['-D', standbyDir, '-p', String(standbyPort), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='], {
      ...(user ?? {}),
      env: { ...process.env, LC_MESSAGES: 'C' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child = proc;
    proc.stderr?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        recent.push(line);
        if (recent.length > 40) recent.shift();
      }
    });
    const exited = () => proc.exitCode !== null || proc.signalCode !== null;
    await until('the standby accepting connections', START_TIMEOUT_MS, async () => {
      if (exited()) throw new Error(`the standby exited: ${recent.slice(-5).join(' | ')}`);
      return withClient(standbyUrl, async (c) => (await c.query<{ r: boolean }>('select pg_is_in_recovery() r')).rows[0]!.r);
    }).catch((err: Error) => {
      if (exited()) throw new Error(`standby: postgres exited during start-up: ${recent.slice(-5).join(' | ')}`);
      throw err;
    });
    await until('the standby streaming', START_TIMEOUT_MS, () =>
      withClient(standbyUrl, async (c) => (await c.query("select 1 from pg_stat_wal_receiver where status = 'streaming'")).rowCount === 1),
    );
    log(`standby streaming on 127.0.0.1:${standbyPort}`);
  }

  async function stopStandby(): Promise<void> {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGINT'); // fast shutdown
    const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }

  const standbyUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${standbyPort}/${DATABASE}`;
  let closed = false;
  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    try {
      await stopStandby();
      await primary?.stop();
    } finally {
      process.removeListener('exit', killOnExit);
      await fsp.rm(root, { recursive: true, force: true });
    }
  }

  try {
    const started = Date.now();
    primary = await startEmbeddedPostgres({ dataDir: primaryDir, port: await freePort(), database: DATABASE, log });
    const primaryUrl = primary.url;
    await prepare(primaryUrl, opts.orders ?? 500);
    log(`primary seeded in ${Date.now() - started} ms`);

    // The slot keeps the WAL from the backup's start until the standby has streamed it.
    await withClient(primaryUrl, async (c) => {
      await c.query('select pg_create_physical_replication_slot($1, true)', [SLOT]);
      await c.query("select pg_backup_start('ecograph-standby', true)");
      await copyDataDir(primaryDir, standbyDir);
      const stop = await c.query<{ labelfile: string; spcmapfile: string | null }>('select labelfile, spcmapfile from pg_backup_stop(false)');
      const { labelfile, spcmapfile } = stop.rows[0]!;
      await fsp.writeFile(path.join(standbyDir, 'backup_label'), labelfile);
      if (spcmapfile) await fsp.writeFile(path.join(standbyDir, 'tablespace_map'), spcmapfile);
    });
    await fsp.mkdir(path.join(standbyDir, 'pg_wal', 'archive_status'), { recursive: true, mode: 0o700 });
    await fsp.writeFile(path.join(standbyDir, 'standby.signal'), '');
    const primaryPort = new URL(primaryUrl).port;
    await fsp.appendFile(
      path.join(standbyDir, 'postgresql.auto.conf'),
      `primary_conninfo = 'host=127.0.0.1 port=${primaryPort} user=${USER} password=${PASSWORD} application_name=ecograph_standby'\n` +
        `primary_slot_name = '${SLOT}'\n`,
    );
    await fsp.chmod(standbyDir, 0o700);
    if (user) await chownTree(standbyDir, user.uid, user.gid);
    await startStandby();
    log(`standby pair ready in ${Date.now() - started} ms`);

    const replayLsnAtLeast = (lsn: string) =>
      withClient(standbyUrl, async (c) => (await c.query<{ ok: boolean }>('select pg_last_wal_replay_lsn() >= $1::pg_lsn ok', [lsn])).rows[0]!.ok);
    const pair: StandbyPair = {
      primaryUrl,
      standbyUrl,
      stopStandby,
      startStandby,
      async pauseReplay() {
        await withClient(standbyUrl, (c) => c.query('select pg_wal_replay_pause()'));
        await until('replay pausing', 10_000, () =>
          withClient(standbyUrl, async (c) => (await c.query<{ s: string }>('select pg_get_wal_replay_pause_state() s')).rows[0]!.s === 'paused'),
        );
      },
      async resumeReplay() {
        await withClient(standbyUrl, (c) => c.query('select pg_wal_replay_resume()'));
      },
      async waitForReplay(timeoutMs = 15_000) {
        const lsn = await withClient(primaryUrl, async (c) => (await c.query<{ lsn: string }>('select pg_current_wal_lsn()::text lsn')).rows[0]!.lsn);
        await until(`replay up to ${lsn}`, timeoutMs, () => replayLsnAtLeast(lsn));
      },
      close,
    };
    await pair.waitForReplay();
    return pair;
  } catch (err) {
    await close().catch(() => undefined);
    throw err;
  }
}
