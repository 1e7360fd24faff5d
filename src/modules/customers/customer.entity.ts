import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Gender, MembershipLevel } from './customer.enums';

@Entity({ tableName: 'customer' })
@Index({ properties: ['city', 'district'] })
@Index({ properties: ['createdAt'] })
export class CustomerEntity {
  @PrimaryKey({ type: 'integer' }) id!: number;
  @Property({ type: 'text' }) name!: string;
  @Property({ type: 'text', unique: true }) nationalId!: string;
  @Property({ type: 'text' }) phone!: string;
  @Property({ type: 'text' }) email!: string;
  @Property({ type: 'date' }) birthDate!: string;
  @Enum({ items: () => Gender, type: 'text' }) gender!: Gender;
  @Property({ type: 'text' }) city!: string;
  @Property({ type: 'text' }) district!: string;
  @Property({ type: 'text' }) streetAddress!: string;
  @Enum({ items: () => MembershipLevel, type: 'text' }) membershipLevel!: MembershipLevel;
  @Property({ type: 'boolean' }) consentDataSharing!: boolean;
  @Property({ type: 'timestamptz' }) createdAt!: Date;
  /** Bumped by a trigger on every update, whatever path writes (optimistic concurrency). */
  @Property({ type: 'integer', default: 1 }) version: number = 1;
}
