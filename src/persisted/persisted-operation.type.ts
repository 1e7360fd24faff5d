// A partner's registered operation as the API shows it (to the partner itself only: the root
// fields are PARTNER-only and read the caller's own rows).
import { Field, InputType, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../graphql/scalars';
import { Tier } from '../permissions/tier';
import { TierField } from '../permissions/tier-field';

const R = { resolved: true } as const;

@ObjectType('PersistedOperation', { description: 'An operation you registered: execute it by its id (documentId, or extensions.persistedQuery.sha256Hash)' })
export class PersistedOperationType {
  @TierField(Tier.PUBLIC, () => String, { ...R, description: '"sha256:<hex>", the SHA-256 of the document: send it as documentId' }) id!: string;
  @TierField(Tier.PUBLIC, () => String, { ...R, nullable: true, description: 'The name of its operation (null: anonymous, or several operations)' }) operationName!: string | null;
  @TierField(Tier.PUBLIC, () => String, R) document!: string;
  @TierField(Tier.PUBLIC, () => DateTimeScalar, { ...R, description: 'When it was first registered' }) createdAt!: Date;
}

@InputType('PersistedOperationInput', { description: 'One operation to register' })
export class PersistedOperationInput {
  @Field(() => String, { nullable: true, description: 'Optional: "sha256:<hex>" or the 64 hex digits; refused with INVALID_VALUE unless it is the SHA-256 of document' })
  id?: string | null;
  @Field(() => String, { description: 'The document text, exactly as it will be hashed (e.g. the value in graphql-codegen\'s persisted-documents.json)' })
  document!: string;
}
