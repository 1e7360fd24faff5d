import { Entity, ManyToOne, PrimaryKey, PrimaryKeyProp, Property } from '@mikro-orm/core';
import { PartnerEntity } from '../modules/partners/partner.entity';

/**
 * An operation a partner registered (src/persisted): executed later by its id, and the only
 * operations a partner whose agreement sets persistedOnly may execute. Ids are per partner;
 * a document never changes under its id (the id is its SHA-256).
 */
@Entity({ tableName: 'persisted_operation' })
export class PersistedOperationEntity {
  @ManyToOne(() => PartnerEntity, { primary: true, deleteRule: 'cascade' }) partner!: PartnerEntity;
  /** "sha256:<hex>": the SHA-256 of `document`, as GraphQL-over-HTTP's documentId has it. */
  @PrimaryKey({ type: 'text' }) id!: string;
  @Property({ type: 'text' }) document!: string;
  /** The name of the document's operation (null: anonymous, or several operations). */
  @Property({ type: 'text', nullable: true }) operationName?: string;
  @Property({ type: 'timestamptz' }) createdAt!: Date;

  [PrimaryKeyProp]?: ['partner', 'id'];
}
