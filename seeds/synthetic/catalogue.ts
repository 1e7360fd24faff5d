// Upserts the planned partners, agreements, service points and price lists by their natural keys.
// Nothing is ever deleted: api keys and orders reference these rows.
//   partner          slug (synthetic ones; the reference rows come from load-reference.ts)
//   agreement        the partner's first agreement (lowest id): the one the seed created
//   service_point    (partner_id, name), the name being '<city>N号服务点', stable per partner and city
//   price_list_item  (partner_id, service_type, unit), the table's unique key
import type { ClientBase } from 'pg';
import type { PartnerPlan } from './partners';

export interface CatalogueIds {
  /** slug -> partner id */
  partnerIds: Map<string, number>;
  /** slug -> city -> service point ids (in plan order) */
  pointIds: Map<string, Map<string, number[]>>;
}

export interface CatalogueCounts {
  partners: number;
  agreements: number;
  servicePoints: number;
  prices: number;
}

/** Synthetic partner rows. status and quality_tier are left to the tier computation. */
async function upsertSyntheticPartners(client: ClientBase, plans: PartnerPlan[]): Promise<void> {
  const rows = plans
    .filter((p) => !p.reference)
    .map((p, ord) => ({
      ord,
      slug: p.slug,
      name: p.name,
      name_en: p.nameEn,
      category: p.category,
      industry: p.industry,
      service_types: p.serviceTypes,
      cities: p.cities,
      api_openness: p.apiOpenness,
      description: p.description,
      joined_on: p.joinedOn,
    }));
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO partner (slug, name, name_en, category, industry, service_types, cities, api_openness, description, joined_on, reference)
     SELECT slug, name, name_en, category, industry, service_types, cities, api_openness, description, joined_on, false
     FROM jsonb_to_recordset($1::jsonb) AS x(ord int, slug text, name text, name_en text, category text, industry text,
          service_types text[], cities text[], api_openness text, description text, joined_on date)
     ORDER BY ord
     ON CONFLICT (slug) DO UPDATE SET
       name = EXCLUDED.name, name_en = EXCLUDED.name_en, category = EXCLUDED.category, industry = EXCLUDED.industry,
       service_types = EXCLUDED.service_types, cities = EXCLUDED.cities, api_openness = EXCLUDED.api_openness,
       description = EXCLUDED.description, joined_on = EXCLUDED.joined_on, reference = false
     WHERE (partner.name, partner.name_en, partner.category, partner.industry, partner.service_types, partner.cities,
            partner.api_openness, partner.description, partner.joined_on, partner.reference)
       IS DISTINCT FROM
           (EXCLUDED.name, EXCLUDED.name_en, EXCLUDED.category, EXCLUDED.industry, EXCLUDED.service_types, EXCLUDED.cities,
            EXCLUDED.api_openness, EXCLUDED.description, EXCLUDED.joined_on, false)`,
    [JSON.stringify(rows)],
  );
}

async function upsertAgreements(client: ClientBase, plans: PartnerPlan[], ids: Map<string, number>): Promise<void> {
  const rows = plans.map((p, ord) => {
    const a = p.agreement;
    return {
      ord,
      partner_id: ids.get(p.slug)!,
      sla_response_minutes: a.slaResponseMinutes,
      service_standard: a.serviceStandard,
      pricing_model: a.pricingModel,
      price_minor: a.priceMinor,
      settlement_model: a.settlementModel,
      commission_rate: a.commissionRate,
      revenue_share_rate: a.revenueShareRate,
      monthly_fee_minor: a.monthlyFeeMinor,
      data_tier: a.dataTier,
      exclusive: a.exclusive,
      liability: a.liability,
      valid_from: a.validFrom,
      valid_to: a.validTo,
    };
  });
  const cols =
    'sla_response_minutes, service_standard, pricing_model, price_minor, settlement_model, commission_rate, revenue_share_rate, monthly_fee_minor, data_tier, exclusive, liability, valid_from, valid_to';
  await client.query(
    `WITH d AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(ord int, partner_id int, sla_response_minutes int, service_standard text,
            pricing_model text, price_minor bigint, settlement_model text, commission_rate numeric, revenue_share_rate numeric,
            monthly_fee_minor bigint, data_tier text, exclusive boolean, liability text, valid_from date, valid_to date)
     ),
     seeded AS (
       SELECT DISTINCT ON (partner_id) id, partner_id FROM agreement
       WHERE partner_id IN (SELECT partner_id FROM d) ORDER BY partner_id, id
     ),
     updated AS (
       UPDATE agreement a SET (${cols}) = (d.${cols.split(', ').join(', d.')})
       FROM d JOIN seeded s ON s.partner_id = d.partner_id
       WHERE a.id = s.id
         AND (a.${cols.split(', ').join(', a.')}) IS DISTINCT FROM (d.${cols.split(', ').join(', d.')})
       RETURNING a.id
     )
     INSERT INTO agreement (partner_id, ${cols})
     SELECT partner_id, ${cols} FROM d
     WHERE NOT EXISTS (SELECT 1 FROM seeded s WHERE s.partner_id = d.partner_id)
     ORDER BY ord`,
    [JSON.stringify(rows)],
  );
}

async function upsertServicePoints(client: ClientBase, plans: PartnerPlan[], ids: Map<string, number>): Promise<void> {
  const rows = plans.flatMap((p) =>
    p.servicePoints.map((sp) => ({
      ord: 0,
      partner_id: ids.get(p.slug)!,
      name: sp.name,
      city: sp.city,
      district: sp.district,
      latitude: sp.latitude,
      longitude: sp.longitude,
      opening_hours: sp.openingHours,
    })),
  );
  rows.forEach((r, i) => (r.ord = i));
  await client.query(
    `WITH d AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(ord int, partner_id int, name text, city text, district text,
            latitude numeric, longitude numeric, opening_hours text)
     ),
     updated AS (
       UPDATE service_point sp
       SET city = d.city, district = d.district, latitude = d.latitude, longitude = d.longitude, opening_hours = d.opening_hours
       FROM d
       WHERE sp.partner_id = d.partner_id AND sp.name = d.name
         AND (sp.city, sp.district, sp.latitude, sp.longitude, sp.opening_hours)
             IS DISTINCT FROM (d.city, d.district, d.latitude, d.longitude, d.opening_hours)
       RETURNING sp.id
     )
     INSERT INTO service_point (partner_id, name, city, district, latitude, longitude, opening_hours)
     SELECT partner_id, name, city, district, latitude, longitude, opening_hours FROM d
     WHERE NOT EXISTS (SELECT 1 FROM service_point sp WHERE sp.partner_id = d.partner_id AND sp.name = d.name)
     ORDER BY ord`,
    [JSON.stringify(rows)],
  );
}

async function upsertPrices(client: ClientBase, plans: PartnerPlan[], ids: Map<string, number>): Promise<void> {
  const rows = plans.flatMap((p) =>
    p.prices.map((pr) => ({ ord: 0, partner_id: ids.get(p.slug)!, service_type: pr.serviceType, unit: pr.unit, price_minor: pr.priceMinor })),
  );
  rows.forEach((r, i) => (r.ord = i));
  await client.query(
    `INSERT INTO price_list_item (partner_id, service_type, unit, price_minor)
     SELECT partner_id, service_type, unit, price_minor
     FROM jsonb_to_recordset($1::jsonb) AS x(ord int, partner_id int, service_type text, unit text, price_minor bigint)
     ORDER BY ord
     ON CONFLICT (partner_id, service_type, unit) DO UPDATE SET price_minor = EXCLUDED.price_minor
     WHERE price_list_item.price_minor IS DISTINCT FROM EXCLUDED.price_minor`,
    [JSON.stringify(rows)],
  );
}

/**
 * Upserts everything in one transaction of its own and returns the ids the orders need. The
 * reference partner rows must exist already (loadReference).
 */
export async function upsertCatalogue(client: ClientBase, plans: PartnerPlan[]): Promise<CatalogueIds & { counts: CatalogueCounts }> {
  await client.query('BEGIN');
  try {
    await upsertSyntheticPartners(client, plans);
    const slugs = plans.map((p) => p.slug);
    const found = await client.query<{ id: number; slug: string }>('SELECT id, slug FROM partner WHERE slug = ANY($1::text[])', [slugs]);
    const partnerIds = new Map(found.rows.map((r) => [r.slug, r.id]));
    const missing = slugs.filter((s) => !partnerIds.has(s));
    if (missing.length > 0) throw new Error(`partners missing after upsert: ${missing.slice(0, 5).join(', ')}`);

    await upsertAgreements(client, plans, partnerIds);
    await upsertServicePoints(client, plans, partnerIds);
    await upsertPrices(client, plans, partnerIds);

    const points = await client.query<{ id: number; partner_id: number; name: string }>(
      'SELECT id, partner_id, name FROM service_point WHERE partner_id = ANY($1::int[])',
      [[...partnerIds.values()]],
    );
    const byKey = new Map(points.rows.map((r) => [`${r.partner_id}\u0001${r.name}`, r.id]));
    const pointIds = new Map<string, Map<string, number[]>>();
    for (const p of plans) {
      const byCity = new Map<string, number[]>();
      for (const sp of p.servicePoints) {
        const id = byKey.get(`${partnerIds.get(p.slug)}\u0001${sp.name}`);
        if (id === undefined) throw new Error(`service point ${sp.name} of ${p.slug} missing after upsert`);
        const list = byCity.get(sp.city) ?? [];
        list.push(id);
        byCity.set(sp.city, list);
      }
      pointIds.set(p.slug, byCity);
    }
    await client.query('COMMIT');
    return {
      partnerIds,
      pointIds,
      counts: {
        partners: plans.length,
        agreements: plans.length,
        servicePoints: plans.reduce((n, p) => n + p.servicePoints.length, 0),
        prices: plans.reduce((n, p) => n + p.prices.length, 0),
      },
    };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
