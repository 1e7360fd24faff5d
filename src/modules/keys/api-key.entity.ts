import { Entity, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Role } from '../../permissions/tier';
import { PartnerEntity } from '../partners/partner.entity';

/** An API key; only its SHA-256 is stored, the key itself is shown once at creation. */
@Entity({ tableName: 'api_key' })
export class ApiKeyEntity {
  @PrimaryKey({ type: 'integer' }) id!: number;
  @Property({ type: 'text' }) label!: string;
  @Enum({ items: () => Role, type: 'text' }) role!: Role;
  @ManyToOne(() => PartnerEntity, { nullable: true, deleteRule: 'cascade' }) partner?: PartnerEntity;
  @Property({ type: 'text', unique: true }) hash!: string;
  /** First characters of the key, for telling keys apart in listings. */
  @Property({ type: 'text' }) prefix!: string;
  @Property({ type: 'timestamptz' }) createdAt!: Date;
  @Property({ type: 'timestamptz', nullable: true }) expiresAt?: Date;
  @Property({ type: 'timestamptz', nullable: true }) revokedAt?: Date;
  @Property({ type: 'text', nullable: true }) revokeReason?: string;
  /** The key this one replaced (rotation); the old one expires after the overlap. */
  @Property({ type: 'integer', nullable: true }) rotatedFromId?: number;
  /** Bumped by a trigger on every update, whatever path writes (optimistic concurrency). */
  @Property({ type: 'integer', default: 1 }) version: number = 1;
}
