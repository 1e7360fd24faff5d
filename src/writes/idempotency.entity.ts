import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * One answered mutation per caller and Idempotency-Key: the same key with the same request
 * returns the stored answer; written in the transaction of the mutation it answers.
 */
@Entity({ tableName: 'idempotency_key' })
@Index({ properties: ['createdAt'] })
export class IdempotencyKeyEntity {
  /** The caller: its key id, or 'env-admin' for ECOGRAPH_ADMIN_KEY. */
  @PrimaryKey({ type: 'text' }) caller!: string;
  @PrimaryKey({ type: 'text' }) key!: string;
  /** SHA-256 of the operation, its name and its variables. */
  @Property({ type: 'text' }) requestHash!: string;
  /** The answer as sent (text, so that a replay is byte for byte the same). */
  @Property({ type: 'text' }) response!: string;
  @Property({ type: 'timestamptz' }) createdAt!: Date;
}
