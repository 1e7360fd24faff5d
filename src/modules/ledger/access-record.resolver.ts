import { Args, Ctx, Info, Query, Resolver } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { list } from '../../db/loaders';
import type { PageArgs } from '../../db/list-query';
import { connectionOf, projectionOf } from '../../graphql/projection';
import { Access, PlainList } from '../../graphql/root-field';
import { Role } from '../../permissions/tier';
import type { Context } from '../../server/context';
import { AccessRecordType } from './access-record.type';

@Resolver(() => AccessRecordType)
export class AccessRecordResolver {
  @Query(() => connectionOf(AccessRecordType), { description: 'The access ledger (partners: their own requests), newest first' })
  @Access(Role.ADMIN, Role.OPERATOR, Role.PARTNER)
  @PlainList(() => AccessRecordType)
  accessLedger(@Args(() => projectionOf(AccessRecordType).listArgs) a: PageArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return list(AccessRecordType, a, ctx, info);
  }
}
