import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Row } from '../../anonymisation/present';
import { allOf, fk, idArgument, list, one, pageOf, realId } from '../../db/loaders';
import type { PageArgs } from '../../db/list-query';
import { connectionOf, projectionOf } from '../../graphql/projection';
import { Access, ROW_LEVEL_ROLES } from '../../graphql/root-field';
import type { Context } from '../../server/context';
import { ServicePointType } from '../catalogue/service-point.type';
import { CustomerType } from '../customers/customer.type';
import { ComplaintType } from './complaint.type';
import { RatingType } from './rating.type';
import { ServiceOrderType } from './service-order.type';

const args = (cls: Function) => () => projectionOf(cls).listArgs;

@Resolver(() => ServiceOrderType)
export class ServiceOrderResolver {
  @Query(() => connectionOf(ServiceOrderType), { description: 'Service orders (partners: the ones they served)' })
  @Access(...ROW_LEVEL_ROLES)
  serviceOrders(@Args(args(ServiceOrderType)) a: PageArgs, @Ctx() ctx: Context) {
    return list(ServiceOrderType, a, ctx);
  }

  @Query(() => ServiceOrderType, { nullable: true })
  @Access(...ROW_LEVEL_ROLES)
  serviceOrder(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return one(ServiceOrderType, idArgument(ServiceOrderType, id, ctx), ctx);
  }

  @FieldResolver()
  customer(@Root() o: Row, @Ctx() ctx: Context) {
    return one(CustomerType, fk(o, 'customer_id'), ctx);
  }

  @FieldResolver()
  servicePoint(@Root() o: Row, @Ctx() ctx: Context) {
    return one(ServicePointType, fk(o, 'service_point_id'), ctx);
  }

  @FieldResolver()
  async rating(@Root() o: Row, @Ctx() ctx: Context) {
    const ratings = await allOf(RatingType, 'order_id', realId(o), ctx);
    return ratings[0] ?? null;
  }

  @FieldResolver()
  complaints(@Root() o: Row, @Args(args(ComplaintType)) a: PageArgs, @Ctx() ctx: Context) {
    return pageOf(ComplaintType, 'order_id', realId(o), a, ctx);
  }
}

@Resolver(() => RatingType)
export class RatingResolver {
  @Query(() => connectionOf(RatingType), { description: 'Customer ratings of orders' })
  @Access(...ROW_LEVEL_ROLES)
  ratings(@Args(args(RatingType)) a: PageArgs, @Ctx() ctx: Context) {
    return list(RatingType, a, ctx);
  }

  @FieldResolver()
  order(@Root() r: Row, @Ctx() ctx: Context) {
    return one(ServiceOrderType, fk(r, 'order_id'), ctx);
  }

  @FieldResolver()
  customer(@Root() r: Row, @Ctx() ctx: Context) {
    return one(CustomerType, fk(r, 'customer_id'), ctx);
  }
}

@Resolver(() => ComplaintType)
export class ComplaintResolver {
  @Query(() => connectionOf(ComplaintType), { description: 'Customer complaints' })
  @Access(...ROW_LEVEL_ROLES)
  complaints(@Args(args(ComplaintType)) a: PageArgs, @Ctx() ctx: Context) {
    return list(ComplaintType, a, ctx);
  }

  @FieldResolver()
  order(@Root() c: Row, @Ctx() ctx: Context) {
    return one(ServiceOrderType, fk(c, 'order_id'), ctx);
  }

  @FieldResolver()
  customer(@Root() c: Row, @Ctx() ctx: Context) {
    return one(CustomerType, fk(c, 'customer_id'), ctx);
  }
}
