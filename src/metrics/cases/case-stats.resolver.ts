import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { Access, EVERY_ROLE } from '../../graphql/root-field';
import type { Context } from '../../server/context';
import { collaborationCaseStats, indicatorSeries } from './case-stats.service';
import { CollaborationCaseStatsType, IndicatorSeriesType } from './case-stats.type';

@Resolver()
export class CaseStatsResolver {
  @Query(() => CollaborationCaseStatsType, { description: 'Collaboration cases per model and the average KPI uplift per KPI family and model' })
  @Access(...EVERY_ROLE)
  collaborationCaseStats(@Ctx() ctx: Context): Promise<CollaborationCaseStatsType> {
    return collaborationCaseStats(ctx);
  }

  @Query(() => [IndicatorSeriesType], { description: 'Report indicators as series by year (ACTUAL and FORECAST points)' })
  @Access(...EVERY_ROLE)
  indicatorSeries(
    @Arg('slugs', () => [String], { nullable: true, description: 'Indicator slugs, in the order wanted; all when omitted' }) slugs: string[] | undefined,
    @Ctx() ctx: Context,
  ): Promise<IndicatorSeriesType[]> {
    return indicatorSeries(ctx, slugs ?? undefined);
  }
}
