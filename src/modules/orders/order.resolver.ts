import { Arg, Args, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import type { Row } from '../../anonymisation/present';
import { idArgument, list, lookup } from '../../db/loaders';
import { resolveRelation } from '../../db/relations';
import type { PageArgs } from '../../db/list-query';
import { connectionOf, projectionOf } from '../../graphql/projection';
import { Access, ROW_LEVEL_ROLES, PlainList, PlainLookup } from '../../graphql/root-field';
import type { Context } from '../../server/context';
import { ComplaintType } from './complaint.type';
import { RatingType } from './rating.type';
import { ServiceOrderType } from './service-order.type';

const args = (cls: Function) => () => projectionOf(cls).listArgs;

@Resolver(() => ServiceOrderType)
export class ServiceOrderResolver {
  @Query(() => connectionOf(ServiceOrderType), { description: 'Service orders (partners: the ones they served)' })
  @Access(...ROW_LEVEL_ROLES)
  @PlainList(() => ServiceOrderType)
  serviceOrders(@Args(args(ServiceOrderType)) a: PageArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return list(ServiceOrderType, a, ctx, info);
  }

  @Query(() => ServiceOrderType, { nullable: true })
  @Access(...ROW_LEVEL_ROLES)
  @PlainLookup(() => ServiceOrderType)
  serviceOrder(@Arg('id', () => ID) id: string, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return lookup(ServiceOrderType, idArgument(ServiceOrderType, id, ctx), ctx, info);
  }

  @FieldResolver()
  customer(@Root() o: Row, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return resolveRelation('ServiceOrder', 'customer', o, undefined, ctx, info);
  }

  @FieldResolver()
  servicePoint(@Root() o: Row, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return resolveRelation('ServiceOrder', 'servicePoint', o, undefined, ctx, info);
  }

  @FieldResolver()
  rating(@Root() o: Row, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return resolveRelation('ServiceOrder', 'rating', o, undefined, ctx, info);
  }

  @FieldResolver()
  complaints(@Root() o: Row, @Args(args(ComplaintType)) a: PageArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return resolveRelation('ServiceOrder', 'complaints', o, a, ctx, info);
  }
}

@Resolver(() => RatingType)
export class RatingResolver {
  @Query(() => connectionOf(RatingType), { description: 'Customer ratings of orders' })
  @Access(...ROW_LEVEL_ROLES)
  @PlainList(() => RatingType)
  ratings(@Args(args(RatingType)) a: PageArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return list(RatingType, a, ctx, info);
  }

  @FieldResolver()
  order(@Root() r: Row, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return resolveRelation('Rating', 'order', r, undefined, ctx, info);
  }

  @FieldResolver()
  customer(@Root() r: Row, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return resolveRelation('Rating', 'customer', r, undefined, ctx, info);
  }
}

@Resolver(() => ComplaintType)
export class ComplaintResolver {
  @Query(() => connectionOf(ComplaintType), { description: 'Customer complaints' })
  @Access(...ROW_LEVEL_ROLES)
  @PlainList(() => ComplaintType)
  complaints(@Args(args(ComplaintType)) a: PageArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return list(ComplaintType, a, ctx, info);
  }

  @FieldResolver()
  order(@Root() c: Row, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return resolveRelation('Complaint', 'order', c, undefined, ctx, info);
  }

  @FieldResolver()
  customer(@Root() c: Row, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return resolveRelation('Complaint', 'customer', c, undefined, ctx, info);
  }
}
