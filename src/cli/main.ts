// `npm run cli -- <command>`: database and key administration. Works with or without a
// running server (it shares the embedded database a running server started).
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { createKey, KeyError, listKeys, revokeKey } from '../auth/keys';
import { SCHEMA_KEYS, type SchemaKey } from '../auth/principal';
import { loadConfig, PROJECT_ROOT } from '../config';
import { migrate, openDatabase, type Database } from '../db/database';
import { createPool } from '../db/pool';
import { fullSchema, printSdl } from '../graphql/schema';
import { roleSchema } from '../permissions/role-schema';
import { Role } from '../permissions/tier';
import { seedDatabase } from '../../seeds/seed';
import { flagInt, flagString, parseArgs, UsageError, type ParsedArgs } from './args';
import { createMigration } from './create-migration';
import { EXPORT_USAGE, exportCommand } from './export';

const USAGE = `Usage: npm run cli -- <command>

  migrate                               apply pending migrations
  seed [--orders N] [--seed S]          reference data + deterministic synthetic data (default 20000 orders)
  keys create --role admin|operator|analyst|dashboard|partner [--partner <slug>] [--expires YYYY-MM-DD] [--label text]
                                        prints the new key alone on the last line
  keys list                             list keys (never the keys themselves)
  keys revoke <id>                      refuse the key from the next request on
  schema [--role <role>] [--write]      print the SDL (admin, operator, analyst, dashboard, partner-public, partner-anonymized);
                                        --write regenerates schema/schema.graphql
  migration:create [name]               write a migration for entity changes (developers)
${EXPORT_USAGE}`;

export const SCHEMA_FILE = path.join(PROJECT_ROOT, 'schema', 'schema.graphql');

async function withDatabase<T>(fn: (db: Database, applied: string[]) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = await openDatabase(config, { shareRunning: true, log: (l) => process.stderr.write(`${l}\n`) });
  try {
    const applied = await migrate(db.orm);
    return await fn(db, applied);
  } finally {
    await db.close();
  }
}

async function withPool<T>(fn: (pool: ReturnType<typeof createPool>) => Promise<T>): Promise<T> {
  return withDatabase(async (db) => {
    const pool = createPool(db.url, loadConfig());
    try {
      return await fn(pool);
    } finally {
      await pool.end();
    }
  });
}

function parseRole(value: string | undefined): Role {
  const role = value?.toUpperCase();
  if (!role || !(Object.values(Role) as string[]).includes(role)) {
    throw new UsageError('--role must be one of admin, analyst, dashboard, partner');
  }
  return role as Role;
}

function schemaKey(value: string): SchemaKey {
  const key = value.toUpperCase().replace(/-/g, '_');
  if (key === 'PARTNER') return 'PARTNER_ANONYMIZED';
  if (!(SCHEMA_KEYS as string[]).includes(key)) {
    throw new UsageError('--role must be one of admin, operator, analyst, dashboard, partner-public, partner-anonymized');
  }
  return key as SchemaKey;
}

async function keys(args: ParsedArgs): Promise<void> {
  const sub = args.positionals[1];
  if (sub === 'create') {
    const role = parseRole(flagString(args, 'role'));
    const expires = flagString(args, 'expires');
    const expiresAt = expires ? new Date(/^\d{4}-\d{2}-\d{2}$/.test(expires) ? `${expires}T00:00:00Z` : expires) : undefined;
    const created = await withPool((pool) =>
      createKey(pool, { role, partnerSlug: flagString(args, 'partner'), label: flagString(args, 'label'), expiresAt }),
    );
    process.stdout.write(`created ${role.toLowerCase()} key #${created.id}; it is shown only now:\n${created.key}\n`);
  } else if (sub === 'list') {
    const rows = await withPool((pool) => listKeys(pool));
    for (const k of rows) {
      const state = k.revokedAt ? 'revoked' : k.expiresAt && k.expiresAt.getTime() <= Date.now() ? 'expired' : 'active';
      process.stdout.write(
        `${String(k.id).padStart(4)}  ${k.prefix}…  ${k.role.padEnd(9)} ${(k.partnerSlug ?? '-').padEnd(24)} ${state.padEnd(7)} ` +
          `created ${k.createdAt.toISOString()}${k.expiresAt ? `  expires ${k.expiresAt.toISOString()}` : ''}  ${k.label}\n`,
      );
    }
    if (rows.length === 0) process.stdout.write('no keys\n');
  } else if (sub === 'revoke') {
    const id = Number(args.positionals[2]);
    if (!Number.isInteger(id) || id <= 0) throw new UsageError('keys revoke needs the key id (see keys list)');
    const revoked = await withPool((pool) => revokeKey(pool, id));
    process.stdout.write(revoked ? `revoked key #${id}\n` : `no active key #${id}\n`);
    if (!revoked) process.exitCode = 1;
  } else {
    throw new UsageError('keys needs create, list or revoke');
  }
}

async function run(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const command = args.positionals[0];
  switch (command) {
    case 'migrate': {
      const applied = await withDatabase(async (_db, done) => done);
      process.stdout.write(`database is up to date${applied.length ? ` (applied ${applied.join(', ')})` : ''}\n`);
      return;
    }
    case 'seed': {
      const orders = flagInt(args, 'orders', 0, 100_000_000);
      const seed = flagInt(args, 'seed', 0, 2 ** 31 - 1);
      const report = await withDatabase((db) => seedDatabase(db.url, { orders, seed, log: (l: string) => process.stderr.write(`${l}\n`) }));
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      return;
    }
    case 'keys':
      return keys(args);
    case 'schema': {
      const key = schemaKey(flagString(args, 'role') ?? 'admin');
      const sdl = printSdl(key === 'ADMIN' ? fullSchema() : roleSchema(fullSchema(), key));
      if (args.flags.has('write')) {
        if (key !== 'ADMIN') throw new UsageError('--write writes the full (admin) schema only');
        fs.writeFileSync(SCHEMA_FILE, sdl);
        process.stdout.write(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}\n`);
      } else {
        process.stdout.write(sdl);
      }
      return;
    }
    case 'export': {
      const config = loadConfig();
      return exportCommand(args, { adminKey: config.adminKey, port: config.port });
    }
    case 'migration:create': {
      const file = await withDatabase((db) => createMigration(db.orm, args.positionals[1]));
      process.stdout.write(file ? `wrote migrations/${file}\n` : 'entities match the migrations; nothing to write\n');
      return;
    }
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(USAGE);
      return;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

run(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof UsageError) {
    process.stderr.write(`${err.message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else if (err instanceof KeyError) {
    process.stderr.write(`error [${err.code}]: ${err.message}\n`);
    process.exitCode = 1;
  } else {
    const e = err as { code?: string; message?: string };
    process.stderr.write(`error${e.code ? ` [${e.code}]` : ''}: ${e.message ?? String(err)}\n`);
    process.exitCode = 1;
  }
});
