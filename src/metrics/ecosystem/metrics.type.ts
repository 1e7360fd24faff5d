// The shape dashboards chart: one series per group, one point per period.
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateScalar, DecimalScalar, MoneyScalar } from '../../graphql/scalars';
import { OrderChannel } from '../../modules/orders/order.enums';
import { PartnerCategory } from '../../modules/partners/partner.enums';
import { Tier } from '../../permissions/tier';
import { TierField } from '../../permissions/tier-field';
import { MetricDimension, MetricGranularity } from './metrics.enums';

const { PUBLIC } = Tier;
const R = { resolved: true } as const;
const N = { resolved: true, nullable: true } as const;

@ObjectType('TierCount')
export class TierCount {
  @TierField(PUBLIC, () => String, R) tier!: string;
  @TierField(PUBLIC, () => Int, R) partners!: number;
}

@ObjectType('FigureNoise', { description: 'How a figure shown to a partner was altered: Laplace noise (differential privacy), and where the true value lies' })
export class FigureNoise {
  @TierField(PUBLIC, () => DecimalScalar, {
    ...N,
    description: "Scale b of each monthly Laplace draw, in the figure's unit (orders; CNY for GMV); null for a ratio (computed from noisy parts)",
  })
  scale!: string | null;
  @TierField(PUBLIC, () => Int, { ...N, description: 'Independent monthly draws summed into the figure: 1 for a month, 3 for a quarter, 12 for a year; null for a ratio' })
  draws!: number | null;
  @TierField(PUBLIC, () => DecimalScalar, { ...R, description: 'Lower end of the 95% interval of the true value (of the bounded figure, see the suppression text)' })
  interval95Low!: string;
  @TierField(PUBLIC, () => DecimalScalar, { ...N, description: 'Upper end of the 95% interval; null: unbounded' })
  interval95High!: string | null;
}

@ObjectType('MetricNoise', { description: 'Per figure of a point: how it was altered, or null where the figure is exact or not shown' })
export class MetricNoise {
  @TierField(PUBLIC, () => FigureNoise, N) orders!: FigureNoise | null;
  @TierField(PUBLIC, () => FigureNoise, N) fulfilledOrders!: FigureNoise | null;
  @TierField(PUBLIC, () => FigureNoise, N) gmv!: FigureNoise | null;
  @TierField(PUBLIC, () => FigureNoise, N) averageRating!: FigureNoise | null;
  @TierField(PUBLIC, () => FigureNoise, N) complaintRate!: FigureNoise | null;
  @TierField(PUBLIC, () => FigureNoise, N) onlineOrderShare!: FigureNoise | null;
  @TierField(PUBLIC, () => FigureNoise, N) slaAnsweredOrders!: FigureNoise | null;
  @TierField(PUBLIC, () => FigureNoise, N) slaBreachRate!: FigureNoise | null;
  @TierField(PUBLIC, () => FigureNoise, N) gmvChangePct!: FigureNoise | null;
  @TierField(PUBLIC, () => FigureNoise, N) ordersChangePct!: FigureNoise | null;
}

