// The questions the benchmark asks, as each server is asked them, with the checks applied to
// every answer. Shared by the harness (bench/run.ts) and the floor server (bench/floor/server.ts).

export type ScenarioId = 'partner' | 'dashboard' | 'typename' | 'customer' | 'order' | 'ownpartner' | 'pullwrites';
export type TargetId = 'ecograph-admin' | 'ecograph-partner' | 'ecograph-dashboard' | 'postgraphile' | 'floor';

// pullwrites last: its write load adds rows (outside what the other questions read) and load.
export const SCENARIOS: ScenarioId[] = ['partner', 'dashboard', 'typename', 'customer', 'order', 'ownpartner', 'pullwrites'];
/** The small requests a partner makes (one row by its key): `--only small` selects them. */
export const SMALL_SCENARIOS: ScenarioId[] = ['customer', 'order', 'ownpartner'];

export const SCENARIO_TITLES: Record<ScenarioId, string> = {
  partner: 'Partner pull: 100 customers with their 5 latest orders',
  dashboard: 'Dashboard: 24 months of monthly GMV by partner category',
  typename: 'Framework overhead: { __typename }',
  customer: 'Small request: one customer by id (customer(id:), the partner\'s pseudonym)',
  order: 'Small request: one service order by id (serviceOrder(id:))',
  ownpartner: 'Small request: the partner\'s own partner row (partner(slug:))',
  pullwrites: 'Partner pull while writes arrive: the same pull with a dispatch write load running',
};

/** The question a scenario asks: `pullwrites` asks the partner pull's (under a write load). */
export function questionOf(scenario: ScenarioId): ScenarioId {
  return scenario === 'pullwrites' ? 'partner' : scenario;
}

/**
 * The rows the small requests ask for, picked by the harness at run time: one consenting
 * customer the benchmark partner served (its pseudonym for that partner, and its real id for
 * PostGraphile), one of that partner's orders with this customer, and the partner's slug.
 */
export interface SmallIds {
  customerPseudonym: string;
  customerId: string;
  orderId: string;
  partnerSlug: string;
}

/** The dashboard window (the synthetic data covers exactly these 24 months). */
export const DASHBOARD_FROM = '2024-11-01';
export const DASHBOARD_TO = '2026-11-01';
export const BUSINESS_TIME_ZONE = 'Asia/Shanghai';

const one = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Ecograph's queries; the floor answers exactly these texts too. */
export const ECOGRAPH_QUERIES: Record<'partner' | 'dashboard' | 'typename', string> = {
  partner: one(`{ customers(first: 100) { nodes { id ageBand city district
      orders(first: 5, orderBy: [{ createdAt: DESC }]) { nodes { id serviceType amount createdAt status } } } } }`),
  dashboard: one(`{ ecosystemMetrics(from: "${DASHBOARD_FROM}", to: "${DASHBOARD_TO}", granularity: MONTH, groupBy: CATEGORY) {
      series { key points { period gmv } } } }`),
  typename: '{ __typename }',
};

/**
 * PostGraphile v5 (amber preset + pg-aggregates) equivalents. Field names as its schema has
 * them: the primary key column `id` is exposed as `rowId` (`id` is the global Node id), the
 * customer's orders are `serviceOrdersByCustomerId`, and the dashboard reads the bench view
 * `bench.service_order_with_category` (orders joined to their partner's category) grouped by
 * category and by our month truncation of created_at (PostGraphile prefixes the names of
 * resources outside its first schema: allBenchServiceOrderWithCategories).
 */
export const POSTGRAPHILE_QUERIES: Record<'partner' | 'dashboard' | 'typename', string> = {
  partner: one(`{ allCustomers(first: 100, orderBy: PRIMARY_KEY_ASC) { nodes { rowId birthDate city district
      serviceOrdersByCustomerId(first: 5, orderBy: CREATED_AT_DESC) { nodes { rowId serviceType amountMinor createdAt status } } } } }`),
  dashboard: one(`{ allBenchServiceOrderWithCategories(condition: { status: "FULFILLED" }) {
      groupedAggregates(groupBy: [CATEGORY, CREATED_AT_TRUNCATED_TO_MONTH]) { keys sum { amountMinor } } } }`),
  typename: '{ __typename }',
};

