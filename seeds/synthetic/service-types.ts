// The shared service-type vocabulary of partners.data.ts with what the generator needs to know
// about each: how it is priced, how much consumer demand it has (0 = no customer orders: B2B or
// channel services), its usual response SLA and how long the service takes.
import type { Rng } from './random';

export type PriceUnit = 'PER_USE' | 'PER_HOUR' | 'PER_DAY' | 'PER_KM' | 'PER_KWH' | 'PER_MONTH';
export type SettlementKind = 'SERVICE' | 'INSURANCE' | 'FINANCE' | 'SAAS';

export interface ServiceTypeSpec {
  /** The unit orders are priced in, with a typical price in fen. */
  unit: PriceUnit;
  price: number;
  /** Further price-list items: [unit, typical price in fen]. */
  extra?: Array<[PriceUnit, number]>;
  /** Relative number of customer orders; 0 = not ordered by customers. */
  demand: number;
  /** SLA response range in minutes. */
  sla: [number, number];
  /** Quantity of units per order: [min, max]. */
  quantity: [number, number];
  /** Service duration after the response, minutes: [min, max] (per unit when perUnit). */
  duration: [number, number];
  durationPerUnit?: boolean;
  kind: SettlementKind;
  zh: string;
}

export const SERVICE_TYPES: Record<string, ServiceTypeSpec> = {
  COURTESY_CAR: { unit: 'PER_DAY', price: 12_000, extra: [['PER_HOUR', 2_500]], demand: 6, sla: [20, 45], quantity: [1, 5], duration: [1200, 1440], durationPerUnit: true, kind: 'SERVICE', zh: '代步车服务' },
  ROAD_RESCUE: { unit: 'PER_USE', price: 20_000, extra: [['PER_KM', 1_000]], demand: 5, sla: [15, 45], quantity: [1, 1], duration: [40, 150], kind: 'SERVICE', zh: '道路救援' },
  INSURANCE: { unit: 'PER_USE', price: 380_000, demand: 4, sla: [30, 120], quantity: [1, 1], duration: [30, 1440], kind: 'INSURANCE', zh: '保险服务' },
  CONSUMER_FINANCE: { unit: 'PER_USE', price: 180_000, demand: 2, sla: [30, 120], quantity: [1, 1], duration: [60, 2880], kind: 'FINANCE', zh: '金融服务' },
  USED_CAR: { unit: 'PER_USE', price: 60_000, demand: 2, sla: [60, 120], quantity: [1, 1], duration: [120, 4320], kind: 'SERVICE', zh: '二手车服务' },
  CAR_WASH: { unit: 'PER_USE', price: 4_500, extra: [['PER_MONTH', 29_900]], demand: 14, sla: [20, 60], quantity: [1, 1], duration: [30, 90], kind: 'SERVICE', zh: '洗美服务' },
  LOGISTICS: { unit: 'PER_USE', price: 2_500, extra: [['PER_KM', 300]], demand: 6, sla: [60, 120], quantity: [1, 1], duration: [240, 2880], kind: 'SERVICE', zh: '物流配送' },
  CHARGING: { unit: 'PER_KWH', price: 150, demand: 22, sla: [15, 30], quantity: [15, 60], duration: [30, 100], kind: 'SERVICE', zh: '充电服务' },
  QUICK_SERVICE: { unit: 'PER_USE', price: 16_000, extra: [['PER_HOUR', 8_000]], demand: 10, sla: [30, 90], quantity: [1, 1], duration: [45, 180], kind: 'SERVICE', zh: '快修服务' },
  MAPS: { unit: 'PER_MONTH', price: 1_500, demand: 2, sla: [15, 30], quantity: [1, 12], duration: [1, 10], kind: 'SAAS', zh: '地图导航' },
  MARKETING_DATA: { unit: 'PER_USE', price: 50_000, demand: 0, sla: [60, 120], quantity: [1, 1], duration: [60, 60], kind: 'SAAS', zh: '精准营销' },
  SERVICE_ENTRY: { unit: 'PER_USE', price: 500, demand: 0, sla: [15, 60], quantity: [1, 1], duration: [1, 1], kind: 'SERVICE', zh: '服务入口' },
  CLOUD: { unit: 'PER_MONTH', price: 1_000_000, demand: 0, sla: [15, 60], quantity: [1, 1], duration: [1, 1], kind: 'SAAS', zh: '云计算资源' },
  MEMBERSHIP: { unit: 'PER_MONTH', price: 1_500, demand: 4, sla: [15, 30], quantity: [1, 12], duration: [1, 10], kind: 'SERVICE', zh: '联合会员' },
  PAYMENT: { unit: 'PER_USE', price: 60, demand: 0, sla: [15, 30], quantity: [1, 1], duration: [1, 1], kind: 'SERVICE', zh: '支付' },
  MINI_PROGRAM: { unit: 'PER_MONTH', price: 50_000, demand: 0, sla: [30, 120], quantity: [1, 1], duration: [1, 1], kind: 'SERVICE', zh: '服务小程序' },
  ONLINE_STORE: { unit: 'PER_USE', price: 25_000, demand: 5, sla: [30, 120], quantity: [1, 1], duration: [1440, 4320], kind: 'SERVICE', zh: '旗舰店' },
  CONTENT: { unit: 'PER_USE', price: 300_000, demand: 0, sla: [60, 120], quantity: [1, 1], duration: [1, 1], kind: 'SERVICE', zh: '内容营销' },
  AI_DIAGNOSIS: { unit: 'PER_USE', price: 3_000, demand: 3, sla: [15, 30], quantity: [1, 1], duration: [5, 30], kind: 'SAAS', zh: 'AI诊断' },
  RESEARCH: { unit: 'PER_MONTH', price: 5_000_000, demand: 0, sla: [60, 120], quantity: [1, 1], duration: [1, 1], kind: 'SERVICE', zh: '前沿技术研究' },
  INNOVATION_PILOT: { unit: 'PER_MONTH', price: 2_000_000, demand: 0, sla: [60, 120], quantity: [1, 1], duration: [1, 1], kind: 'SERVICE', zh: '新模式试点' },
  STANDARDS: { unit: 'PER_USE', price: 100_000, demand: 0, sla: [60, 120], quantity: [1, 1], duration: [1, 1], kind: 'SERVICE', zh: '行业标准制定' },
  TELEMATICS: { unit: 'PER_MONTH', price: 3_000, demand: 2, sla: [15, 60], quantity: [1, 12], duration: [1, 30], kind: 'SAAS', zh: '车联网' },
  DRIVER_TRAINING: { unit: 'PER_HOUR', price: 20_000, demand: 1, sla: [60, 120], quantity: [1, 4], duration: [60, 60], durationPerUnit: true, kind: 'SERVICE', zh: '司机培训' },
};