@ObjectType('MetricPoint', { description: 'The figures of one group in one period; null where suppressed or not derivable' })
export class MetricPoint {
  @TierField(PUBLIC, () => String, { ...R, description: '"2026-03", "2026-Q1" or "2026"' }) period!: string;
  @TierField(PUBLIC, () => DateScalar, { ...R, description: 'First day of the period' }) start!: string;
  @TierField(PUBLIC, () => Boolean, { ...R, description: 'Too few distinct customers to show (partners only)' }) suppressed!: boolean;
  @TierField(PUBLIC, () => MoneyScalar, { ...N, description: 'Value of fulfilled orders' }) gmv!: string | null;
  @TierField(PUBLIC, () => Int, { ...N, description: 'Orders placed (any status)' }) orders!: number | null;
  @TierField(PUBLIC, () => Int, N) fulfilledOrders!: number | null;
  @TierField(PUBLIC, () => Int, N) distinctCustomers!: number | null;
  @TierField(PUBLIC, () => DecimalScalar, N) averageRating!: string | null;
  @TierField(PUBLIC, () => DecimalScalar, { ...N, description: 'Complaints per order, 0-1' }) complaintRate!: string | null;
  @TierField(PUBLIC, () => DecimalScalar, { ...N, description: 'Share of orders placed online, 0-1' }) onlineOrderShare!: string | null;
  @TierField(PUBLIC, () => DecimalScalar, N) responseP50Minutes!: string | null;
  @TierField(PUBLIC, () => DecimalScalar, N) responseP95Minutes!: string | null;
  @TierField(PUBLIC, () => Int, { ...N, description: 'Answered orders (response time known) of partners with an agreement in force in the month' }) slaAnsweredOrders!: number | null;
  @TierField(PUBLIC, () => DecimalScalar, { ...N, description: "Share of those answered later than the agreement's SLA response minutes, 0-1" }) slaBreachRate!: string | null;
  @TierField(PUBLIC, () => Int, { ...N, description: 'Partners with orders in the period' }) activePartners!: number | null;
  @TierField(PUBLIC, () => [TierCount], { ...N, description: 'Active partners by their quality tier in the period' }) activePartnersByTier!: TierCount[] | null;
  @TierField(PUBLIC, () => MoneyScalar, N) settlementGross!: string | null;
  @TierField(PUBLIC, () => MoneyScalar, N) settlementPartnerShare!: string | null;
  @TierField(PUBLIC, () => MoneyScalar, N) settlementPlatformShare!: string | null;
  @TierField(PUBLIC, () => DecimalScalar, { ...N, description: 'GMV change against the previous period, percent' }) gmvChangePct!: string | null;
  @TierField(PUBLIC, () => DecimalScalar, { ...N, description: 'Orders change against the previous period, percent' }) ordersChangePct!: string | null;
  @TierField(PUBLIC, () => MetricNoise, { ...N, description: 'How the figures of this point were altered (partners: differential privacy); null: every figure shown is exact' })
  noise!: MetricNoise | null;
}

@ObjectType('MetricSeries')
export class MetricSeries {
  @TierField(PUBLIC, () => String, R) key!: string;
  @TierField(PUBLIC, () => String, R) label!: string;
  @TierField(PUBLIC, () => [MetricPoint], R) points!: MetricPoint[];
}

@ObjectType('EcosystemMetrics')
export class EcosystemMetrics {
  @TierField(PUBLIC, () => MetricGranularity, R) granularity!: MetricGranularity;
  @TierField(PUBLIC, () => MetricDimension, R) groupBy!: MetricDimension;
  @TierField(PUBLIC, () => [String], { ...R, description: 'Period labels, in order' }) periods!: string[];
  @TierField(PUBLIC, () => [MetricSeries], R) series!: MetricSeries[];
  @TierField(PUBLIC, () => MetricSeries, { ...R, description: 'All groups together (for partners: every order, noisy like the groups, not the sum of the groups shown)' }) total!: MetricSeries;
  @TierField(PUBLIC, () => String, { ...R, description: 'How small groups and customers are protected for this caller: the method, its parameters and its guarantee' }) suppression!: string;
}

@InputType('MetricFilter', { description: 'Restrict the orders counted (internal roles only)' })
export class MetricFilter {
  @Field(() => [PartnerCategory], { nullable: true }) categories?: PartnerCategory[];
  @Field(() => [ID], { nullable: true }) partnerIds?: string[];
  @Field(() => [String], { nullable: true }) cities?: string[];
  @Field(() => [String], { nullable: true }) serviceTypes?: string[];
  @Field(() => [OrderChannel], { nullable: true }) channels?: OrderChannel[];
  @Field(() => [String], { nullable: true, description: 'Quality tiers of the month, or UNRATED' }) qualityTiers?: string[];
}

@ObjectType('GrowthPoint')
export class GrowthPoint {
  @TierField(PUBLIC, () => String, R) period!: string;
  @TierField(PUBLIC, () => Int, R) activePartners!: number;
  @TierField(PUBLIC, () => Int, R) serviceTypes!: number;
  @TierField(PUBLIC, () => Int, R) cities!: number;
  @TierField(PUBLIC, () => MoneyScalar, R) gmv!: string;
}
