import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** What has been seeded, so that seeding twice changes nothing. */
@Entity({ tableName: 'seed_state' })
export class SeedStateEntity {
  @PrimaryKey({ type: 'text' }) key!: string;
  @Property({ type: 'json' }) value!: Record<string, unknown>;
  @Property({ type: 'timestamptz' }) updatedAt!: Date;
}
