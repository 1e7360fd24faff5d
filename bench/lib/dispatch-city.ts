// A dispatch city for the benchmarks that write (bench/dispatch.ts, the pullwrites scenario of
// bench/run.ts): rental partners with agreements, depots, prices and keys, the mutations of one
// dispatch cycle, and a small GraphQL client.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type pg from 'pg';

/** Cities and partners of this process (a bench database keeps earlier runs' rows). */
const RUN = Date.now().toString(36);

export interface City {
  name: string;
  /** As the operator sees them: pseudonyms. */
  customerIds: string[];
  servicePointId: number;
  keys: Map<string, string>;
}

export const OPEN = `mutation($input: OpenServiceRequestInput!) { openServiceRequest(input: $input) { serviceRequest { id partner { slug } } } }`;
export const ACCEPT = `mutation($id: ID!) { acceptServiceRequest(input: { id: $id }) { serviceRequest { id status } } }`;
export const COMPLETE = `mutation($id: ID!) { reportFulfilment(input: { id: $id, milestone: COMPLETED }) { serviceRequest { id status } } }`;

/** One GraphQL request to the Ecograph on 127.0.0.1:`port`; the parsed answer (throws on a non-JSON one). */
export async function gql(
  port: number,
  key: string,
  query: string,
  variables: Record<string, unknown> = {},
  opts: { headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<any> {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...opts.headers },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(opts.timeoutMs ?? 60_000),
  });
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`HTTP ${res.status}: ${text.slice(0, 300)}`);
  }
}

/** Partner keys through the project's own code (the CLI would start a process per key). */
export async function partnerKeyMaker(root: string, pool: pg.Pool, label: string): Promise<(slug: string) => Promise<string>> {
  const keys = (await import(pathToFileURL(path.join(root, 'dist', 'src', 'auth', 'keys.js')).href)) as {
    createKey(db: pg.Pool, input: { role: string; partnerSlug?: string; label?: string }): Promise<{ key: string }>;
  };
  return async (slug) => (await keys.createKey(pool, { role: 'PARTNER', partnerSlug: slug, label })).key;
}

/** Page `page` (1-based) of 100 customers as the operator knows them (pseudonyms), in the API's default order. */
export async function customersOf(port: number, operatorKey: string, page = 1): Promise<string[]> {
  const q = 'query($after: String) { customers(first: 100, after: $after) { pageInfo { endCursor } nodes { id } } }';
  let after: string | null = null;
  for (let i = 1; ; i++) {
    const d = await gql(port, operatorKey, q, { after });
    if (!d.data) throw new Error(JSON.stringify(d.errors));
    if (i === page) return d.data.customers.nodes.map((c: { id: string }) => c.id);
    after = d.data.customers.pageInfo.endCursor;
    if (!after) throw new Error(`the operator sees fewer than ${page} pages of customers`);
  }
}

/** A city of `n` rental partners (GOLD, SILVER, BRONZE in turn) with agreements, depots, prices and keys. */
export async function makeCity(pool: pg.Pool, n: number, keyFor: (slug: string) => Promise<string>, customerIds: string[]): Promise<City> {
  const name = `BenchCity-${RUN}-${n}`;
  const keys = new Map<string, string>();
  const tiers = ['GOLD', 'SILVER', 'BRONZE'];
  const repair = await pool.query<{ id: number }>(
    `insert into partner (slug, name, name_en, category, industry, service_types, cities, api_openness, quality_tier, joined_on)
     values ($1, $1, $1, 'CAPABILITY_COMPLEMENT', 'repair', '{QUICK_SERVICE}', array[$2], 'PARTNER_API', 'SILVER', current_date - 400) returning id`,
    [`bench-repair-${RUN}-${n}`, name],
  );
  const sp = await pool.query<{ id: number }>(
    `insert into service_point (partner_id, name, city, district, latitude, longitude, opening_hours) values ($1, 'workshop', $2, 'Centre', 31.2, 121.4, '08:00-20:00') returning id`,
    [repair.rows[0]!.id, name],
  );
  for (let i = 0; i < n; i++) {
    const slug = `bench-rental-${RUN}-${n}-${i}`;
    const p = await pool.query<{ id: number }>(
      `insert into partner (slug, name, name_en, category, industry, service_types, cities, api_openness, quality_tier, joined_on)
       values ($1, $1, $1, 'CAPABILITY_COMPLEMENT', 'car rental', '{COURTESY_CAR}', array[$2], 'PARTNER_API', $3, current_date - 400) returning id`,
      [slug, name, tiers[i % 3]],
    );
    const id = p.rows[0]!.id;
    await pool.query(
      `insert into agreement (partner_id, sla_response_minutes, pricing_model, price_minor, settlement_model, commission_rate, data_tier, valid_from)
       values ($1, 30, 'PER_USE', 0, 'COMMISSION', 0.08, 'ANONYMIZED', current_date - 400)`,
      [id],
    );
    await pool.query(`insert into service_point (partner_id, name, city, district, latitude, longitude, opening_hours) values ($1, 'depot', $2, 'Centre', 31.2, 121.4, '00:00-24:00')`, [id, name]);
    await pool.query(`insert into price_list_item (partner_id, service_type, unit, price_minor) values ($1, 'COURTESY_CAR', 'PER_DAY', 10000)`, [id]);
    keys.set(slug, await keyFor(slug));
  }
  return { name, customerIds, servicePointId: sp.rows[0]!.id, keys };
}

/** The input of openServiceRequest for the `i`-th request of a city (its customers in turn). */
export function openInput(city: City, i: number): { input: Record<string, string> } {
  return { input: { serviceType: 'COURTESY_CAR', customerId: String(city.customerIds[i % city.customerIds.length]), servicePointId: String(city.servicePointId) } };
}
