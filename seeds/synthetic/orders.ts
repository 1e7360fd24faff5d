// The order simulation: day by day through the window, each order gets a time, a partner (by
// popularity among the partners active that day), one of its service types, one of its cities,
// a customer of that city who had signed up by then, one of the partner's service points there,
// a channel, a status, a response time around the partner's SLA and an amount from its price list.
// The same pass decides the order's rating and complaint, so ratings and complaints are produced by
// running the deterministic simulation again (no buffering: memory stays flat at any size).
import { copyText, copyRow, NULL } from './copy';
import { DAY_MS, MONTH_OF_DAY, MONTH_START_DAY, WINDOW_DAYS, WINDOW_END_MS, WINDOW_MONTHS, WINDOW_START_MS, timestampText } from './calendar';
import type { CustomerIndex } from './customers';
import type { QualityThresholds } from '../../src/metrics/quality/quality-tier.sql';
import { CITIES, cityIndex } from './names';
import type { PartnerPlan } from './partners';
import { Cumulative, Rng } from './random';
import { serviceTypeSpec } from './service-types';
import { dailyOrderCounts, onlineShare } from './volume';

export const ORDER_COLUMNS = [
  'id', 'customer_id', 'partner_id', 'service_point_id', 'service_type', 'city', 'channel', 'status',
  'created_at', 'fulfilled_at', 'response_minutes', 'amount_minor',
] as const;
export const RATING_COLUMNS = ['id', 'order_id', 'partner_id', 'customer_id', 'score', 'comment', 'created_at'] as const;
export const COMPLAINT_COLUMNS = [
  'id', 'order_id', 'partner_id', 'customer_id', 'category', 'description', 'resolved', 'created_at', 'resolved_at',
] as const;

/** Share of fulfilled orders that get a rating. */
const RATING_SHARE = 0.6;
/** Orders an anchor partner needs in a month to be rated for a tier with near certainty. */
const FLOOR_PER_MIN_ORDER = 2.9;
/** Anchors' guaranteed volume never takes more than this share of a month's orders. */
const FLOOR_CAP = 0.6;

interface SimPartner {
  id: number;
  plan: PartnerPlan;
  types: string[];
  typeCum: Cumulative;
  price: number[];
  kmPrice: number[];
  quantity: Array<[number, number]>;
  duration: Array<[number, number, boolean]>;
  cities: number[];
  cityCum: Cumulative;
  points: Int32Array[];
  sla: number;
}

export interface SimulationInput {
  seed: number;
  orders: number;
  plans: PartnerPlan[];
  partnerIds: Map<string, number>;
  pointIds: Map<string, Map<string, number[]>>;
  customers: CustomerIndex;
  /** The tier rules: anchors' volume is sized for minOrders; yellow cards trigger rectification. */
  thresholds: Pick<QualityThresholds, 'minOrders' | 'bronzeRating' | 'bronzeComplaintRate'>;
}

/** One simulated order with its rating and complaint decisions (the object is reused). */
export interface OrderEvent {
  id: number;
  customerId: number;
  partnerId: number;
  servicePointId: number; // 0 = none
  serviceType: string;
  city: string;
  channel: 'ONLINE' | 'OFFLINE';
  status: 'CREATED' | 'IN_PROGRESS' | 'FULFILLED' | 'CANCELLED';
  createdAt: number;
  fulfilledAt: number; // 0 = null
  responseMinutes: number; // -1 = null
  amount: number;
  ratingScore: number; // 0 = not rated
  ratingComment: string | null;
  ratedAt: number;
  complaintCategory: string | null; // null = no complaint
  complaintDescription: string | null;
  complainedAt: number;
  resolvedAt: number; // 0 = unresolved
}

const HOURS = [0.3, 0.2, 0.15, 0.15, 0.2, 0.4, 0.9, 1.8, 2.8, 3.2, 3.3, 3.2, 3.0, 3.0, 3.1, 3.2, 3.3, 3.5, 3.6, 3.3, 2.6, 1.9, 1.2, 0.6];
const HOUR_CUM = new Cumulative(HOURS);

