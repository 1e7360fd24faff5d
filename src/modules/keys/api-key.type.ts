import { ID, Int } from 'type-graphql';
import { Projection, SortDirection } from '../../graphql/projection';
import { DateTimeScalar } from '../../graphql/scalars';
import { Role, Tier } from '../../permissions/tier';
import { TierField } from '../../permissions/tier-field';
import { OPERATORS } from '../../permissions/write-roles';
import { PartnerType } from '../partners/partner.type';

const { PUBLIC } = Tier;

// Keys are reached only through the operators' root field `apiKeys` (partners have no row
// scope on api_key, and no relation leads to it). The secret is never stored: only its hash.
@Projection('ApiKey', { table: 'api_key', keys: ['partner_id'], defaultOrder: [{ createdAt: SortDirection.DESC }], description: 'An API key (its secret is shown once, when it is created)' })
export class ApiKeyType {
  @TierField(PUBLIC, () => ID, { filter: 'id', sortable: true }) id!: string;
  @TierField(PUBLIC, () => String, { write: OPERATORS, filter: 'string', sortable: true }) label!: string;
  @TierField(PUBLIC, () => Role, { write: OPERATORS, filter: { enum: Role } }) role!: Role;
  @TierField(PUBLIC, () => ID, { nullable: true, column: 'partner_id', filter: 'id', description: 'The partner a PARTNER key is bound to (null for other roles)' }) partnerId!: string | null;
  @TierField(PUBLIC, () => String, { description: 'First characters of the secret, to tell keys apart' }) prefix!: string;
  @TierField(PUBLIC, () => DateTimeScalar, { filter: 'datetime', sortable: true }) createdAt!: Date;
  @TierField(PUBLIC, () => DateTimeScalar, { write: OPERATORS, nullable: true, filter: 'datetime' }) expiresAt!: Date | null;
  @TierField(PUBLIC, () => DateTimeScalar, { nullable: true, filter: 'datetime' }) revokedAt!: Date | null;
  @TierField(PUBLIC, () => String, { nullable: true }) revokeReason!: string | null;
  @TierField(PUBLIC, () => ID, { nullable: true, description: 'The key this one replaced by rotation' }) rotatedFromId!: string | null;
  @TierField(PUBLIC, () => Int, { filter: 'int', description: 'Bumped by every change; send it back as expectedVersion to update safely' }) version!: number;

  @TierField(PUBLIC, () => PartnerType, { resolved: true, nullable: true }) partner!: unknown;
}
