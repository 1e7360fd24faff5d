import { Args, Ctx, Info, Query, Resolver } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { list } from '../../db/loaders';
import type { PageArgs } from '../../db/list-query';
import { connectionOf, projectionOf } from '../../graphql/projection';
import { Access, EVERY_ROLE, PlainList } from '../../graphql/root-field';
import type { Context } from '../../server/context';
import { PriceListItemType } from './price-list-item.type';
import { ServicePointType } from './service-point.type';

const args = (cls: Function) => () => projectionOf(cls).listArgs;

@Resolver()
export class CatalogueResolver {
  @Query(() => connectionOf(ServicePointType), { description: 'Where partners serve customers' })
  @Access(...EVERY_ROLE)
  @PlainList(() => ServicePointType)
  servicePoints(@Args(args(ServicePointType)) a: PageArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return list(ServicePointType, a, ctx, info);
  }

  @Query(() => connectionOf(PriceListItemType), { description: 'Published prices of all partners' })
  @Access(...EVERY_ROLE)
  @PlainList(() => PriceListItemType)
  priceListItems(@Args(args(PriceListItemType)) a: PageArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return list(PriceListItemType, a, ctx, info);
  }
}
