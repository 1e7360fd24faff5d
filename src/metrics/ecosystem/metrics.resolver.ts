import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Info, Query, Resolver } from 'type-graphql';
import { selectsAny } from '../../graphql/selection';
import { Access, EVERY_ROLE, INTERNAL_ROLES } from '../../graphql/root-field';
import { DateScalar } from '../../graphql/scalars';
import type { Context } from '../../server/context';
import { alertRules, evaluateAlerts } from '../alerts/alert.service';
import { AlertRuleType, AlertType } from '../alerts/alert.type';
import { ecosystemGrowth } from './growth.service';
import { MetricDimension, MetricGranularity } from './metrics.enums';
import { ecosystemMetrics } from './metrics.service';
import { EcosystemMetrics, GrowthPoint, MetricFilter } from './metrics.type';

@Resolver()
export class EcosystemMetricsResolver {
  @Query(() => EcosystemMetrics, {
    description: 'Metrics per period and group, shaped for charts. Served from rollups. Partners see small groups suppressed.',
  })
  @Access(...EVERY_ROLE)
  ecosystemMetrics(
    @Arg('from', () => DateScalar, { description: 'First day included' }) from: string,
    @Arg('to', () => DateScalar, { description: 'First day excluded' }) to: string,
    @Arg('granularity', () => MetricGranularity, { defaultValue: MetricGranularity.MONTH }) granularity: MetricGranularity,
    @Arg('groupBy', () => MetricDimension, { defaultValue: MetricDimension.TOTAL }) groupBy: MetricDimension,
    @Arg('where', () => MetricFilter, { nullable: true }) where: MetricFilter | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    const withSettlements = selectsAny(info, ['settlementGross', 'settlementPartnerShare', 'settlementPlatformShare']);
    return ecosystemMetrics({ from, to, granularity, groupBy, where, withSettlements }, ctx);
  }

  @Query(() => [GrowthPoint], { description: 'Active partners, service types, cities and GMV per period' })
  @Access(...EVERY_ROLE)
  ecosystemGrowth(
    @Arg('from', () => DateScalar) from: string,
    @Arg('to', () => DateScalar) to: string,
    @Arg('granularity', () => MetricGranularity, { defaultValue: MetricGranularity.YEAR }) granularity: MetricGranularity,
    @Ctx() ctx: Context,
  ) {
    return ecosystemGrowth(from, to, granularity, ctx);
  }

  @Query(() => [AlertType], { description: 'Alerts from the threshold rules, with the periods that triggered them' })
  @Access(...INTERNAL_ROLES)
  alerts(@Arg('currentOnly', () => Boolean, { defaultValue: true, description: 'Only runs that reach the latest period' }) currentOnly: boolean, @Ctx() ctx: Context) {
    return evaluateAlerts(ctx, currentOnly);
  }

  @Query(() => [AlertRuleType])
  @Access(...INTERNAL_ROLES)
  alertRules(@Ctx() ctx: Context) {
    return alertRules(ctx);
  }
}