const COMMENTS: Record<number, string[]> = {
  5: ['服务很专业，响应很快', '非常满意，下次还会选择', '师傅很耐心，点赞', '准时到达，体验很好', '价格透明，服务周到', '"五星"好评，推荐'],
  4: ['整体不错，稍有等待', '服务可以，价格略高', '还行，沟通顺畅', '挺好的，就是预约流程有点繁琐'],
  3: ['一般，等待时间有点长', '服务中规中矩', '价格偏高，体验一般'],
  2: ['响应太慢，体验较差', '服务态度一般，需要改进', '到场后才告知额外收费'],
  1: ['非常失望，迟到很久', '问题没有解决，不推荐', '电话一直打不通'],
};
const COMPLAINT_CATEGORIES = ['SERVICE_QUALITY', 'DELAY', 'PRICING', 'DAMAGE', 'OTHER'] as const;
const CATEGORY_WEIGHTS_LATE = new Cumulative([20, 50, 10, 8, 12]);
const CATEGORY_WEIGHTS_ON_TIME = new Cumulative([40, 12, 22, 10, 16]);
const DESCRIPTIONS: Record<string, string[]> = {
  SERVICE_QUALITY: ['服务不到位，问题没有解决', '工作人员态度差', '服务流程不规范'],
  DELAY: ['超过约定时间仍未到达', '等待时间过长', '多次改约'],
  PRICING: ['实际收费高于报价', '存在未告知的附加费用', '退款迟迟未到账'],
  DAMAGE: ['车辆外观有新划痕', '车内物品损坏', '轮毂有磕碰'],
  OTHER: ['发票开具有误', '客服电话无法接通', '个人信息被重复索取'],
};
/** Rating distribution of unhappy customers (scores 5..1), mean 2.95; mixed with all-5s. */
const LOW_SCORES = new Cumulative([0.1, 0.25, 0.3, 0.2, 0.15]);

function buildPartners(input: SimulationInput): SimPartner[] {
  const out: SimPartner[] = [];
  for (const plan of input.plans) {
    const types = plan.serviceTypes.filter((t) => serviceTypeSpec(t).demand > 0);
    const cities = plan.cities.filter((c) => CITIES.some((x) => x.name === c)).map(cityIndex);
    if (types.length === 0 || cities.length === 0) continue;
    const id = input.partnerIds.get(plan.slug);
    if (id === undefined) throw new Error(`no id for partner ${plan.slug}`);
    const priceOf = (type: string, unit: string) => plan.prices.find((p) => p.serviceType === type && p.unit === unit)?.priceMinor ?? 0;
    const byCity = input.pointIds.get(plan.slug) ?? new Map<string, number[]>();
    out.push({
      id,
      plan,
      types,
      typeCum: new Cumulative(types.map((t) => serviceTypeSpec(t).demand)),
      price: types.map((t) => priceOf(t, serviceTypeSpec(t).unit) || serviceTypeSpec(t).price),
      kmPrice: types.map((t) => priceOf(t, 'PER_KM')),
      quantity: types.map((t) => serviceTypeSpec(t).quantity),
      duration: types.map((t) => {
        const s = serviceTypeSpec(t);
        return [s.duration[0], s.duration[1], s.durationPerUnit === true];
      }),
      cities,
      cityCum: new Cumulative(cities.map((c) => CITIES[c]!.weight)),
      points: cities.map((c) => Int32Array.from(byCity.get(CITIES[c]!.name) ?? [])),
      sla: plan.agreement.slaResponseMinutes,
    });
  }
  return out;
}

function demandFactor(p: SimPartner): number {
  let max = 0;
  for (const t of p.types) max = Math.max(max, serviceTypeSpec(t).demand);
  return Math.sqrt(max / 10);
}

/** A partner's weight on a day: 0 outside its agreement, ramping up over its first 60 days. */
function activeWeight(p: SimPartner, base: number, day: number): number {
  const { joinDay, endDay } = p.plan.profile;
  if (day < joinDay || day >= endDay) return 0;
  if (joinDay < 0) return base;
  return base * Math.min(1, 0.25 + (0.75 * (day - joinDay)) / 60);
}

/**
 * Per-day cumulative partner weights. Anchors whose natural volume in a month would be too small
 * to earn a tier get a fixed share (a floor of minOrders * 2.9 orders) in priority order, within
 * FLOOR_CAP of the month's orders; everyone else shares the rest by popularity.
 */
