// Candidate partners for the screening score (001: service quality 40%, coverage 25%, cost 20%,
// integration 15%): about thirty prospects, each filling a capability gap (a service type), with
// the four inputs scored 0-100. Upserted on slug ('candidate-001'), never deleted.
import type { ClientBase } from 'pg';
import { CITIES, brand } from './names';
import { Rng } from './random';
import type { PartnerCategory } from './partners';

export const CANDIDATE_COUNT = 30;

const GAPS: Array<{ gap: string; category: PartnerCategory; industry: string; zh: string; weight: number }> = [
  { gap: 'COURTESY_CAR', category: 'CAPABILITY_COMPLEMENT', industry: 'car rental', zh: '租车', weight: 3 },
  { gap: 'ROAD_RESCUE', category: 'CAPABILITY_COMPLEMENT', industry: 'road rescue', zh: '救援', weight: 3 },
  { gap: 'INSURANCE', category: 'CAPABILITY_COMPLEMENT', industry: 'insurance', zh: '保险', weight: 2 },
  { gap: 'CONSUMER_FINANCE', category: 'CAPABILITY_COMPLEMENT', industry: 'consumer finance', zh: '金融', weight: 2 },
  { gap: 'USED_CAR', category: 'CAPABILITY_COMPLEMENT', industry: 'used cars', zh: '二手车', weight: 2 },
  { gap: 'CAR_WASH', category: 'CAPABILITY_COMPLEMENT', industry: 'car care', zh: '养车', weight: 2 },
  { gap: 'DRIVER_TRAINING', category: 'CAPABILITY_COMPLEMENT', industry: 'training', zh: '驾培', weight: 1 },
  { gap: 'TELEMATICS', category: 'CAPABILITY_COMPLEMENT', industry: 'telematics', zh: '车联网', weight: 2 },
  { gap: 'CHARGING', category: 'RESOURCE_SHARING', industry: 'charging', zh: '充电', weight: 3 },
  { gap: 'LOGISTICS', category: 'RESOURCE_SHARING', industry: 'logistics', zh: '物流', weight: 2 },
  { gap: 'QUICK_SERVICE', category: 'RESOURCE_SHARING', industry: 'retail', zh: '便利服务', weight: 2 },
  { gap: 'MAPS', category: 'RESOURCE_SHARING', industry: 'maps', zh: '地图', weight: 1 },
  { gap: 'CLOUD', category: 'RESOURCE_SHARING', industry: 'cloud', zh: '云计算', weight: 1 },
  { gap: 'MEMBERSHIP', category: 'TRAFFIC_EXCHANGE', industry: 'local services', zh: '会员', weight: 2 },
  { gap: 'MINI_PROGRAM', category: 'TRAFFIC_EXCHANGE', industry: 'payments', zh: '小程序', weight: 1 },
  { gap: 'CONTENT', category: 'TRAFFIC_EXCHANGE', industry: 'social media', zh: '内容', weight: 1 },
  { gap: 'ONLINE_STORE', category: 'TRAFFIC_EXCHANGE', industry: 'e-commerce', zh: '电商', weight: 1 },
  { gap: 'AI_DIAGNOSIS', category: 'INNOVATION_CO_CREATION', industry: 'ai', zh: '智能', weight: 2 },
  { gap: 'RESEARCH', category: 'INNOVATION_CO_CREATION', industry: 'research', zh: '研究院', weight: 1 },
  { gap: 'INNOVATION_PILOT', category: 'INNOVATION_CO_CREATION', industry: 'startups', zh: '创新', weight: 1 },
];

export interface CandidatePlan {
  slug: string;
  name: string;
  category: PartnerCategory;
  industry: string;
  capabilityGap: string;
  cities: string[];
  serviceQuality: string;
  coverage: string;
  cost: string;
  integration: string;
}

const score = (rng: Rng, lo: number, hi: number) => (Math.round(rng.range(lo, hi) * 100) / 100).toFixed(2);

export function planCandidates(seed: number): CandidatePlan[] {
  const out: CandidatePlan[] = [];
  const names = new Set<string>();
  for (let k = 1; k <= CANDIDATE_COUNT; k++) {
    const rng = Rng.stream(seed, 'candidate', k);
    const g = rng.weighted(GAPS, (x) => x.weight);
    let name = brand(rng).zh + g.zh;
    while (names.has(name)) name = brand(rng).zh + g.zh;
    names.add(name);
    const cityCount = rng.chance(0.3) ? CITIES.length : rng.int(1, 6);
    const cities = rng.sample(CITIES, cityCount).map((c) => c.name);
    // Coverage follows the number of cities; the other inputs are independent.
    const coverage = Math.min(100, (cityCount / CITIES.length) * 70 + rng.range(5, 30));
    out.push({
      slug: `candidate-${String(k).padStart(3, '0')}`,
      name,
      category: g.category,
      industry: g.industry,
      capabilityGap: g.gap,
      cities,
      serviceQuality: score(rng, 45, 98),
      coverage: coverage.toFixed(2),
      cost: score(rng, 30, 95),
      integration: score(rng, 10, 95),
    });
  }
  return out;
}

export async function upsertCandidates(client: ClientBase, plans: CandidatePlan[]): Promise<number> {
  const rows = plans.map((c, ord) => ({
    ord,
    slug: c.slug,
    name: c.name,
    category: c.category,
    industry: c.industry,
    capability_gap: c.capabilityGap,
    cities: c.cities,
    service_quality: c.serviceQuality,
    coverage: c.coverage,
    cost: c.cost,
    integration: c.integration,
  }));
  await client.query(
    `INSERT INTO candidate_partner (slug, name, category, industry, capability_gap, cities, service_quality, coverage, cost, integration)
     SELECT slug, name, category, industry, capability_gap, cities, service_quality, coverage, cost, integration
     FROM jsonb_to_recordset($1::jsonb) AS x(ord int, slug text, name text, category text, industry text, capability_gap text,
          cities text[], service_quality numeric, coverage numeric, cost numeric, integration numeric)
     ORDER BY ord
     ON CONFLICT (slug) DO UPDATE SET
       name = EXCLUDED.name, category = EXCLUDED.category, industry = EXCLUDED.industry, capability_gap = EXCLUDED.capability_gap,
       cities = EXCLUDED.cities, service_quality = EXCLUDED.service_quality, coverage = EXCLUDED.coverage,
       cost = EXCLUDED.cost, integration = EXCLUDED.integration
     WHERE (candidate_partner.name, candidate_partner.category, candidate_partner.industry, candidate_partner.capability_gap,
            candidate_partner.cities, candidate_partner.service_quality, candidate_partner.coverage, candidate_partner.cost,
            candidate_partner.integration)
       IS DISTINCT FROM
           (EXCLUDED.name, EXCLUDED.category, EXCLUDED.industry, EXCLUDED.capability_gap, EXCLUDED.cities,
            EXCLUDED.service_quality, EXCLUDED.coverage, EXCLUDED.cost, EXCLUDED.integration)`,
    [JSON.stringify(rows)],
  );
  return rows.length;
}
