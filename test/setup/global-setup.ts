// One PostgreSQL for the whole run: DATABASE_URL's server, or an embedded one in .data/test-pg
// on a free port (so tests can run beside a development server). A template database is
// migrated and seeded once; every test file then works in its own copy of it.
import fs from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig, PROJECT_ROOT } from '../../src/config';
import { migrate } from '../../src/db/database';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded-postgres';
import { ormConfig } from '../../src/db/orm.config';
import { refreshStale } from '../../src/metrics/rollups/refresh';
import { seedDatabase } from '../../seeds/seed';
import { TEST_ORDERS, TEST_SEED } from './constants';
import { freePort } from './ports';

declare module 'vitest' {
  export interface ProvidedContext {
    serverUrl: string;
    templateDb: string;
  }
}


export function databaseUrl(serverUrl: string, db: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${db}`;
  return u.toString();
}

let embedded: EmbeddedPostgres | undefined;
let adminUrl = '';
let template = '';

export async function setup(project: TestProject): Promise<void> {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  if (config.databaseUrl) {
    adminUrl = config.databaseUrl;
  } else {
    embedded = await startEmbeddedPostgres({
      // One cluster per run, so that several runs (or a run beside a server) never share one.
      dataDir: path.join(PROJECT_ROOT, '.data', 'test-pg', String(process.pid)),
      port: await freePort(),
      database: 'postgres',
    });
    adminUrl = embedded.url;
  }
  template = `ecograph_tpl_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${template}`);
  await admin.query(`create database ${template}`);
  await admin.end();

  const url = databaseUrl(adminUrl, template);
  const orm = await MikroORM.init(ormConfig(url, config));
  await migrate(orm);
  await orm.close(true);
  await seedDatabase(url, { orders: TEST_ORDERS, seed: TEST_SEED });
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  await refreshStale(pool); // copies start with current rollups
  await pool.end();
  project.provide('serverUrl', adminUrl);
  project.provide('templateDb', template);
}

export async function teardown(): Promise<void> {
  try {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${template} with (force)`);
    const copies = await admin.query<{ datname: string }>(`select datname from pg_database where datname like $1`, [`ecograph_t_${process.pid}_%`]);
    for (const { datname } of copies.rows) await admin.query(`drop database if exists ${datname} with (force)`);
    await admin.end();
  } finally {
    await embedded?.stop();
    if (embedded) fs.rmSync(path.join(PROJECT_ROOT, '.data', 'test-pg', String(process.pid)), { recursive: true, force: true });
  }
}