/** The small requests as Ecograph (partner key) is asked them. */
export function ecographSmallQuery(scenario: ScenarioId, ids: SmallIds): string {
  switch (scenario) {
    case 'customer':
      return `{ customer(id: ${JSON.stringify(ids.customerPseudonym)}) { id ageBand gender city district membershipLevel } }`;
    case 'order':
      return `{ serviceOrder(id: ${JSON.stringify(ids.orderId)}) { id serviceType city channel status createdAt amount } }`;
    case 'ownpartner':
      return `{ partner(slug: ${JSON.stringify(ids.partnerSlug)}) { id slug name category status qualityTier } }`;
    default:
      throw new Error(`${scenario} is not a small request`);
  }
}

/**
 * PostGraphile's equivalents: its unique-key lookups (`customerByRowId`, `serviceOrderByRowId`,
 * `partnerBySlug`). PostGraphile has no pseudonyms: the customer by its real id, and
 * `birthDate` in place of Ecograph's derived `ageBand` (as on the partner pull).
 */
export function postgraphileSmallQuery(scenario: ScenarioId, ids: SmallIds): string {
  switch (scenario) {
    case 'customer':
      return `{ customerByRowId(rowId: ${Number(ids.customerId)}) { rowId birthDate gender city district membershipLevel } }`;
    case 'order':
      return `{ serviceOrderByRowId(rowId: ${Number(ids.orderId)}) { rowId serviceType city channel status createdAt amountMinor } }`;
    case 'ownpartner':
      return `{ partnerBySlug(slug: ${JSON.stringify(ids.partnerSlug)}) { rowId slug name category status qualityTier } }`;
    default:
      throw new Error(`${scenario} is not a small request`);
  }
}

export function queryFor(target: TargetId, asked: ScenarioId, ids?: SmallIds): string {
  const scenario = questionOf(asked);
  if (SMALL_SCENARIOS.includes(scenario)) {
    if (!ids) throw new Error(`${scenario}: no rows picked for the small requests`);
    return target === 'postgraphile' ? postgraphileSmallQuery(scenario, ids) : ecographSmallQuery(scenario, ids);
  }
  return target === 'postgraphile' ? POSTGRAPHILE_QUERIES[scenario as keyof typeof POSTGRAPHILE_QUERIES] : ECOGRAPH_QUERIES[scenario as keyof typeof ECOGRAPH_QUERIES];
}

// ---------------------------------------------------------------------------------------
// Checks

/** A summary of an answer, compared across servers (same data, same question: same summary). */
export interface Summary {
  /** partner: customers returned; dashboard: groups (category × month) with a value. */
  rows: number;
  /** partner: orders returned in all; dashboard: total GMV in minor units. */
  total: string;
}

type Json = any;

function fail(why: string): never {
  throw new Error(why);
}

function minorOf(money: unknown): bigint {
  const s = String(money);
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) fail(`not a money value: ${s}`);
  const minor = BigInt(m[2]!) * 100n + BigInt((m[3] ?? '').padEnd(2, '0') || '0');
  return m[1] ? -minor : minor;
}

function partnerNodes(target: TargetId, data: Json): { customers: Json[]; ordersOf: (c: Json) => Json[] } {
  if (target === 'postgraphile') {
    const customers = data?.allCustomers?.nodes;
    return { customers, ordersOf: (c) => c?.serviceOrdersByCustomerId?.nodes };
  }
  return { customers: data?.customers?.nodes, ordersOf: (c) => c?.orders?.nodes };
}

/**
 * Checks a parsed answer in depth and summarises it; throws with the reason when it is wrong.
 * `expectRows` is the number of customers expected on the partner pull (100 unless the partner
 * has fewer).
 */