function dailyPartnerTables(partners: SimPartner[], dayCounts: Int32Array, minOrders: number): Cumulative[] {
  const base = partners.map((p) => p.plan.profile.popularity * demandFactor(p));
  const floor = Math.ceil(minOrders * FLOOR_PER_MIN_ORDER);
  const anchors = partners
    .map((p, i) => ({ p, i }))
    .filter(({ p }) => p.plan.profile.floorPriority >= 0)
    .sort((a, b) => a.p.plan.profile.floorPriority - b.p.plan.profile.floorPriority);

  const fixed: Float64Array[] = []; // per month: fixed share per partner index (0 = none)
  for (let m = 0; m < WINDOW_MONTHS; m++) {
    const share = new Float64Array(partners.length);
    let volume = 0;
    for (let d = MONTH_START_DAY[m]!; d < MONTH_START_DAY[m + 1]!; d++) volume += dayCounts[d]!;
    if (volume > 0) {
      const mid = (MONTH_START_DAY[m]! + MONTH_START_DAY[m + 1]!) >> 1;
      let total = 0;
      for (let i = 0; i < partners.length; i++) total += activeWeight(partners[i]!, base[i]!, mid);
      let used = 0;
      for (const { p, i } of anchors) {
        if (m < p.plan.profile.floorFromMonth || activeWeight(p, 1, mid) === 0) continue;
        const natural = (volume * base[i]!) / total;
        if (natural >= floor || used + floor > FLOOR_CAP * volume) continue;
        share[i] = floor / volume;
        used += floor;
      }
    }
    fixed.push(share);
  }

  const tables: Cumulative[] = [];
  const weights = new Float64Array(partners.length);
  for (let d = 0; d < WINDOW_DAYS; d++) {
    const share = fixed[MONTH_OF_DAY[d]!]!;
    let fixedTotal = 0;
    let restTotal = 0;
    for (let i = 0; i < partners.length; i++) {
      if (share[i]! > 0) fixedTotal += share[i]!;
      else restTotal += activeWeight(partners[i]!, base[i]!, d);
    }
    for (let i = 0; i < partners.length; i++) {
      weights[i] = share[i]! > 0 ? share[i]! : restTotal > 0 ? ((1 - fixedTotal) * activeWeight(partners[i]!, base[i]!, d)) / restTotal : 0;
    }
    tables.push(new Cumulative(weights));
  }
  return tables;
}

/** Mean-preserving score: 5 with probability λ, otherwise from the unhappy distribution. */
function score(rng: Rng, mean: number): number {
  const lambda = (mean - 2.95) / 2.05;
  if (rng.next() < lambda) return 5;
  return 5 - LOW_SCORES.index(rng.next());
}

