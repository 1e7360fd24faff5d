import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Every write to a captured table, filled by triggers in the writing transaction
 * (migrations/…_change_feed.ts). The feed reads it in (txid, seq) order, and only below the
 * oldest running transaction, so a page never skips a change that commits later.
 */
@Entity({ tableName: 'change_log' })
@Index({ properties: ['txid', 'seq'] })
@Index({ properties: ['at'] })
// When a row was inserted: the feed asks it to tell which of a customer's orders are new.
@Index({ properties: ['tableName', 'rowId'] })
export class ChangeLogEntity {
  @PrimaryKey({ type: 'bigint', autoincrement: true }) seq!: string;
  @Property({ columnType: 'xid8', type: 'string', defaultRaw: 'pg_current_xact_id()' }) txid!: string;
  @Property({ type: 'text' }) tableName!: string;
  @Property({ type: 'integer' }) rowId!: number;
  /** I, U or D. */
  @Property({ columnType: 'char(1)', type: 'string' }) op!: string;
  @Property({ type: 'json', nullable: true }) old?: unknown;
  @Property({ type: 'json', nullable: true }) new?: unknown;
  /** The partner_id of the row before and after, when the table has one. */
  @Property({ columnType: 'int[]', type: 'unknown', nullable: true }) partnerIds?: number[];
  @Property({ type: 'timestamptz', defaultRaw: 'now()' }) at!: Date;
}

/** How far retention has pruned the log: a cursor before this position has lost changes. */
@Entity({ tableName: 'change_log_horizon' })
export class ChangeLogHorizonEntity {
  @PrimaryKey({ type: 'smallint', default: 1, autoincrement: false }) id!: number;
  @Property({ columnType: 'xid8', type: 'string' }) txid!: string;
  @Property({ type: 'bigint' }) seq!: string;
  @Property({ type: 'timestamptz' }) prunedAt!: Date;
}
