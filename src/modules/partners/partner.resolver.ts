import { Arg, Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { Row } from '../../anonymisation/present';
import { fk, idArgument, list, one, pageOf, realId } from '../../db/loaders';
import type { PageArgs } from '../../db/list-query';
import { connectionOf, projectionOf } from '../../graphql/projection';
import { Access, EVERY_ROLE, INTERNAL_ROLES } from '../../graphql/root-field';
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
import { PartnerType } from './partner.type';

const args = (cls: Function) => () => projectionOf(cls).listArgs;

@Resolver(() => PartnerType)
export class PartnerResolver {
  @Query(() => connectionOf(PartnerType), { description: 'The partner catalogue' })
  @Access(...EVERY_ROLE)
  partners(@Args(args(PartnerType)) a: PageArgs, @Ctx() ctx: Context) {
    return list(PartnerType, a, ctx);
  }

  @Query(() => PartnerType, { nullable: true, description: 'One partner by id or slug' })
  @Access(...EVERY_ROLE)
  async partner(
    @Arg('id', () => ID, { nullable: true }) id: string | undefined,
    @Arg('slug', () => String, { nullable: true }) slug: string | undefined,
    @Ctx() ctx: Context,
  ) {
    if (id !== undefined) return one(PartnerType, idArgument(PartnerType, id, ctx), ctx);
    if (slug !== undefined) {
      const page = await list(PartnerType, { first: 1, where: { slug: { eq: slug } } }, ctx);
      return page.nodes[0] ?? null;
    }
    return null;
  }

  @Query(() => connectionOf(CandidatePartnerType), { description: 'Prospective partners with their screening score' })
  @Access(...INTERNAL_ROLES)
  candidatePartners(@Args(args(CandidatePartnerType)) a: PageArgs, @Ctx() ctx: Context) {
    return list(CandidatePartnerType, a, ctx);
  }

  @FieldResolver(() => Int)
  serviceTypeCount(@Root() p: Row) {
    return (p.serviceTypes as string[]).length;
  }

  @FieldResolver()
  servicePoints(@Root() p: Row, @Args(args(ServicePointType)) a: PageArgs, @Ctx() ctx: Context) {
    return pageOf(ServicePointType, 'partner_id', realId(p), a, ctx);
  }

  @FieldResolver()
  priceList(@Root() p: Row, @Args(args(PriceListItemType)) a: PageArgs, @Ctx() ctx: Context) {
    return pageOf(PriceListItemType, 'partner_id', realId(p), a, ctx);
  }

  @FieldResolver()
  agreements(@Root() p: Row, @Args(args(AgreementType)) a: PageArgs, @Ctx() ctx: Context) {
    return pageOf(AgreementType, 'partner_id', realId(p), a, ctx);
  }

  @FieldResolver()
  tierHistory(@Root() p: Row, @Args(args(PartnerTierRecordType)) a: PageArgs, @Ctx() ctx: Context) {
    return pageOf(PartnerTierRecordType, 'partner_id', realId(p), a, ctx);
  }

  @FieldResolver()
  settlements(@Root() p: Row, @Args(args(SettlementType)) a: PageArgs, @Ctx() ctx: Context) {
    return pageOf(SettlementType, 'partner_id', realId(p), a, ctx);
  }

  @FieldResolver()
  orders(@Root() p: Row, @Args(args(ServiceOrderType)) a: PageArgs, @Ctx() ctx: Context) {
    return pageOf(ServiceOrderType, 'partner_id', realId(p), a, ctx);
  }

  @FieldResolver()
  ratings(@Root() p: Row, @Args(args(RatingType)) a: PageArgs, @Ctx() ctx: Context) {
    return pageOf(RatingType, 'partner_id', realId(p), a, ctx);
  }

  @FieldResolver()
  complaints(@Root() p: Row, @Args(args(ComplaintType)) a: PageArgs, @Ctx() ctx: Context) {
    return pageOf(ComplaintType, 'partner_id', realId(p), a, ctx);
  }
}

/** `partner` on every type that belongs to one partner. */
function partnerOf(cls: Function) {
  @Resolver(() => cls)
  class PartnerOfResolver {
    @FieldResolver(() => PartnerType)
    partner(@Root() row: Row, @Ctx() ctx: Context) {
      return one(PartnerType, fk(row, 'partner_id'), ctx);
    }
  }
  return PartnerOfResolver;
}

export const partnerRelationResolvers = [
  partnerOf(AgreementType),
  partnerOf(ServicePointType),
  partnerOf(PriceListItemType),
  partnerOf(SettlementType),
  partnerOf(PartnerTierRecordType),
  partnerOf(ServiceOrderType),
  partnerOf(RatingType),
  partnerOf(ComplaintType),
];
