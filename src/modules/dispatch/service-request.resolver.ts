// Reading service requests: partners see the ones offered to them or accepted by them, staff
// see all with their allocation; the dispatch rules are staff's.
import { Arg, Args, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import type { Row } from '../../anonymisation/present';
import { idArgument, list, lookup } from '../../db/loaders';
import type { PageArgs } from '../../db/list-query';
import { resolveRelation } from '../../db/relations';
import { connectionOf, projectionOf } from '../../graphql/projection';
import { Access, PlainList, PlainLookup, ROW_LEVEL_ROLES } from '../../graphql/root-field';
import { Role } from '../../permissions/tier';
import type { Context } from '../../server/context';
import { PartnerType } from '../partners/partner.type';
import { partnerOf } from '../partners/partner.resolver';
import { AllocationStepType } from './allocation-step.type';
import { DispatchRuleType } from './dispatch-rule.type';
import { FulfilmentEventType } from './fulfilment-event.type';
import { ServiceRequestType } from './service-request.type';

const args = (cls: Function) => () => projectionOf(cls).listArgs;
const STAFF = [Role.ADMIN, Role.OPERATOR, Role.ANALYST];

@Resolver(() => ServiceRequestType)
export class ServiceRequestResolver {
  @Query(() => connectionOf(ServiceRequestType), { description: 'Service requests (partners: the ones offered to you now, and the ones you accepted)' })
  @Access(...ROW_LEVEL_ROLES)
  @PlainList(() => ServiceRequestType)
  serviceRequests(@Args(args(ServiceRequestType)) a: PageArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return list(ServiceRequestType, a, ctx, info);
  }

  @Query(() => ServiceRequestType, { nullable: true })
  @Access(...ROW_LEVEL_ROLES)
  @PlainLookup(() => ServiceRequestType)
  serviceRequest(@Arg('id', () => ID) id: string, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return lookup(ServiceRequestType, idArgument(ServiceRequestType, id, ctx), ctx, info);
  }

  @Query(() => connectionOf(DispatchRuleType), { description: 'The rules that open service requests by themselves' })
  @Access(...STAFF)
  @PlainList(() => DispatchRuleType)
  dispatchRules(@Args(args(DispatchRuleType)) a: PageArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return list(DispatchRuleType, a, ctx, info);
  }

  @FieldResolver(() => PartnerType, { nullable: true })
  partner(@Root() r: Row, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return resolveRelation('ServiceRequest', 'partner', r, undefined, ctx, info);
  }

  @FieldResolver()
  servicePoint(@Root() r: Row, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return resolveRelation('ServiceRequest', 'servicePoint', r, undefined, ctx, info);
  }

  @FieldResolver()
  order(@Root() r: Row, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return resolveRelation('ServiceRequest', 'order', r, undefined, ctx, info);
  }

  @FieldResolver()
  sourceOrder(@Root() r: Row, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return resolveRelation('ServiceRequest', 'sourceOrder', r, undefined, ctx, info);
  }

  @FieldResolver()
  rule(@Root() r: Row, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return resolveRelation('ServiceRequest', 'rule', r, undefined, ctx, info);
  }

  @FieldResolver()
  allocation(@Root() r: Row, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return resolveRelation('ServiceRequest', 'allocation', r, undefined, ctx, info);
  }

  @FieldResolver()
  fulfilment(@Root() r: Row, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return resolveRelation('ServiceRequest', 'fulfilment', r, undefined, ctx, info);
  }
}

export const dispatchResolvers = [ServiceRequestResolver, partnerOf(AllocationStepType), partnerOf(FulfilmentEventType)] as const;
