import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A rule that opens service requests by itself, kept as data like the alert rules: an order of
 * `sourceServiceType` still in one of `sourceStatuses` `afterMinutes` after it was created opens a
 * request for `requestServiceType` (the documents' case: a repair over 4 hours -> a courtesy car).
 */
@Entity({ tableName: 'dispatch_rule' })
export class DispatchRuleEntity {
  @PrimaryKey({ type: 'integer' }) id!: number;
  @Property({ type: 'text', unique: true }) slug!: string;
  @Property({ type: 'text' }) name!: string;
  @Property({ type: 'text' }) sourceServiceType!: string;
  @Property({ type: 'text[]' }) sourceStatuses!: string[];
  @Property({ type: 'integer' }) afterMinutes!: number;
  @Property({ type: 'text' }) requestServiceType!: string;
  /** Length of the requested time window, from the moment the rule fires. */
  @Property({ type: 'integer' }) windowMinutes!: number;
  @Property({ type: 'boolean' }) enabled: boolean = true;
  @Property({ type: 'integer', default: 1 }) version: number = 1;
}