/** A spec for any service type; unknown ones (added to the vocabulary later) get a neutral one. */
export function serviceTypeSpec(type: string): ServiceTypeSpec {
  return (
    SERVICE_TYPES[type] ?? { unit: 'PER_USE', price: 10_000, demand: 0, sla: [30, 120], quantity: [1, 1], duration: [60, 60], kind: 'SERVICE', zh: type }
  );
}

/**
 * How a partner is settled, by the services it provides (001, 机制1): insurance earns the
 * platform 30% of the premium, loans 50% of the interest, SaaS / cloud / AI / maps pay a fixed
 * monthly platform fee, every other service a 5-10% commission.
 */
export function settlementKind(serviceTypes: readonly string[]): SettlementKind {
  const kinds = serviceTypes.map((t) => serviceTypeSpec(t).kind);
  if (kinds.includes('INSURANCE')) return 'INSURANCE';
  if (kinds.includes('FINANCE')) return 'FINANCE';
  if (kinds.includes('SAAS')) return 'SAAS';
  return 'SERVICE';
}

/** A partner's own price around the typical one, rounded like a real tariff. */
export function partnerPrice(rng: Rng, typical: number): number {
  const raw = typical * rng.range(0.85, 1.15);
  if (raw >= 100_000) return Math.round(raw / 1000) * 1000;
  if (raw >= 1_000) return Math.round(raw / 100) * 100;
  return Math.max(1, Math.round(raw));
}
