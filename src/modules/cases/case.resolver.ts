import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Row } from '../../anonymisation/present';
import { allOf, list, realId } from '../../db/loaders';
import type { PageArgs } from '../../db/list-query';
import { connectionOf, projectionOf } from '../../graphql/projection';
import { Access, EVERY_ROLE } from '../../graphql/root-field';
import type { Context } from '../../server/context';
import { CaseKpiType } from './case-kpi.type';
import { CollaborationCaseType } from './collaboration-case.type';
import { ReportIndicatorType } from './indicator.type';

const args = (cls: Function) => () => projectionOf(cls).listArgs;

@Resolver(() => CollaborationCaseType)
export class CollaborationCaseResolver {
  @Query(() => connectionOf(CollaborationCaseType), { description: 'Cross-industry collaboration cases' })
  @Access(...EVERY_ROLE)
  collaborationCases(@Args(args(CollaborationCaseType)) a: PageArgs, @Ctx() ctx: Context) {
    return list(CollaborationCaseType, a, ctx);
  }

  @Query(() => CollaborationCaseType, { nullable: true })
  @Access(...EVERY_ROLE)
  async collaborationCase(@Arg('slug', () => String) slug: string, @Ctx() ctx: Context) {
    const page = await list(CollaborationCaseType, { first: 1, where: { slug: { eq: slug } } }, ctx);
    return page.nodes[0] ?? null;
  }

  @Query(() => connectionOf(ReportIndicatorType), { description: 'Report-level indicators by year' })
  @Access(...EVERY_ROLE)
  reportIndicators(@Args(args(ReportIndicatorType)) a: PageArgs, @Ctx() ctx: Context) {
    return list(ReportIndicatorType, a, ctx);
  }

  @FieldResolver()
  kpis(@Root() c: Row, @Ctx() ctx: Context) {
    return allOf(CaseKpiType, 'case_id', realId(c), ctx);
  }
}
