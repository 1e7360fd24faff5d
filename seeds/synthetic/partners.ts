// Partners of the synthetic ecosystem: the reference partners of 001 plus numbered synthetic
// ones ('partner-0042'), each with its agreement, service points and price list, and a hidden
// profile (popularity, join date, monthly rating / complaint levels) that drives the orders.
//
// Partner k's attributes depend only on (seed, k), not on the size of the run, so a larger run
// extends a smaller one. The monthly quality of a few 'anchor' partners is scripted so that every
// run shows the whole tier ladder: GOLD partners, partners with isolated YELLOW_CARD months, and
// three partners whose last months are yellow cards in a row (EXITED at the end of the window).
import type { ReferencePartner } from '../reference/reference.types';
import { CITIES, brand, cityIndex } from './names';
import { Rng } from './random';
import { FOUNDING_DATE, MONTH_START_DAY, WINDOW_DAYS, WINDOW_MONTHS, dayDate, dayIndex } from './calendar';
import { partnerPrice, serviceTypeSpec, settlementKind, type PriceUnit } from './service-types';

export type PartnerCategory = ReferencePartner['category'];
export type ApiOpenness = ReferencePartner['apiOpenness'];
export type Role = 'REFERENCE' | 'REGULAR' | 'GOLD' | 'DECLINER' | 'WOBBLY';

export interface AgreementPlan {
  slaResponseMinutes: number;
  serviceStandard: string;
  pricingModel: 'PER_USE' | 'MONTHLY' | 'YEARLY';
  priceMinor: number;
  settlementModel: 'COMMISSION' | 'REVENUE_SHARE' | 'PLATFORM_FEE';
  commissionRate: string | null;
  revenueShareRate: string | null;
  monthlyFeeMinor: number | null;
  dataTier: 'PUBLIC' | 'ANONYMIZED';
  exclusive: boolean;
  liability: string;
  validFrom: string;
  validTo: string | null;
}

export interface ServicePointPlan {
  /** Natural key with the partner: stable for (partner, city, number). */
  name: string;
  city: string;
  district: string;
  latitude: string;
  longitude: string;
  openingHours: string;
}

export interface PricePlan {
  serviceType: string;
  unit: PriceUnit;
  priceMinor: number;
}

export interface PartnerProfile {
  role: Role;
  /** Relative share of orders among active partners. */
  popularity: number;
  /** Day index (from the window start) of the first possible order; negative = before the window. */
  joinDay: number;
  /** Exclusive day index after the last possible order (agreement valid_to + 1 day). */
  endDay: number;
  /** Per month of the window: target mean rating, complaint probability, response time factor. */
  rating: number[];
  complaint: number[];
  response: number[];
  cancel: number;
  /** Anchors: the months in which they get a guaranteed minimum of orders, in priority order. */
  floorPriority: number;
  floorFromMonth: number;
}

export interface PartnerPlan {
  slug: string;
  name: string;
  nameEn: string;
  category: PartnerCategory;
  industry: string;
  serviceTypes: string[];
  cities: string[];
  apiOpenness: ApiOpenness;
  description: string;
  joinedOn: string;
  reference: boolean;
  agreement: AgreementPlan;
  servicePoints: ServicePointPlan[];
  prices: PricePlan[];
  profile: PartnerProfile;
}

/** Never more than this many partners in total (reference + synthetic). */
export const MAX_PARTNERS = 200;
/** Always at least this many synthetic partners (the anchors are among the first ones). */
export const MIN_SYNTHETIC = 24;

/** About one synthetic partner per 100 orders, between MIN_SYNTHETIC and MAX_PARTNERS in total. */
export function syntheticPartnerCount(orders: number, referenceCount: number): number {
  return Math.max(MIN_SYNTHETIC, Math.min(Math.round(orders / 100), MAX_PARTNERS - referenceCount));
}