/** All orders of the window in id (= time) order, with their rating and complaint decisions. */
export function* simulateOrders(input: SimulationInput): Generator<OrderEvent> {
  const partners = buildPartners(input);
  if (partners.length === 0) throw new Error('no partner can take orders');
  const dayCounts = dailyOrderCounts(input.orders);
  const { minOrders, bronzeRating, bronzeComplaintRate } = input.thresholds;
  const tables = dailyPartnerTables(partners, dayCounts, minOrders);
  const rng = Rng.stream(input.seed, 'orders');
  const byCity = input.customers.byCity;
  const available = new Int32Array(CITIES.length);

  const e: OrderEvent = {
    id: 0, customerId: 0, partnerId: 0, servicePointId: 0, serviceType: '', city: '', channel: 'OFFLINE', status: 'FULFILLED',
    createdAt: 0, fulfilledAt: 0, responseMinutes: -1, amount: 0, ratingScore: 0, ratingComment: null, ratedAt: 0,
    complaintCategory: null, complaintDescription: null, complainedAt: 0, resolvedAt: 0,
  };
  // The month's figures per partner, as the tier SQL will see them. A partner that earns a yellow
  // card rectifies: better ratings and fewer complaints for the next two months (001: YELLOW_CARD
  // = suspended, must rectify). The scripted anchors do not; that is how three of them exit.
  const monthOrders = new Int32Array(partners.length);
  const monthRated = new Int32Array(partners.length);
  const monthScore = new Int32Array(partners.length);
  const monthComplaints = new Int32Array(partners.length);
  const rectify = new Int8Array(partners.length);
  const canRectify = partners.map((p) => p.plan.profile.role === 'REGULAR' || p.plan.profile.role === 'REFERENCE');
  const closeMonth = () => {
    for (let i = 0; i < partners.length; i++) {
      if (rectify[i]! > 0) rectify[i]!--;
      const rated = monthRated[i]!;
      if (canRectify[i] && rated >= minOrders) {
        const yellow = monthScore[i]! <= bronzeRating * rated || monthComplaints[i]! >= bronzeComplaintRate * monthOrders[i]!;
        if (yellow) rectify[i] = 2;
      }
    }
    monthOrders.fill(0);
    monthRated.fill(0);
    monthScore.fill(0);
    monthComplaints.fill(0);
  };

  let id = 0;
  let month = 0;
  for (let d = 0; d < WINDOW_DAYS; d++) {
    const m = MONTH_OF_DAY[d]!;
    if (m !== month) {
      closeMonth();
      month = m;
    }
    const n = dayCounts[d]!;
    if (n === 0) continue;
    const table = tables[d]!;
    const online = onlineShare(d);
    const dayStart = WINDOW_START_MS + d * DAY_MS;
    const seconds = new Int32Array(n);
    for (let k = 0; k < n; k++) seconds[k] = HOUR_CUM.index(rng.next()) * 3600 + Math.floor(rng.next() * 3600);
    seconds.sort();

    for (let k = 0; k < n; k++) {
      const created = dayStart + seconds[k]! * 1000;
      const pi = table.index(rng.next());
      const p = partners[pi]!;
      const profile = p.plan.profile;
      const rectifying = rectify[pi]! > 0;
      const meanRating = rectifying ? Math.max(profile.rating[m]!, Math.min(4.85, profile.rating[m]! + 0.4)) : profile.rating[m]!;
      const complaintRate = rectifying ? profile.complaint[m]! * 0.35 : profile.complaint[m]!;
      const ti = p.typeCum.index(rng.next());
      const ci = p.cityCum.index(rng.next());
      const c = p.cities[ci]!;

      // A customer of that city who had signed up by then.
      const times = byCity[c]!.times;
      let avail = available[c]!;
      while (avail < times.length && times[avail]! <= created) avail++;
      available[c] = avail;
      const customerId = avail > 0 ? byCity[c]!.ids[Math.floor(rng.next() * avail)]! : 1;

      const points = p.points[ci]!;
      const pointId = points.length > 0 ? points[Math.floor(rng.next() * points.length)]! : 0;

      const [qMin, qMax] = p.quantity[ti]!;
      const qty = qMin === qMax ? qMin : rng.int(qMin, qMax);
      let amount = Math.round(p.price[ti]! * qty * rng.range(0.92, 1.08));
      if (p.kmPrice[ti]! > 0 && rng.next() < 0.5) amount += p.kmPrice[ti]! * rng.int(3, 40);

      const response = Math.max(1, Math.round(p.sla * profile.response[m]! * rng.range(0.5, 1.4)));
      const [dMin, dMax, perUnit] = p.duration[ti]!;
      const duration = rng.range(dMin, dMax) * (perUnit ? qty : 1);
      const cancelled = rng.next() < profile.cancel;

      id++;
      e.id = id;
      e.customerId = customerId;
      e.partnerId = p.id;
      e.servicePointId = pointId;
      e.serviceType = p.types[ti]!;
      e.city = CITIES[c]!.name;
      e.channel = rng.next() < online ? 'ONLINE' : 'OFFLINE';
      e.createdAt = created;
      e.amount = amount;
      e.fulfilledAt = 0;
      e.responseMinutes = -1;
      const respondedAt = created + response * 60_000;
      const doneAt = Math.floor((respondedAt + duration * 60_000) / 1000) * 1000;
      if (cancelled) e.status = 'CANCELLED';
      else if (respondedAt >= WINDOW_END_MS) e.status = 'CREATED';
      else {
        e.responseMinutes = response;
        if (doneAt >= WINDOW_END_MS) e.status = 'IN_PROGRESS';
        else {
          e.status = 'FULFILLED';
          e.fulfilledAt = doneAt;
        }
      }

      // Rating: ~60% of fulfilled orders, written within three days of fulfilment.
      e.ratingScore = 0;
      e.ratingComment = null;
      const rated = rng.next() < RATING_SHARE;
      const s = score(rng, meanRating);
      const ratingDelay = 600_000 + Math.floor(rng.next() * rng.next() * 3 * DAY_MS / 1000) * 1000;
      const withComment = rng.next() < 0.35;
      const commentPick = rng.next();
      if (e.status === 'FULFILLED' && rated && e.fulfilledAt + ratingDelay < WINDOW_END_MS) {
        e.ratingScore = s;
        e.ratedAt = e.fulfilledAt + ratingDelay;
        if (withComment) {
          const pool = COMMENTS[s]!;
          e.ratingComment = pool[Math.floor(commentPick * pool.length)]!;
        }
        monthRated[pi]!++;
        monthScore[pi]! += s;
      }

      // Complaint: the partner's monthly complaint probability, on any order but a just-created one.
      e.complaintCategory = null;
      e.complaintDescription = null;
      e.resolvedAt = 0;
      const complains = rng.next() < complaintRate;
      const late = response > p.sla;
      const category = COMPLAINT_CATEGORIES[(late ? CATEGORY_WEIGHTS_LATE : CATEGORY_WEIGHTS_ON_TIME).index(rng.next())]!;
      const descPick = rng.next();
      const complaintDelay = 1_800_000 + Math.floor(rng.next() * 2 * DAY_MS / 1000) * 1000;
      const resolves = rng.next() < (complaintRate < 0.01 ? 0.92 : 0.75);
      const resolveDelay = 3_600_000 + Math.floor(rng.next() * rng.next() * 5 * DAY_MS / 1000) * 1000;
      const complainedAt = (e.status === 'CANCELLED' ? created : respondedAt - (respondedAt % 1000)) + complaintDelay;
      if (complains && e.status !== 'CREATED' && complainedAt < WINDOW_END_MS) {
        e.complaintCategory = category;
        e.complainedAt = complainedAt;
        if (descPick < 0.8) {
          const pool = DESCRIPTIONS[category]!;
          e.complaintDescription = pool[Math.floor((descPick / 0.8) * pool.length)]!;
        }
        if (resolves && complainedAt + resolveDelay < WINDOW_END_MS) e.resolvedAt = complainedAt + resolveDelay;
        monthComplaints[pi]!++;
      }
      monthOrders[pi]!++;
      yield e;
    }
  }
}

