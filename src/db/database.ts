// Where the data lives: DATABASE_URL when set, otherwise an embedded PostgreSQL in the data
// folder. The server, the CLI and the tests all come through here.
import path from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config';
import { runningEmbeddedPostgres, startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';
import { ormConfig } from './orm.config';

export interface Database {
  orm: MikroORM;
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

export interface OpenOptions {
  log?: (line: string) => void;
  /** Use the embedded server a running Ecograph already started (the CLI beside a server). */
  shareRunning?: boolean;
}

export async function resolveDatabaseUrl(config: Config, opts: OpenOptions = {}): Promise<{ url: string; embedded?: EmbeddedPostgres }> {
  if (config.databaseUrl) return { url: config.databaseUrl };
  const pg = { dataDir: path.join(config.dataDir, 'pg'), port: config.embeddedPgPort, database: 'ecograph', log: opts.log };
  if (opts.shareRunning) {
    const url = await runningEmbeddedPostgres(pg);
    if (url) return { url };
  }
  const embedded = await startEmbeddedPostgres(pg);
  return { url: embedded.url, embedded };
}

export async function openDatabase(config: Config, opts: OpenOptions = {}): Promise<Database> {
  const { url, embedded } = await resolveDatabaseUrl(config, opts);
  let orm: MikroORM;
  try {
    orm = await MikroORM.init(ormConfig(url, config));
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
  let closed = false;
  return {
    orm,
    url,
    embedded: embedded !== undefined,
    async close() {
      if (closed) return;
      closed = true;
      await orm.close(true);
      await embedded?.stop();
    },
  };
}

export async function migrate(orm: MikroORM): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  return applied.map((m) => m.name);
}
