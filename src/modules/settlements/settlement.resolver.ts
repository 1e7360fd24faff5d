import { Args, Ctx, Info, Query, Resolver } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { list } from '../../db/loaders';
import type { PageArgs } from '../../db/list-query';
import { connectionOf, projectionOf } from '../../graphql/projection';
import { Access, EVERY_ROLE, PlainList } from '../../graphql/root-field';
import type { Context } from '../../server/context';
import { SettlementType } from './settlement.type';

@Resolver(() => SettlementType)
export class SettlementResolver {
  @Query(() => connectionOf(SettlementType), { description: 'Monthly settlements (partners: their own)' })
  @Access(...EVERY_ROLE)
  @PlainList(() => SettlementType)
  settlements(@Args(() => projectionOf(SettlementType).listArgs) a: PageArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return list(SettlementType, a, ctx, info);
  }
}
