import { Arg, Args, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import type { Row } from '../../anonymisation/present';
import { answerRow, idArgument, list, lookup } from '../../db/loaders';
import { resolveRelation } from '../../db/relations';
import type { PageArgs } from '../../db/list-query';
import { connectionOf, projectionOf } from '../../graphql/projection';
import { DecimalScalar } from '../../graphql/scalars';
import { Access, EVERY_ROLE, INTERNAL_ROLES, PlainList, PlainLookup } from '../../graphql/root-field';
import type { Context } from '../../server/context';
import { AgreementType } from '../agreements/agreement.type';
import { PriceListItemType } from '../catalogue/price-list-item.type';
import { ServicePointType } from '../catalogue/service-point.type';
import { ComplaintType } from '../orders/complaint.type';
import { RatingType } from '../orders/rating.type';
import { ServiceOrderType } from '../orders/service-order.type';
import { SettlementType } from '../settlements/settlement.type';
import { CandidatePartnerType } from './candidate.type';
import { PartnerTierRecordType } from './partner-tier-history.type';
import { PartnerStatusChangeType } from './partner-status-change.type';
import { ApiKeyType } from '../keys/api-key.type';
import { PartnerType } from './partner.type';

const args = (cls: Function) => () => projectionOf(cls).listArgs;

@Resolver(() => PartnerType)
export class PartnerResolver {
  @Query(() => connectionOf(PartnerType), { description: 'The partner catalogue' })
  @Access(...EVERY_ROLE)
  @PlainList(() => PartnerType)
  partners(@Args(args(PartnerType)) a: PageArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return list(PartnerType, a, ctx, info);
  }

  @Query(() => PartnerType, { nullable: true, description: 'One partner by id or slug' })
  @Access(...EVERY_ROLE)
  @PlainLookup(() => PartnerType, ['slug'])
  async partner(
    @Arg('id', () => ID, { nullable: true }) id: string | undefined,
    @Arg('slug', () => String, { nullable: true }) slug: string | undefined,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    // A null argument is one not given (the compiled path reads them so too).
    if (id !== undefined && id !== null) return lookup(PartnerType, idArgument(PartnerType, id, ctx), ctx, info);
    if (slug !== undefined && slug !== null) {
      // The list's row is the lookup's row (same columns, scope and presentation): one statement.
      const found = await list(PartnerType, { first: 1, where: { slug: { eq: slug } } }, ctx);
      return answerRow(PartnerType, found.nodes[0] ?? null, ctx, info);
    }
    return null;
  }

  @Query(() => connectionOf(CandidatePartnerType), { description: 'Prospective partners with their screening score' })
  @Access(...INTERNAL_ROLES)
  @PlainList(() => CandidatePartnerType)
  candidatePartners(@Args(args(CandidatePartnerType)) a: PageArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return list(CandidatePartnerType, a, ctx, info);
  }

  @FieldResolver()
  servicePoints(@Root() p: Row, @Args(args(ServicePointType)) a: PageArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return resolveRelation('Partner', 'servicePoints', p, a, ctx, info);
  }

  @FieldResolver()
  priceList(@Root() p: Row, @Args(args(PriceListItemType)) a: PageArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return resolveRelation('Partner', 'priceList', p, a, ctx, info);
  }

  @FieldResolver()
  agreements(@Root() p: Row, @Args(args(AgreementType)) a: PageArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return resolveRelation('Partner', 'agreements', p, a, ctx, info);
  }

  @FieldResolver()
  tierHistory(@Root() p: Row, @Args(args(PartnerTierRecordType)) a: PageArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return resolveRelation('Partner', 'tierHistory', p, a, ctx, info);
  }

  @FieldResolver()
  statusHistory(@Root() p: Row, @Args(args(PartnerStatusChangeType)) a: PageArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return resolveRelation('Partner', 'statusHistory', p, a, ctx, info);
  }

  @FieldResolver()
  settlements(@Root() p: Row, @Args(args(SettlementType)) a: PageArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return resolveRelation('Partner', 'settlements', p, a, ctx, info);
  }

  @FieldResolver()
  orders(@Root() p: Row, @Args(args(ServiceOrderType)) a: PageArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return resolveRelation('Partner', 'orders', p, a, ctx, info);
  }

  @FieldResolver()
  ratings(@Root() p: Row, @Args(args(RatingType)) a: PageArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return resolveRelation('Partner', 'ratings', p, a, ctx, info);
  }

  @FieldResolver()
  complaints(@Root() p: Row, @Args(args(ComplaintType)) a: PageArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return resolveRelation('Partner', 'complaints', p, a, ctx, info);
  }
}

@Resolver(() => CandidatePartnerType)
export class CandidatePartnerResolver {
  @FieldResolver(() => DecimalScalar, { nullable: true })
  screeningScore(@Root() c: Row, @Ctx() ctx: Context) {
    if ([c.serviceQuality, c.coverage, c.cost, c.integration].some((v) => v === null || v === undefined)) return null;
    const w = ctx.services.config.metrics.screeningWeights;
    // Inputs are numeric(5,2) strings; scale to integers so the sum is exact before rounding.
    const score =
      Number(c.serviceQuality) * 100 * w.quality + Number(c.coverage) * 100 * w.coverage + Number(c.cost) * 100 * w.cost + Number(c.integration) * 100 * w.integration;
    return (Math.round(score) / 100).toFixed(2);
  }
}

/** `partner` on every type that belongs to one partner. */
export function partnerOf(cls: Function) {
  @Resolver(() => cls)
  class PartnerOfResolver {
    @FieldResolver(() => PartnerType)
    partner(@Root() row: Row, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
      return resolveRelation(projectionOf(cls).name, 'partner', row, undefined, ctx, info);
    }
  }
  return PartnerOfResolver;
}

export const partnerRelationResolvers = [
  CandidatePartnerResolver,
  partnerOf(AgreementType),
  partnerOf(ServicePointType),
  partnerOf(PriceListItemType),
  partnerOf(SettlementType),
  partnerOf(PartnerTierRecordType),
  partnerOf(PartnerStatusChangeType),
  partnerOf(ApiKeyType),
  partnerOf(ServiceOrderType),
  partnerOf(RatingType),
  partnerOf(ComplaintType),
];
