import { Check, Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * One row: bumped by triggers on every write that could change what a key authenticates as
 * (migrations/Migration20261204200000_key_terms_generation.ts). Early answers compare it with
 * the generation their key's lookup read (src/auth/authenticate.ts, keyTermsUnchanged).
 */
@Entity({ tableName: 'key_terms_generation' })
@Check({ name: 'key_terms_generation_id_check', expression: '(id = 1)' })
export class KeyTermsGenerationEntity {
  @PrimaryKey({ type: 'integer', default: 1, autoincrement: false }) id: number = 1;
  @Property({ type: 'bigint', default: 0 }) generation!: string;
}
