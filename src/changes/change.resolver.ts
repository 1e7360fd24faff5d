import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { Access, ROW_LEVEL_ROLES } from '../graphql/root-field';
import type { Context } from '../server/context';
import { ChangePageType } from './change.type';
import { ChangeType } from './feed-types';
import { readFeed } from './feed.service';
import { snapshotCursor } from './snapshot';

@Resolver()
export class ChangeResolver {
  @Query(() => ChangePageType, {
    description:
      'What changed in the rows you may see, after a cursor (from `changesCursor`, a list, or a previous page): in the order of their transactions, at least once, each row as it is now. Rows you may no longer see come as DELETE',
  })
  @Access(...ROW_LEVEL_ROLES)
  changes(
    @Ctx() ctx: Context,
    @Arg('after', () => String, { nullable: true, description: 'Omitted: from the oldest change kept' }) after?: string,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('types', () => [ChangeType], { nullable: true, description: 'Only these types (default: all you may see)' }) types?: ChangeType[],
  ) {
    return readFeed(ctx, { after, first, types });
  }

  @Query(() => String, { description: 'The feed position now: take it before a snapshot, then read `changes(after:)` from it' })
  @Access(...ROW_LEVEL_ROLES)
  changesCursor(@Ctx() ctx: Context) {
    return snapshotCursor(ctx);
  }
}
