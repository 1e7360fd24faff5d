import { describe, expect, it } from 'vitest';
import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { loadConfig } from '../../src/config';
import { migrate } from '../../src/db/database';
import { ormConfig } from '../../src/db/orm.config';
import { useEmptyDatabase } from '../setup/database';

describe('migrations', () => {
  it('build the whole schema on an empty database, once', async () => {
    const url = await useEmptyDatabase();
    const orm = await MikroORM.init(ormConfig(url, loadConfig({ NODE_ENV: 'test' })));
    try {
      const first = await migrate(orm);
      expect(first.length).toBeGreaterThan(0);
      expect(await migrate(orm)).toEqual([]);
      // The committed migrations describe the entities exactly: nothing left to generate.
      expect(await orm.getMigrator().checkMigrationNeeded()).toBe(false);
    } finally {
      await orm.close(true);
    }
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const tables = await client.query<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = 'public' order by 1",
    );
    await client.end();
    expect(tables.rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining([
        'agreement', 'api_key', 'candidate_partner', 'case_kpi', 'collaboration_case', 'complaint', 'customer',
        'partner', 'partner_tier_history', 'price_list_item', 'rating', 'report_indicator', 'seed_state',
        'service_order', 'service_point', 'settlement',
      ]),
    );
  });
});
