// A city of its own for dispatch tests (no seeded partner works there), with a repair shop and
// rental partners of chosen tiers, agreements in force, service points and prices.
import type pg from 'pg';
import { createKey } from '../../src/auth/keys';
import { Role } from '../../src/permissions/tier';

export interface RentalSpec {
  slug: string;
  tier: 'GOLD' | 'SILVER' | 'BRONZE' | 'YELLOW_CARD' | null;
  /** Price of a courtesy-car day, in fen. */
  priceMinor?: number;
  slaMinutes?: number;
  status?: 'ACTIVE' | 'SUSPENDED';
  /** Good past orders (rated 5, answered on time) last month: a better evaluation score. */
  history?: number;
  agreement?: boolean;
}

export interface DispatchCity {
  city: string;
  repairPartnerId: number;
  servicePointId: number;
  customerId: number;
  partners: Record<string, { id: number; key: string }>;
}

let cities = 0;

export async function partnerWith(pool: pg.Pool, city: string, spec: RentalSpec & { serviceTypes?: string[] }): Promise<{ id: number; key: string }> {
  const types = spec.serviceTypes ?? ['COURTESY_CAR'];
  const { rows } = await pool.query<{ id: number }>(
    `insert into partner (slug, name, name_en, category, industry, service_types, cities, api_openness, status, quality_tier, joined_on)
     values ($1, $1, $1, 'CAPABILITY_COMPLEMENT', 'car rental', $2, array[$3], 'PARTNER_API', $4, $5, current_date - 400) returning id`,
    [spec.slug, types, city, spec.status ?? 'ACTIVE', spec.tier],
  );
  const id = rows[0]!.id;
  if (spec.agreement !== false) {
    await pool.query(
      `insert into agreement (partner_id, sla_response_minutes, pricing_model, price_minor, settlement_model, commission_rate, data_tier, valid_from)
       values ($1, $2, 'PER_USE', 0, 'COMMISSION', 0.0800, 'ANONYMIZED', current_date - 400)`,
      [id, spec.slaMinutes ?? 30],
    );
  }
  await pool.query(
    `insert into service_point (partner_id, name, city, district, latitude, longitude, opening_hours) values ($1, $2, $3, 'Centre', 31.2, 121.4, '00:00-24:00')`,
    [id, `${spec.slug} depot`, city],
  );
  for (const t of types) {
    await pool.query(`insert into price_list_item (partner_id, service_type, unit, price_minor) values ($1, $2, 'PER_DAY', $3)`, [id, t, spec.priceMinor ?? 10_000]);
  }
  if (spec.history) {
    // Last month (business time zone): orders answered in 10 minutes, rated 5 stars.
    await pool.query(
      `with o as (
         insert into service_order (customer_id, partner_id, service_type, city, channel, status, created_at, fulfilled_at, response_minutes, amount_minor)
         select c.id, $1, 'COURTESY_CAR', $2, 'ONLINE', 'FULFILLED',
                date_trunc('month', now() at time zone 'Asia/Shanghai') at time zone 'Asia/Shanghai' - interval '10 days' + g * interval '1 hour',
                date_trunc('month', now() at time zone 'Asia/Shanghai') at time zone 'Asia/Shanghai' - interval '9 days' + g * interval '1 hour', 10, 12000
           from generate_series(1, $3::int) g
           cross join lateral (select id from customer order by id offset g limit 1) c
         returning id, partner_id, customer_id, created_at)
       insert into rating (order_id, partner_id, customer_id, score, created_at) select id, partner_id, customer_id, 5, created_at from o`,
      [id, city, spec.history],
    );
  }
  const slug = spec.slug;
  const { key } = await createKey(pool, { role: Role.PARTNER, partnerSlug: slug });
  return { id, key };
}

/** A fresh city with a repair shop, a consenting customer and the rental partners asked for. */
export async function dispatchCity(pool: pg.Pool, rentals: RentalSpec[]): Promise<DispatchCity> {
  const city = `DispatchTown${process.pid}-${++cities}`;
  const repair = await partnerWith(pool, city, { slug: `${city}-repair`.toLowerCase(), tier: 'SILVER', serviceTypes: ['QUICK_SERVICE'] });
  const [sp] = (await pool.query<{ id: number }>('select id from service_point where partner_id = $1', [repair.id])).rows;
  const [customer] = (await pool.query<{ id: number }>('select id from customer where consent_data_sharing order by id limit 1')).rows;
  const partners: DispatchCity['partners'] = {};
  for (const r of rentals) partners[r.slug] = await partnerWith(pool, city, { ...r, slug: `${city}-${r.slug}`.toLowerCase() });
  return { city, repairPartnerId: repair.id, servicePointId: sp!.id, customerId: customer!.id, partners };
}

/** A repair (QUICK_SERVICE) order of the city still in progress, opened `minutesAgo` minutes ago. */
export async function repairOrder(pool: pg.Pool, c: DispatchCity, minutesAgo: number): Promise<number> {
  const { rows } = await pool.query<{ id: number }>(
    `insert into service_order (customer_id, partner_id, service_point_id, service_type, city, channel, status, created_at, amount_minor)
     values ($1, $2, $3, 'QUICK_SERVICE', $4, 'OFFLINE', 'IN_PROGRESS', now() - make_interval(mins => $5), 16000) returning id`,
    [c.customerId, c.repairPartnerId, c.servicePointId, c.city, minutesAgo],
  );
  return rows[0]!.id;
}

/** Time passes for the current offer: it is due now, and its timer job runs now. */
export async function expireOfferNow(pool: pg.Pool, requestId: number): Promise<void> {
  await pool.query(`update service_request set offer_expires_at = now() - interval '1 second' where id = $1`, [requestId]);
  await pool.query(
    `select graphile_worker.add_job('dispatch_offer_timeout', json_build_object('requestId', id, 'offerSeq', offer_seq), run_at := now(),
            job_key := 'dispatch_offer:' || id, job_key_mode := 'replace') from service_request where id = $1`,
    [requestId],
  );
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