const num = (x: number) => String(x);

export function* orderLines(input: SimulationInput): Generator<string> {
  for (const e of simulateOrders(input)) {
    yield copyRow([
      num(e.id), num(e.customerId), num(e.partnerId), e.servicePointId > 0 ? num(e.servicePointId) : NULL, e.serviceType, copyText(e.city),
      e.channel, e.status, timestampText(e.createdAt), e.fulfilledAt > 0 ? timestampText(e.fulfilledAt) : NULL,
      e.responseMinutes >= 0 ? num(e.responseMinutes) : NULL, num(e.amount),
    ]);
  }
}

export function* ratingLines(input: SimulationInput, counter: { rows: number }): Generator<string> {
  for (const e of simulateOrders(input)) {
    if (e.ratingScore === 0) continue;
    counter.rows++;
    yield copyRow([num(counter.rows), num(e.id), num(e.partnerId), num(e.customerId), num(e.ratingScore), copyText(e.ratingComment), timestampText(e.ratedAt)]);
  }
}

export function* complaintLines(input: SimulationInput, counter: { rows: number }): Generator<string> {
  for (const e of simulateOrders(input)) {
    if (e.complaintCategory === null) continue;
    counter.rows++;
    yield copyRow([
      num(counter.rows), num(e.id), num(e.partnerId), num(e.customerId), e.complaintCategory, copyText(e.complaintDescription),
      e.resolvedAt > 0 ? 't' : 'f', timestampText(e.complainedAt), e.resolvedAt > 0 ? timestampText(e.resolvedAt) : NULL,
    ]);
  }
}
