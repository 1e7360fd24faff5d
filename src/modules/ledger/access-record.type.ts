import { GraphQLJSON } from 'graphql-scalars';
import { ID, Int } from 'type-graphql';
import { Projection, SortDirection } from '../../graphql/projection';
import { DateTimeScalar } from '../../graphql/scalars';
import { Role, Tier } from '../../permissions/tier';
import { TierField } from '../../permissions/tier-field';

const { PUBLIC, SENSITIVE } = Tier;

@Projection('AccessRecord', {
  table: 'access_ledger',
  description: 'One request by a non-admin key: what it received, by tier, and what it filtered on',
  defaultOrder: [{ at: SortDirection.DESC }],
})
export class AccessRecordType {
  @TierField(PUBLIC, () => ID, { filter: 'id', sortable: true }) id!: string;
  @TierField(PUBLIC, () => DateTimeScalar, { filter: 'datetime', sortable: true }) at!: Date;
  @TierField(PUBLIC, () => String, { filter: 'string' }) requestId!: string;
  @TierField(PUBLIC, () => Role, { filter: { enum: Role } }) role!: Role;
  @TierField(PUBLIC, () => Int, { nullable: true, filter: 'int', description: 'The key used (see keys list)' }) keyId!: number | null;
  @TierField(PUBLIC, () => Int, { nullable: true, filter: 'int' }) partnerId!: number | null;
  @TierField(PUBLIC, () => String, { nullable: true, filter: 'string', sortable: false }) operationName!: string | null;
  @TierField(PUBLIC, () => String, { filter: 'string', description: 'SHA-256 of the query text' }) operationHash!: string;
  @TierField(PUBLIC, () => String, { nullable: true, filter: 'string', sortable: false, description: 'The persisted operation executed, when the request came by id (documentId or persistedQuery)' }) operationId!: string | null;
  @TierField(PUBLIC, () => [String], { filter: 'stringList', description: 'PUBLIC fields returned, as Type.field' }) publicFields!: string[];
  @TierField(PUBLIC, () => [String], { filter: 'stringList', description: 'ANONYMIZED fields returned (anonymised)' }) anonymizedFields!: string[];
  @TierField(PUBLIC, () => [String], { filter: 'stringList', description: 'SENSITIVE fields returned (always empty for partners)' }) sensitiveFields!: string[];
  @TierField(PUBLIC, () => [String], { filter: 'stringList', description: 'Fields used only in where/orderBy' }) filterFields!: string[];
  @TierField(PUBLIC, () => Int, { filter: 'int', sortable: true, description: 'Rows returned' }) rowCount!: number;
  @TierField(PUBLIC, () => Int, { filter: 'int', sortable: true }) durationMs!: number;
  @TierField(PUBLIC, () => [String], { filter: 'stringList' }) errorCodes!: string[];
  @TierField(PUBLIC, () => String, { nullable: true, filter: 'string', description: 'Committed mutations: the mutation fields called' }) mutation!: string | null;
  // SENSITIVE as a whole: the audit trail of writes is for admins (auditors) only.
  @TierField(SENSITIVE, () => GraphQLJSON, {
    description: 'Committed mutations: every row written, with its declared fields before and after (never SENSITIVE values nor raw generalised ones)',
  })
  changes!: unknown;
}
