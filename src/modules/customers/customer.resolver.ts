import { Arg, Args, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import type { Row } from '../../anonymisation/present';
import { idArgument, list, lookup } from '../../db/loaders';
import { resolveRelation } from '../../db/relations';
import type { PageArgs } from '../../db/list-query';
import { connectionOf, projectionOf } from '../../graphql/projection';
import { Access, ROW_LEVEL_ROLES, PlainList, PlainLookup } from '../../graphql/root-field';
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
  @PlainList(() => CustomerType)
  customers(@Args(args(CustomerType)) a: PageArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return list(CustomerType, a, ctx, info);
  }

  @Query(() => CustomerType, { nullable: true, description: 'One customer by id (or by the pseudonym you were given)' })
  @Access(...ROW_LEVEL_ROLES)
  @PlainLookup(() => CustomerType)
  customer(@Arg('id', () => ID) id: string, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return lookup(CustomerType, idArgument(CustomerType, id, ctx), ctx, info);
  }

  @FieldResolver()
  orders(@Root() c: Row, @Args(args(ServiceOrderType)) a: PageArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return resolveRelation('Customer', 'orders', c, a, ctx, info);
  }

  @FieldResolver()
  ratings(@Root() c: Row, @Args(args(RatingType)) a: PageArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return resolveRelation('Customer', 'ratings', c, a, ctx, info);
  }

  @FieldResolver()
  complaints(@Root() c: Row, @Args(args(ComplaintType)) a: PageArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return resolveRelation('Customer', 'complaints', c, a, ctx, info);
  }
}
