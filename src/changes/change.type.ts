// The change feed's GraphQL types. `node` is the row exactly as the caller's schema shows that
// type (same projection, same pseudonyms and generalisation), resolved like any list's node.
import { createUnionType, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Tier } from '../permissions/tier';
import { TierField } from '../permissions/tier-field';
import { ChangeType, FEED_CLASSES } from './feed-types';

export enum ChangeOp {
  UPSERT = 'UPSERT',
  DELETE = 'DELETE',
}
registerEnumType(ChangeOp, {
  name: 'ChangeOp',
  description: 'UPSERT: store the node as it is now. DELETE: the row is gone, or no longer yours to see',
});

export const ChangeNode = createUnionType({
  name: 'ChangeNode',
  description: 'A row of any type the feed carries',
  types: () => FEED_CLASSES,
  resolveType: (value) => (value as { $type?: string }).$type,
});

@ObjectType('ChangeEvent', { description: 'One change as you see it' })
export class ChangeEventType {
  @TierField(Tier.PUBLIC, () => String, { description: 'Pass as `after` to continue after this event' }) cursor!: string;
  @TierField(Tier.PUBLIC, () => ChangeType) type!: ChangeType;
  @TierField(Tier.PUBLIC, () => ChangeOp) op!: ChangeOp;
  @TierField(Tier.PUBLIC, () => ID, { description: 'The id as your lists show it (a pseudonym where they show one)' }) id!: string;
  @TierField(Tier.PUBLIC, () => ChangeNode, { nullable: true, description: 'The row now (UPSERT); null for DELETE' }) node!: unknown;
  @TierField(Tier.PUBLIC, () => Boolean, { description: 'Re-states a row because what you may see changed (agreement, suspension), not the row' })
  resync!: boolean;
}

@ObjectType('ChangePage', { description: 'A page of the change feed' })
export class ChangePageType {
  @TierField(Tier.PUBLIC, () => [ChangeEventType]) events!: ChangeEventType[];
  @TierField(Tier.PUBLIC, () => String, { description: 'Where the next page starts, also when this one is empty: keep it durably' }) endCursor!: string;
  @TierField(Tier.PUBLIC, () => Boolean, { description: 'More changes are ready now; when false, ask again later from endCursor' }) hasNextPage!: boolean;
}
