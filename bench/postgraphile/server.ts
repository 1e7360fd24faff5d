// PostGraphile v5 on the bench database: the amber preset, @graphile/pg-aggregates, and one small
// plugin of ours that adds a month grouping (the aggregates plugin groups timestamps by hour or
// day only). Runs under the Node 22 of bench/peers (PostGraphile 5 needs Node >= 22), started by
// bench/run.ts with DATABASE_URL and PORT; listens on 127.0.0.1 only.
//
// The packages come from bench/peers/node_modules at run time (they are not dependencies of the
// project, and CI type-checks bench/ without them), so they are typed loosely here.
import { createRequire } from 'node:module';
import * as http from 'node:http';
import * as path from 'node:path';

const peersDir = process.env.BENCH_PEERS_DIR ?? path.resolve(__dirname, '../../../bench/peers');
const peerRequire = createRequire(path.join(peersDir, 'package.json'));

const { postgraphile } = peerRequire('postgraphile') as { postgraphile: (preset: unknown) => any };
const { grafserv } = peerRequire('postgraphile/grafserv/node') as { grafserv: unknown };
const { PostGraphileAmberPreset } = peerRequire('postgraphile/presets/amber') as { PostGraphileAmberPreset: unknown };
const { makePgService } = peerRequire('postgraphile/adaptors/pg') as { makePgService: (o: unknown) => unknown };
const { PgAggregatesPreset } = peerRequire('@graphile/pg-aggregates') as { PgAggregatesPreset: unknown };
const { makeJSONPgSmartTagsPlugin } = peerRequire('postgraphile/utils') as { makeJSONPgSmartTagsPlugin: (json: unknown) => unknown };

/**
 * `webhook_delivery.row_id` (the changed row a delivery is about) collides with the name v5
 * gives every primary key column `id` (`rowId`). The collision is a "recoverable error" that
 * drops `WebhookDelivery` and, through its relations, `Partner` (no `partnerBySlug`, no
 * `allPartners`) from the schema: a smart tag renames that one column. Nothing the benchmark
 * measures reads webhook deliveries.
 */
const BenchSmartTagsPlugin = makeJSONPgSmartTagsPlugin({
  version: 1,
  config: { class: { webhook_delivery: { attribute: { row_id: { tags: { name: 'changedRowId' } } } } } },
});

const BUSINESS_TIME_ZONE = 'Asia/Shanghai';

/**
 * Adds a `<COLUMN>_TRUNCATED_TO_MONTH` grouping for timestamp columns, in the business time
 * zone (as Ecograph's rollups do), next to the plugin's own TRUNCATED_TO_HOUR / _DAY.
 */
const MonthGroupByPlugin = {
  name: 'BenchMonthGroupByPlugin',
  version: '0.0.0',
  after: ['PgAggregatesSpecsPlugin'],
  schema: {
    hooks: {
      build(build: any) {
        const { sql } = build;
        const { TYPES } = build.dataplanPg;
        build.pgAggregateGroupBySpecs.push({
          id: 'truncated-to-month',
          isSuitableType: (codec: unknown) => codec === TYPES.timestamptz,
          sqlWrap: (frag: unknown) => sql`date_trunc('month', ${frag} at time zone ${sql.literal(BUSINESS_TIME_ZONE)})`,
          sqlWrapCodec: () => TYPES.timestamp,
        });
        return build;
      },
    },
  },
};

async function main(): Promise<void> {
  const connectionString = process.env.DATABASE_URL;
  const port = Number(process.env.PORT ?? 4712);
  if (!connectionString) throw new Error('DATABASE_URL is required');
  const poolMax = Number(process.env.DB_POOL_MAX ?? 10);

  const preset = {
    extends: [PostGraphileAmberPreset, PgAggregatesPreset],
    plugins: [MonthGroupByPlugin, BenchSmartTagsPlugin],
    pgServices: [makePgService({ connectionString, schemas: ['public', 'bench'], poolConfig: { max: poolMax } })],
    grafserv: { port, host: '127.0.0.1', graphqlPath: '/graphql', graphiql: false, watch: false },
    grafast: { explain: false },
  };
  const pgl = postgraphile(preset);
  const serv = pgl.createServ(grafserv);
  const server = http.createServer();
  serv.addTo(server);
  await pgl.getSchema(); // introspect before we say we are listening
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  console.log(`postgraphile listening on http://127.0.0.1:${port}/graphql`);

  const stop = () => {
    server.close();
    Promise.resolve(pgl.release?.()).finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
