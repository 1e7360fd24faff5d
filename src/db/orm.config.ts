// MikroORM options for a given database URL. The ORM owns the schema (entities, migrations)
// and the connection pool; queries for the API are compiled by src/db/sql.
import path from 'node:path';
import { defineConfig } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { PROJECT_ROOT, type Config } from '../config';
import { entities } from './entities';

export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, 'migrations');
const compiled = __filename.endsWith('.js');

export function ormConfig(url: string, config: Pick<Config, 'db'>, opts: { debug?: boolean } = {}) {
  return defineConfig({
    clientUrl: url,
    entities,
    extensions: [Migrator],
    discovery: { warnWhenNoEntities: true },
    debug: opts.debug ?? false,
    allowGlobalContext: false,
    pool: { min: 0, max: config.db.poolMax, acquireTimeoutMillis: config.db.connectTimeoutMs, idleTimeoutMillis: 30_000 },
    driverOptions: {
      connection: {
        connectionTimeoutMillis: config.db.connectTimeoutMs,
        statement_timeout: config.db.statementTimeoutMs,
        application_name: 'ecograph',
      },
    },
    // Migrations under vitest need a real dynamic import (see STACK.md).
    dynamicImportProvider: (id: string) => import(id),
    migrations: {
      path: compiled ? path.join(PROJECT_ROOT, 'dist', 'migrations') : MIGRATIONS_DIR,
      pathTs: MIGRATIONS_DIR,
      glob: compiled ? '!(*.d).js' : '!(*.d).{js,ts}',
      tableName: 'mikro_orm_migrations',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      emit: 'ts',
      silent: true,
    },
  });
}
