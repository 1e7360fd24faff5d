import { Args, Ctx, Info, Query, Resolver } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { list } from '../../db/loaders';
import type { PageArgs } from '../../db/list-query';
import { connectionOf, projectionOf } from '../../graphql/projection';
import { Access, EVERY_ROLE, PlainList } from '../../graphql/root-field';
import type { Context } from '../../server/context';
import { AgreementType } from './agreement.type';

@Resolver(() => AgreementType)
export class AgreementResolver {
  @Query(() => connectionOf(AgreementType), { description: 'Agreements (partners: their own)' })
  @Access(...EVERY_ROLE)
  @PlainList(() => AgreementType)
  agreements(@Args(() => projectionOf(AgreementType).listArgs) a: PageArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return list(AgreementType, a, ctx, info);
  }
}
