import { Arg, Args, Ctx, FieldResolver, Info, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import type { Row } from '../../anonymisation/present';
import { answerRow, list } from '../../db/loaders';
import { resolveRelation } from '../../db/relations';
import type { PageArgs } from '../../db/list-query';
import { connectionOf, projectionOf } from '../../graphql/projection';
import { Access, EVERY_ROLE, PlainList, PlainLookup } from '../../graphql/root-field';
import type { Context } from '../../server/context';
import { CollaborationCaseType } from './collaboration-case.type';
import { ReportIndicatorType } from './indicator.type';

const args = (cls: Function) => () => projectionOf(cls).listArgs;

@Resolver(() => CollaborationCaseType)
export class CollaborationCaseResolver {
  @Query(() => connectionOf(CollaborationCaseType), { description: 'Cross-industry collaboration cases' })
  @Access(...EVERY_ROLE)
  @PlainList(() => CollaborationCaseType)
  collaborationCases(@Args(args(CollaborationCaseType)) a: PageArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return list(CollaborationCaseType, a, ctx, info);
  }

  @Query(() => CollaborationCaseType, { nullable: true })
  @Access(...EVERY_ROLE)
  @PlainLookup(() => CollaborationCaseType, ['slug'])
  async collaborationCase(@Arg('slug', () => String) slug: string, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    const found = await list(CollaborationCaseType, { first: 1, where: { slug: { eq: slug } } }, ctx);
    return answerRow(CollaborationCaseType, found.nodes[0] ?? null, ctx, info);
  }

  @Query(() => connectionOf(ReportIndicatorType), { description: 'Report-level indicators by year' })
  @Access(...EVERY_ROLE)
  @PlainList(() => ReportIndicatorType)
  reportIndicators(@Args(args(ReportIndicatorType)) a: PageArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return list(ReportIndicatorType, a, ctx, info);
  }

  @FieldResolver()
  kpis(@Root() c: Row, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return resolveRelation('CollaborationCase', 'kpis', c, undefined, ctx, info);
  }
}
