import { ArrayType, Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Role } from '../../permissions/tier';

/** One non-admin request: who asked, what they received by tier, and what they filtered on. */
@Entity({ tableName: 'access_ledger' })
@Index({ properties: ['partnerId', 'at'] })
@Index({ properties: ['at'] })
export class AccessRecordEntity {
  @PrimaryKey({ type: 'bigint', autoincrement: true }) id!: string;
  @Property({ type: 'timestamptz' }) at!: Date;
  @Property({ type: 'text' }) requestId!: string;
  @Enum({ items: () => Role, type: 'text' }) role!: Role;
  @Property({ type: 'integer', nullable: true }) keyId?: number;
  /** No foreign key: the record outlives a deleted partner. */
  @Property({ type: 'integer', nullable: true }) partnerId?: number;
  @Property({ type: 'text', nullable: true }) operationName?: string;
  @Property({ type: 'text' }) operationHash!: string;
  /** The persisted operation's id when the request came by id (src/persisted). */
  @Property({ type: 'text', nullable: true }) operationId?: string;
  @Property({ type: ArrayType, columnType: 'text[]' }) publicFields: string[] = [];
  @Property({ type: ArrayType, columnType: 'text[]' }) anonymizedFields: string[] = [];
  @Property({ type: ArrayType, columnType: 'text[]' }) sensitiveFields: string[] = [];
  /** Fields named only in where/orderBy, not returned. */
  @Property({ type: ArrayType, columnType: 'text[]' }) filterFields: string[] = [];
  @Property({ type: 'integer' }) rowCount!: number;
  @Property({ type: 'integer' }) durationMs!: number;
  @Property({ type: ArrayType, columnType: 'text[]' }) errorCodes: string[] = [];
  /** Mutations: the root field called. */
  @Property({ type: 'text', nullable: true }) mutation?: string;
  /** Mutations: each row written with its fields before and after (SENSITIVE values never). */
  @Property({ type: 'jsonb', nullable: true }) changes?: unknown;
}
