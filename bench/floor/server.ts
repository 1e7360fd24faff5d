// The floor: the least a server can do to answer the benchmark's questions. A bare node:http
// handler that reads the POSTed JSON, looks the query text up in a table of the known
// questions, and answers each with ONE hand-written, prepared SQL statement whose JSON
// PostgreSQL builds, through a pg Pool; the text goes out as it came. No GraphQL,
// no auth, no anonymisation: a lower bound, not a competitor.
//
// Started by bench/run.ts with DATABASE_URL and PORT (Node 20, the project's own `pg`).
import * as http from 'node:http';
import pg from 'pg';
import { BUSINESS_TIME_ZONE, DASHBOARD_FROM, DASHBOARD_TO, ECOGRAPH_QUERIES } from '../lib/scenarios';

const TZ = `'${BUSINESS_TIME_ZONE}'`;

// The same age band as Ecograph's (src/anonymisation/generalise.ts ageBandSql).
const AGE_BAND_LOW = `(greatest(extract(year from age((now() at time zone 'UTC')::date, c.birth_date))::int, 0) / 10 * 10)`;
const AGE_BAND = `(${AGE_BAND_LOW}::text || '-' || (${AGE_BAND_LOW} + 9)::text)`;
const MONEY = (col: string) => `(((${col})::bigint / 100)::text || '.' || lpad(((${col})::bigint % 100)::text, 2, '0'))`;
const ISO = (col: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export const FLOOR_SQL = {
  // The JSON text is built by concatenation (to_json quotes the strings): PostgreSQL does
  // that about twice as fast as json_build_object/json_agg for this answer.
  partner: `
    select '{"data":{"customers":{"nodes":[' || coalesce(string_agg(
               '{"id":"' || c.id || '","ageBand":"' || ${AGE_BAND} || '","city":' || to_json(c.city)::text ||
               ',"district":' || to_json(c.district)::text || ',"orders":{"nodes":[' || coalesce(o.nodes, '') || ']}}',
               ',' order by c.id), '') || ']}}}' as body
      from (select * from customer order by id limit 100) c
      cross join lateral (
        select string_agg('{"id":"' || x.id || '","serviceType":' || to_json(x.service_type)::text ||
                 ',"amount":"' || ${MONEY('x.amount_minor')} || '","createdAt":"' || ${ISO('x.created_at')} ||
                 '","status":' || to_json(x.status)::text || '}', ',' order by x.created_at desc, x.id desc) as nodes
          from (select * from service_order so where so.customer_id = c.id
                 order by so.created_at desc, so.id desc limit 5) x
      ) o`,
  dashboard: `
    select json_build_object('data', json_build_object('ecosystemMetrics', json_build_object('series',
             coalesce(json_agg(json_build_object('key', s.category, 'points', s.points) order by s.category), '[]'::json))))::text as body
      from (
        select g.category, json_agg(json_build_object('period', to_char(g.month, 'YYYY-MM'), 'gmv', ${MONEY('g.gmv')})
                                    order by g.month) as points
          from (
            select p.category, date_trunc('month', o.created_at at time zone ${TZ}) as month,
                   coalesce(sum(o.amount_minor) filter (where o.status = 'FULFILLED'), 0) as gmv
              from service_order o join partner p on p.id = o.partner_id
             where o.created_at >= ('${DASHBOARD_FROM}'::timestamp at time zone ${TZ})
               and o.created_at < ('${DASHBOARD_TO}'::timestamp at time zone ${TZ})
             group by 1, 2
          ) g
         group by g.category
      ) s`,
};

const TYPENAME_BODY = '{"data":{"__typename":"Query"}}';

function main(): void {
  const connectionString = process.env.DATABASE_URL;
  const port = Number(process.env.PORT ?? 4713);
  if (!connectionString) throw new Error('DATABASE_URL is required');
  const pool = new pg.Pool({ connectionString, max: Number(process.env.DB_POOL_MAX ?? 10) });
  pool.on('error', (err) => console.error('pool error', err.message));

  const routes = new Map<string, string | null>([
    [ECOGRAPH_QUERIES.partner, FLOOR_SQL.partner],
    [ECOGRAPH_QUERIES.dashboard, FLOOR_SQL.dashboard],
    [ECOGRAPH_QUERIES.typename, null],
  ]);

  const names = new Map([...routes.values()].filter((q): q is string => q !== null).map((q, i) => [q, `floor-${i}`]));

  const send = (res: http.ServerResponse, status: number, body: string, statements: number) => {
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'x-sql-statements': String(statements),
    });
    res.end(body);
  };
  const error = (res: http.ServerResponse, status: number, message: string) =>
    send(res, status, JSON.stringify({ errors: [{ message }] }), 0);

  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/healthz') {
      send(res, 200, '{"ok":true}', 0);
      return;
    }
    if (req.method !== 'POST' || req.url !== '/graphql') {
      error(res, 404, 'POST /graphql');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let query: unknown;
      try {
        query = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query?: unknown }).query;
      } catch {
        error(res, 400, 'bad JSON');
        return;
      }
      const sql = typeof query === 'string' ? routes.get(query) : undefined;
      if (sql === undefined) {
        error(res, 400, 'the floor answers only the benchmark questions');
      } else if (sql === null) {
        send(res, 200, TYPENAME_BODY, 0);
      } else {
        // Prepared once per connection (named), as Ecograph's repeated statements are.
        pool.query<{ body: string }>({ name: names.get(sql), text: sql }).then(
          (r) => send(res, 200, r.rows[0]!.body, 1),
          (err: Error) => error(res, 500, err.message),
        );
      }
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(port, '127.0.0.1', () => console.log(`floor listening on http://127.0.0.1:${port}/graphql`));

  const stop = () => {
    server.close();
    void pool.end().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main();