export function syntheticSlug(k: number): string {
  return `partner-${String(k).padStart(4, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Archetypes of synthetic partners per category

interface Archetype {
  category: PartnerCategory;
  industry: string;
  types: string[];
  /** Optional extra type offered by some. */
  optional?: string;
  zh: string;
  en: string;
  weight: number;
}

const ARCHETYPES: Archetype[] = [
  { category: 'CAPABILITY_COMPLEMENT', industry: 'car rental', types: ['COURTESY_CAR'], zh: '租车', en: 'Car Rental', weight: 6 },
  { category: 'CAPABILITY_COMPLEMENT', industry: 'road rescue', types: ['ROAD_RESCUE'], optional: 'QUICK_SERVICE', zh: '道路救援', en: 'Road Rescue', weight: 6 },
  { category: 'CAPABILITY_COMPLEMENT', industry: 'insurance', types: ['INSURANCE'], zh: '保险代理', en: 'Insurance Agency', weight: 4 },
  { category: 'CAPABILITY_COMPLEMENT', industry: 'consumer finance', types: ['CONSUMER_FINANCE'], zh: '消费金融', en: 'Consumer Finance', weight: 3 },
  { category: 'CAPABILITY_COMPLEMENT', industry: 'used cars', types: ['USED_CAR'], zh: '二手车', en: 'Used Cars', weight: 3 },
  { category: 'CAPABILITY_COMPLEMENT', industry: 'car care', types: ['CAR_WASH'], optional: 'QUICK_SERVICE', zh: '汽车美容', en: 'Car Care', weight: 8 },
  { category: 'CAPABILITY_COMPLEMENT', industry: 'auto repair', types: ['QUICK_SERVICE'], optional: 'CAR_WASH', zh: '汽修连锁', en: 'Auto Repair', weight: 7 },
  { category: 'CAPABILITY_COMPLEMENT', industry: 'training', types: ['DRIVER_TRAINING'], zh: '驾驶培训', en: 'Driver Training', weight: 2 },
  { category: 'CAPABILITY_COMPLEMENT', industry: 'telematics', types: ['TELEMATICS'], zh: '车联科技', en: 'Telematics', weight: 2 },
  { category: 'RESOURCE_SHARING', industry: 'charging', types: ['CHARGING'], zh: '充电', en: 'Charging', weight: 9 },
  { category: 'RESOURCE_SHARING', industry: 'logistics', types: ['LOGISTICS'], zh: '物流', en: 'Logistics', weight: 5 },
  { category: 'RESOURCE_SHARING', industry: 'fuel retail', types: ['QUICK_SERVICE'], optional: 'CHARGING', zh: '能源服务站', en: 'Energy Stations', weight: 3 },
  { category: 'RESOURCE_SHARING', industry: 'maps', types: ['MAPS'], zh: '导航', en: 'Navigation', weight: 1 },
  { category: 'RESOURCE_SHARING', industry: 'cloud', types: ['CLOUD'], zh: '云服务', en: 'Cloud', weight: 1 },
  { category: 'TRAFFIC_EXCHANGE', industry: 'local services', types: ['MEMBERSHIP'], optional: 'SERVICE_ENTRY', zh: '生活服务', en: 'Local Services', weight: 4 },
  { category: 'TRAFFIC_EXCHANGE', industry: 'e-commerce', types: ['ONLINE_STORE'], zh: '优选商城', en: 'Online Mall', weight: 4 },
  { category: 'TRAFFIC_EXCHANGE', industry: 'payments', types: ['PAYMENT', 'MINI_PROGRAM'], zh: '支付', en: 'Pay', weight: 1 },
  { category: 'TRAFFIC_EXCHANGE', industry: 'social media', types: ['CONTENT'], zh: '传媒', en: 'Media', weight: 2 },
  { category: 'INNOVATION_CO_CREATION', industry: 'ai', types: ['AI_DIAGNOSIS'], zh: '智能科技', en: 'AI', weight: 3 },
  { category: 'INNOVATION_CO_CREATION', industry: 'startups', types: ['INNOVATION_PILOT'], zh: '创新实验室', en: 'Innovation Lab', weight: 1 },
  { category: 'INNOVATION_CO_CREATION', industry: 'research', types: ['RESEARCH'], zh: '研究院', en: 'Research Institute', weight: 1 },
];

/** Anchors are high-volume consumer services present in many cities. */
const ANCHOR_ARCHETYPES = ARCHETYPES.filter((a) => ['car care', 'charging', 'auto repair', 'road rescue', 'car rental'].includes(a.industry));

/** Anchor roles in priority order of their guaranteed order volume (small runs fit the first ones). */
const ANCHOR_ROLES: Array<{ role: Role; index: number }> = [
  { role: 'DECLINER', index: 0 },
  { role: 'GOLD', index: 0 },
  { role: 'DECLINER', index: 1 },
  { role: 'WOBBLY', index: 0 },
  { role: 'GOLD', index: 1 },
  { role: 'DECLINER', index: 2 },
  { role: 'WOBBLY', index: 1 },
];

// ---------------------------------------------------------------------------------------------
// Quality profiles

interface QualityClass {
  rating: [number, number];
  complaint: [number, number];
  cancel: [number, number];
  response: [number, number];
  weight: number;
}

const EXCELLENT: QualityClass = { rating: [4.86, 4.97], complaint: [0.0008, 0.0035], cancel: [0.03, 0.05], response: [0.55, 0.8], weight: 20 };
const GOOD: QualityClass = { rating: [4.55, 4.84], complaint: [0.003, 0.008], cancel: [0.04, 0.06], response: [0.7, 0.95], weight: 40 };
const FAIR: QualityClass = { rating: [4.2, 4.5], complaint: [0.005, 0.01], cancel: [0.05, 0.08], response: [0.85, 1.1], weight: 30 };
const WEAK: QualityClass = { rating: [4.12, 4.25], complaint: [0.008, 0.012], cancel: [0.07, 0.1], response: [1.0, 1.3], weight: 10 };
const REGULAR_CLASSES = [EXCELLENT, GOOD, FAIR, WEAK];
const REFERENCE_CLASSES = [
  { ...EXCELLENT, weight: 45 },
  { ...GOOD, weight: 45 },
  { ...FAIR, weight: 10 },
];

/** Long-tailed popularity 1 / (a + u)^2: a few partners take a large share of the orders. */
const longTail = (a: number, u: number) => 1 / ((a + u) * (a + u));
const months = (f: (m: number) => number) => Array.from({ length: WINDOW_MONTHS }, (_, m) => f(m));
const clampRating = (x: number) => Math.min(4.985, Math.max(2.95, x));

function regularProfile(rng: Rng, cls: QualityClass): Pick<PartnerProfile, 'rating' | 'complaint' | 'response' | 'cancel'> {
  const rating = rng.range(...cls.rating);
  const complaint = rng.range(...cls.complaint);
  const response = rng.range(...cls.response);
  return {
    rating: months(() => clampRating(rating + 0.04 * rng.normal())),
    complaint: months(() => complaint * rng.range(0.8, 1.2)),
    response: months(() => response * rng.range(0.9, 1.1)),
    cancel: rng.range(...cls.cancel),
  };
}

/** Scripted monthly quality of the anchors. */
function anchorProfile(rng: Rng, role: Role, index: number): Pick<PartnerProfile, 'rating' | 'complaint' | 'response' | 'cancel'> {
  if (role === 'GOLD') {
    return {
      rating: months(() => clampRating(4.95 + 0.01 * rng.normal())),
      complaint: months(() => 0.0006 * rng.range(0.8, 1.2)),
      response: months(() => rng.range(0.5, 0.65)),
      cancel: 0.03,
    };
  }
  if (role === 'WOBBLY') {
    // A solid partner with a few bad months (2 in a row at most): yellow cards it recovers from.
    const dips = index === 0 ? [5, 12, 18] : [8, 9, 15];
    return {
      rating: months((m) => (dips.includes(m) ? 3.6 : clampRating(4.58 + 0.03 * rng.normal()))),
      complaint: months((m) => (dips.includes(m) ? 0.03 : 0.004) * rng.range(0.85, 1.15)),
      response: months((m) => (dips.includes(m) ? 1.5 : 0.8)),
      cancel: 0.05,
    };
  }
  // DECLINER: fine for most of the window, slipping for three months, then yellow cards from
  // month 21 - index to the end (three or more in a row: EXITED).
  const yellowFrom = 21 - index;
  return {
    rating: months((m) => {
      if (m >= yellowFrom) return 3.55 + 0.03 * rng.normal();
      if (m >= yellowFrom - 3) return 4.55 - (0.3 * (m - (yellowFrom - 4))) / 3;
      return clampRating(4.6 + 0.03 * rng.normal());
    }),
    complaint: months((m) => (m >= yellowFrom ? 0.03 : m >= yellowFrom - 3 ? 0.006 : 0.004) * rng.range(0.85, 1.15)),
    response: months((m) => (m >= yellowFrom ? 1.6 : m >= yellowFrom - 3 ? 1.0 : 0.8)),
    cancel: 0.06,
  };
}

// ---------------------------------------------------------------------------------------------
// Agreement, service points, prices

const OPENING_HOURS = ['08:00-20:00', '08:30-21:00', '09:00-18:00', '07:30-22:00', '09:00-21:00'];
const ROUND_THE_CLOCK = new Set(['ROAD_RESCUE', 'CHARGING', 'INSURANCE', 'TELEMATICS', 'MAPS', 'CLOUD', 'PAYMENT']);

const rate4 = (x: number) => x.toFixed(4);

function planAgreement(rng: Rng, p: { serviceTypes: string[]; joinedOn: string; validTo: string | null; core: boolean; ratingLevel: number; popularity: number }): AgreementPlan {
  const kind = settlementKind(p.serviceTypes);
  const primary = serviceTypeSpec(p.serviceTypes[0]!);
  const [slaLo, slaHi] = primary.sla;
  const sla = Math.max(15, Math.min(120, Math.round(rng.int(slaLo, slaHi) / 5) * 5));
  const unitPrice = partnerPrice(rng, primary.price);
  let a: Pick<AgreementPlan, 'pricingModel' | 'priceMinor' | 'settlementModel' | 'commissionRate' | 'revenueShareRate' | 'monthlyFeeMinor'>;
  if (kind === 'INSURANCE') {
    a = { pricingModel: 'YEARLY', priceMinor: unitPrice, settlementModel: 'REVENUE_SHARE', commissionRate: null, revenueShareRate: rate4(0.3), monthlyFeeMinor: null };
  } else if (kind === 'FINANCE') {
    a = { pricingModel: 'PER_USE', priceMinor: unitPrice, settlementModel: 'REVENUE_SHARE', commissionRate: null, revenueShareRate: rate4(0.5), monthlyFeeMinor: null };
  } else if (kind === 'SAAS') {
    // A fixed monthly platform fee, larger for bigger partners: 300-4,800 RMB. In a month whose
    // gross is below the fee the partner's share is negative (it owes the platform the rest).
    const fee = Math.round((rng.range(300, 1_200) * Math.min(4, Math.max(1, p.popularity / 5))) / 100) * 100 * 100;
    a = { pricingModel: 'MONTHLY', priceMinor: fee, settlementModel: 'PLATFORM_FEE', commissionRate: null, revenueShareRate: null, monthlyFeeMinor: fee };
  } else {
    // 5-10% commission; better partners negotiate lower rates (GOLD: "lower commission").
    const quality = Math.min(1, Math.max(0, (p.ratingLevel - 4) / 0.95));
    const rate = Math.min(0.1, Math.max(0.05, 0.1 - 0.05 * quality + rng.range(-0.01, 0.01)));
    a = { pricingModel: 'PER_USE', priceMinor: unitPrice, settlementModel: 'COMMISSION', commissionRate: rate4(Math.round(rate * 200) / 200), revenueShareRate: null, monthlyFeeMinor: null };
  }
  const standard = `Respond within ${sla} minutes; ${ROUND_THE_CLOCK.has(p.serviceTypes[0]!) ? '24/7' : 'business-hours'} hotline; keep the customer rating above 4.5 and complaints below 1%; monthly settlement`;
  const liability =
    kind === 'SERVICE'
      ? 'Partner is liable for defects and damage caused by its service; the platform handles the customer first and recovers the cost'
      : kind === 'SAAS'
        ? 'Partner guarantees 99.9% availability of its service and the security of shared data'
        : 'Partner is liable for the financial product it underwrites and its disclosures; the platform only distributes';
  return {
    slaResponseMinutes: sla,
    serviceStandard: standard,
    ...a,
    dataTier: p.core ? 'ANONYMIZED' : 'PUBLIC',
    exclusive: rng.chance(0.08),
    liability,
    validFrom: p.joinedOn,
    validTo: p.validTo,
  };
}

function planServicePoints(rng: Rng, cities: string[], serviceTypes: string[], popularity: number): ServicePointPlan[] {
  const points: ServicePointPlan[] = [];
  const allDay = ROUND_THE_CLOCK.has(serviceTypes[0]!);
  const max = popularity > 12 ? 5 : popularity > 4 ? 3 : 2;
  for (const cityName of cities) {
    const city = CITIES[cityIndex(cityName)]!;
    const count = rng.int(1, max);
    for (let k = 1; k <= count; k++) {
      const district = rng.pick(city.districts);
      points.push({
        name: `${city.zh}${k}号服务点`,
        city: city.name,
        district: district.name,
        latitude: (district.lat + rng.range(-0.012, 0.012)).toFixed(6),
        longitude: (district.lng + rng.range(-0.015, 0.015)).toFixed(6),
        openingHours: allDay ? '00:00-24:00' : rng.pick(OPENING_HOURS),
      });
    }
  }
  return points;
}

function planPrices(rng: Rng, serviceTypes: string[], agreement: AgreementPlan): PricePlan[] {
  const prices: PricePlan[] = [];
  serviceTypes.forEach((type, i) => {
    const spec = serviceTypeSpec(type);
    // The agreement's per-use price is the partner's price of its primary service.
    const main = i === 0 && agreement.pricingModel !== 'MONTHLY' ? agreement.priceMinor : partnerPrice(rng, spec.price);
    prices.push({ serviceType: type, unit: spec.unit, priceMinor: main });
    for (const [unit, typical] of spec.extra ?? []) {
      if (unit !== spec.unit && rng.chance(0.6)) prices.push({ serviceType: type, unit, priceMinor: partnerPrice(rng, typical) });
    }
  });
  return prices;
}

function pickCities(rng: Rng, min: number): string[] {
  const u = rng.next();
  const n = u < 0.3 ? CITIES.length : u < 0.75 ? rng.int(2, 6) : 1;
  const count = Math.max(min, n);
  const chosen = new Set<number>();
  while (chosen.size < count) chosen.add(rng.weightedIndex(CITIES.map((c) => c.weight)));
  return [...chosen].sort((a, b) => a - b).map((i) => CITIES[i]!.name);
}

const OPENNESS: ApiOpenness[] = ['CLOSED', 'PARTNER_API', 'OPEN_API'];

// ---------------------------------------------------------------------------------------------

export interface PlanOptions {
  seed: number;
  orders: number;
  reference: readonly ReferencePartner[];
}

const FOUNDING_DAY = dayIndex(FOUNDING_DATE);

/** Every partner of the run: reference ones first (in file order), then partner-0001... */
export function planPartners(opts: PlanOptions): PartnerPlan[] {
  const { seed } = opts;
  const plans: PartnerPlan[] = [];
  const usedNames = new Set(opts.reference.map((p) => p.name));

  for (const ref of opts.reference) {
    const rng = Rng.stream(seed, 'reference', ref.slug);
    const cls = REFERENCE_CLASSES[rng.weightedIndex(REFERENCE_CLASSES.map((c) => c.weight))]!;
    const popularity = longTail(0.1, 0.4 * rng.next());
    const quality = regularProfile(rng, cls);
    const cities = ref.cities.filter((c) => CITIES.some((x) => x.name === c));
    const agreement = planAgreement(rng, {
      serviceTypes: ref.serviceTypes,
      joinedOn: FOUNDING_DATE,
      validTo: null,
      core: rng.chance(0.45),
      ratingLevel: quality.rating[0]!,
      popularity,
    });
    plans.push({
      slug: ref.slug,
      name: ref.name,
      nameEn: ref.nameEn,
      category: ref.category,
      industry: ref.industry,
      serviceTypes: [...ref.serviceTypes],
      cities: [...ref.cities],
      apiOpenness: ref.apiOpenness,
      description: ref.description,
      joinedOn: FOUNDING_DATE,
      reference: true,
      agreement,
      servicePoints: planServicePoints(rng, cities, ref.serviceTypes, popularity),
      prices: planPrices(rng, ref.serviceTypes, agreement),
      profile: { role: 'REFERENCE', popularity, joinDay: FOUNDING_DAY, endDay: WINDOW_DAYS, ...quality, floorPriority: -1, floorFromMonth: WINDOW_MONTHS },
    });
  }

  // Anchors among the first MIN_SYNTHETIC synthetic partners, chosen by the seed.
  const anchorSlots = Rng.stream(seed, 'anchors')
    .shuffle(Array.from({ length: MIN_SYNTHETIC }, (_, i) => i + 1))
    .slice(0, ANCHOR_ROLES.length);
  const anchorOf = new Map(anchorSlots.map((k, i) => [k, { ...ANCHOR_ROLES[i]!, priority: i }]));

  const count = syntheticPartnerCount(opts.orders, opts.reference.length);
  for (let k = 1; k <= count; k++) {
    const rng = Rng.stream(seed, 'partner', k);
    const anchor = anchorOf.get(k);
    const archetype = anchor ? rng.pick(ANCHOR_ARCHETYPES) : rng.weighted(ARCHETYPES, (a) => a.weight);
    const serviceTypes = [...archetype.types];
    if (archetype.optional && rng.chance(0.35)) serviceTypes.push(archetype.optional);

    let b = brand(rng);
    let name = b.zh + archetype.zh;
    for (let tries = 0; usedNames.has(name) && tries < 50; tries++) {
      b = brand(rng);
      name = b.zh + archetype.zh;
    }
    if (usedNames.has(name)) name = `${name}${k}`;
    usedNames.add(name);
    const nameEn = `${b.en} ${archetype.en}`;

    const cities = pickCities(rng, anchor ? 6 : 1);
    const apiOpenness = OPENNESS[rng.weightedIndex([15, 60, 25])]!;
    const founding = anchor !== undefined || rng.chance(0.4);
    const joinDay = founding ? FOUNDING_DAY : rng.int(0, WINDOW_DAYS - 60);
    const joinedOn = founding ? FOUNDING_DATE : dayDate(joinDay);
    // A few founding partners let their agreement expire during the window (no orders after).
    let endDay = WINDOW_DAYS;
    let validTo: string | null = null;
    if (founding && !anchor && rng.chance(0.08)) {
      const month = rng.int(8, 19);
      endDay = MONTH_START_DAY[month + 1]!;
      validTo = dayDate(endDay - 1);
    }

    const popularity = anchor ? rng.range(15, 25) : longTail(0.12, rng.next());
    const quality = anchor ? anchorProfile(rng, anchor.role, anchor.index) : regularProfile(rng, REGULAR_CLASSES[rng.weightedIndex(REGULAR_CLASSES.map((c) => c.weight))]!);
    const agreement = planAgreement(rng, { serviceTypes, joinedOn, validTo, core: rng.chance(0.3), ratingLevel: quality.rating[0]!, popularity });
    const cityList = cities.length === CITIES.length ? 'all ten cities' : cities.join(', ');
    plans.push({
      slug: syntheticSlug(k),
      name,
      nameEn,
      category: archetype.category,
      industry: archetype.industry,
      serviceTypes,
      cities,
      apiOpenness,
      description: `Synthetic ${archetype.industry} partner offering ${serviceTypes.map((t) => serviceTypeSpec(t).zh).join('、')} in ${cityList}.`,
      joinedOn,
      reference: false,
      agreement,
      servicePoints: planServicePoints(rng, cities, serviceTypes, popularity),
      prices: planPrices(rng, serviceTypes, agreement),
      profile: {
        role: anchor?.role ?? 'REGULAR',
        popularity,
        joinDay,
        endDay,
        ...quality,
        floorPriority: anchor?.priority ?? -1,
        floorFromMonth: anchor?.role === 'DECLINER' ? 21 - anchor.index - 3 : 0,
      },
    });
  }
  return plans;
}
