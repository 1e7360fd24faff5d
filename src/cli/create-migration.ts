// Developer command: diff the entities against the migrated schema and write a new migration.
// Needs a database that has every committed migration applied (any DATABASE_URL, or embedded).
import { MikroORM } from '@mikro-orm/postgresql';
import { migrate } from '../db/database';

export async function createMigration(orm: MikroORM, name: string | undefined): Promise<string | undefined> {
  await migrate(orm);
  // The name ends up in a class name: keep it an identifier.
  const safe = name?.replace(/[^A-Za-z0-9_]/g, '_');
  const result = await orm.getMigrator().createMigration(undefined, false, false, safe);
  return result.diff.up.length > 0 ? result.fileName : undefined;
}