export function checkAnswer(target: TargetId, asked: ScenarioId, body: Json, expectRows = 100): Summary {
  const scenario = questionOf(asked);
  if (!body || typeof body !== 'object') fail('not a JSON object');
  if (body.errors) fail(`errors: ${JSON.stringify(body.errors).slice(0, 300)}`);
  const data = body.data;
  if (!data) fail('no data');
  if (scenario === 'typename') {
    if (data.__typename !== 'Query') fail(`__typename is ${String(data.__typename)}`);
    return { rows: 1, total: '0' };
  }
  if (scenario === 'customer') {
    const c = target === 'postgraphile' ? data.customerByRowId : data.customer;
    if (!c || typeof c !== 'object') fail('no customer');
    if (!c.city || !c.district) fail('a customer without city or district');
    if (target !== 'postgraphile' && !/^\d+-\d+$/.test(String(c.ageBand))) fail(`ageBand is ${String(c.ageBand)}`);
    return { rows: 1, total: `${c.city}|${c.district}|${c.gender}|${c.membershipLevel}` };
  }
  if (scenario === 'order') {
    const o = target === 'postgraphile' ? data.serviceOrderByRowId : data.serviceOrder;
    if (!o || typeof o !== 'object') fail('no service order');
    if (!o.serviceType || !o.status || !o.createdAt) fail('an order without its fields');
    const amount = target === 'postgraphile' ? String(o.amountMinor) : String(minorOf(o.amount));
    return { rows: 1, total: `${o.serviceType}|${o.city}|${o.channel}|${o.status}|${Date.parse(o.createdAt)}|${amount}` };
  }
  if (scenario === 'ownpartner') {
    const p = target === 'postgraphile' ? data.partnerBySlug : data.partner;
    if (!p || typeof p !== 'object') fail('no partner');
    if (!p.slug || !p.name) fail('a partner without slug or name');
    return { rows: 1, total: `${p.slug}|${p.name}|${p.category}|${p.status}|${p.qualityTier}` };
  }
  if (scenario === 'partner') {
    const { customers, ordersOf } = partnerNodes(target, data);
    if (!Array.isArray(customers)) fail('no customer nodes');
    if (customers.length !== expectRows) fail(`${customers.length} customers instead of ${expectRows}`);
    let orders = 0;
    for (const c of customers) {
      const list = ordersOf(c);
      if (!Array.isArray(list) || list.length > 5) fail('a customer without an order list of at most 5');
      for (let i = 0; i < list.length; i++) {
        const o = list[i];
        if (!o || !o.createdAt || !o.serviceType || !o.status) fail('an order without its fields');
        if (i > 0 && Date.parse(list[i - 1].createdAt) < Date.parse(o.createdAt)) fail('orders not newest first');
      }
      orders += list.length;
    }
    return { rows: customers.length, total: String(orders) };
  }
  // dashboard
  if (target === 'postgraphile') {
    const groups = data?.allBenchServiceOrderWithCategories?.groupedAggregates;
    if (!Array.isArray(groups) || groups.length === 0) fail('no groupedAggregates');
    let total = 0n;
    for (const g of groups) {
      if (!Array.isArray(g.keys) || g.keys.length !== 2) fail('a group without its two keys');
      total += BigInt(g.sum?.amountMinor ?? 0);
    }
    return { rows: groups.length, total: String(total) };
  }
  const series = data?.ecosystemMetrics?.series;
  if (!Array.isArray(series) || series.length === 0) fail('no series');
  let total = 0n;
  let rows = 0;
  for (const s of series) {
    if (!s.key || !Array.isArray(s.points)) fail('a series without key or points');
    for (const p of s.points) {
      if (!p.period) fail('a point without its period');
      if (p.gmv !== null && p.gmv !== undefined) {
        total += minorOf(p.gmv);
        rows++;
      }
    }
  }
  return { rows, total: String(total) };
}

/**
 * The check applied to every response under load: cheap (no parse) on each, in depth on one
 * in `sampleEvery`. Returns false for a wrong answer (autocannon counts it as a mismatch).
 */
export function makeVerifier(
  target: TargetId,
  scenario: ScenarioId,
  expectRows: number,
  sampleEvery = 20,
): { verify: (body: string) => boolean; failures: string[] } {
  let n = 0;
  const failures: string[] = [];
  const verify = (body: string): boolean => {
    n++;
    if (!body.startsWith('{"data"') || body.includes('"errors"')) {
      if (failures.length < 5) failures.push(body.slice(0, 300));
      return false;
    }
    if (n % sampleEvery !== 1) return true;
    try {
      checkAnswer(target, scenario, JSON.parse(body), expectRows);
      return true;
    } catch (err) {
      if (failures.length < 5) failures.push((err as Error).message);
      return false;
    }
  };
  return { verify, failures };
}
