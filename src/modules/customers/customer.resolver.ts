import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Row } from '../../anonymisation/present';
import { idArgument, list, one, pageOf, realId } from '../../db/loaders';
import type { PageArgs } from '../../db/list-query';
import { connectionOf, projectionOf } from '../../graphql/projection';
import { Access, ROW_LEVEL_ROLES } from '../../graphql/root-field';
import type { Context } from '../../server/context';
import { ComplaintType } from '../orders/complaint.type';
import { RatingType } from '../orders/rating.type';
import { ServiceOrderType } from '../orders/service-order.type';
import { CustomerType } from './customer.type';

const args = (cls: Function) => () => projectionOf(cls).listArgs;

@Resolver(() => CustomerType)
export class CustomerResolver {
  @Query(() => connectionOf(CustomerType), { description: 'Customers (partners: the consenting ones they served, anonymised)' })
  @Access(...ROW_LEVEL_ROLES)
  customers(@Args(args(CustomerType)) a: PageArgs, @Ctx() ctx: Context) {
    return list(CustomerType, a, ctx);
  }

  @Query(() => CustomerType, { nullable: true, description: 'One customer by id (or by the pseudonym you were given)' })
  @Access(...ROW_LEVEL_ROLES)
  customer(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return one(CustomerType, idArgument(CustomerType, id, ctx), ctx);
  }

  @FieldResolver()
  orders(@Root() c: Row, @Args(args(ServiceOrderType)) a: PageArgs, @Ctx() ctx: Context) {
    return pageOf(ServiceOrderType, 'customer_id', realId(c), a, ctx);
  }

  @FieldResolver()
  ratings(@Root() c: Row, @Args(args(RatingType)) a: PageArgs, @Ctx() ctx: Context) {
    return pageOf(RatingType, 'customer_id', realId(c), a, ctx);
  }

  @FieldResolver()
  complaints(@Root() c: Row, @Args(args(ComplaintType)) a: PageArgs, @Ctx() ctx: Context) {
    return pageOf(ComplaintType, 'customer_id', realId(c), a, ctx);
  }
}
