// Start-up in one place: database (embedded or DATABASE_URL), migrations, first-run seed and
// admin key, the per-role schemas, HTTP. Returns a handle whose close() shuts down in order.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pseudonymizer } from '../anonymisation/pseudonym';
import { Authenticator } from '../auth/authenticate';
import { countKeys, createKey } from '../auth/keys';
import { SCHEMA_KEYS, type SchemaKey } from '../auth/principal';
import { resolveSecret } from '../auth/secret';
import type { Config } from '../config';
import { CursorCodec } from '../db/cursor';
import { migrate, openDatabase } from '../db/database';
import { createPool } from '../db/pool';
import { fullSchema } from '../graphql/schema';
import { roleSchema } from '../permissions/role-schema';
import { shielded } from '../permissions/shield';
import { Role } from '../permissions/tier';
import { seedDatabase } from '../../seeds/seed';
import { ledgerPlugin } from '../ledger/ledger.plugin';
import { LedgerWriter } from '../ledger/ledger-writer';
import { createApp } from './app';
import { createGraphqlHandlers } from './graphql-handlers';
import type { Logger } from './logger';
import type { GraphQLSchema } from 'graphql';

export interface RunningServer {
  url: string;
  databaseUrl: string;
  /** Printed once when the first start created it. */
  firstAdminKey?: string;
  ledger: LedgerWriter;
  close(): Promise<void>;
}

export function buildRoleSchemas(): Record<SchemaKey, GraphQLSchema> {
  const full = shielded(fullSchema());
  return Object.fromEntries(SCHEMA_KEYS.map((k) => [k, k === 'ADMIN' ? full : roleSchema(full, k)])) as Record<SchemaKey, GraphQLSchema>;
}

export async function startServer(config: Config, log: Logger): Promise<RunningServer> {
  const db = await openDatabase(config, { log: (line) => log.info(line) });
  try {
    const applied = await migrate(db.orm);
    if (applied.length > 0) log.info({ migrations: applied }, 'applied migrations');
  } catch (err) {
    await db.close();
    throw err;
  }
  const pool = createPool(db.url, config);
  let firstAdminKey: string | undefined;
  try {
    if (config.seedOnStart) {
      const seeded = await pool.query("select 1 from seed_state where key = 'synthetic'");
      if (seeded.rowCount === 0) {
        log.info('empty database: loading reference data and a small synthetic dataset');
        const report = await seedDatabase(db.url, { log: (line: string) => log.info(line) });
        log.info({ orders: report.synthetic.orders, seconds: report.synthetic.seconds }, 'seeded');
      }
    }
    if (!config.adminKey && (await countKeys(pool)) === 0) {
      firstAdminKey = (await createKey(pool, { role: Role.ADMIN, label: 'first admin key' })).key;
    }
  } catch (err) {
    await pool.end();
    await db.close();
    throw err;
  }

  const secret = resolveSecret(config);
  const services = { config, cursors: new CursorCodec(secret), pseudonyms: new Pseudonymizer(secret), secretKey: secret };
  const ledger = new LedgerWriter(pool, log);
  const handlers = await createGraphqlHandlers(buildRoleSchemas(), pool, services, log, [ledgerPlugin(ledger)]);
  let draining = false;
  const app = createApp({ config, pool, authenticator: new Authenticator(pool, config.adminKey), handlers, log, isDraining: () => draining });
  const server = http.createServer(app);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    databaseUrl: db.url,
    firstAdminKey,
    ledger,
    close() {
      closing ??= (async () => {
        draining = true;
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await handlers.stop();
        await ledger.stop();
        await pool.end();
        await db.close();
      })();
      return closing;
    },
  };
}
