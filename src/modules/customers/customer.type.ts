import { ID, Int } from 'type-graphql';
import { OPERATORS } from '../../permissions/write-roles';
import { AGE_BAND_SQL } from '../../anonymisation/generalise';
import { connectionOf, Projection, SortDirection } from '../../graphql/projection';
import { DateTimeScalar } from '../../graphql/scalars';
import { Tier } from '../../permissions/tier';
import { TierField } from '../../permissions/tier-field';
import { Gender, MembershipLevel } from './customer.enums';
import { ComplaintType } from '../orders/complaint.type';
import { RatingType } from '../orders/rating.type';
import { ServiceOrderType } from '../orders/service-order.type';

const { ANONYMIZED, SENSITIVE } = Tier;

// Oldest customers first by default: an indexed order that exists for every caller (a partner's
// hidden-id tie-break is then only computed among customers created in the same instant).
@Projection('Customer', { table: 'customer', customerRows: true, defaultOrder: [{ createdAt: SortDirection.ASC }], description: 'A customer of the platform; partners see only the ones they served, anonymised' })
export class CustomerType {
  @TierField(ANONYMIZED, () => ID, { transform: 'pseudonym', filter: 'id', sortable: true, description: 'A pseudonym for everyone but admins: stable for you, different for every other partner' })
  id!: string;
  @TierField(SENSITIVE, () => String, { filter: 'string', sortable: true }) name!: string | null;
  @TierField(SENSITIVE, () => String, { filter: 'string' }) nationalId!: string | null;
  @TierField(SENSITIVE, () => String, { filter: 'string' }) phone!: string | null;
  @TierField(SENSITIVE, () => String, { filter: 'string' }) email!: string | null;
  @TierField(ANONYMIZED, () => String, { transform: 'ageBand', filter: 'date', sortable: true, description: 'Birth date for admins ("YYYY-MM-DD"); a 10-year age band ("30-39") for everyone else' })
  birthDate!: string | null;
  @TierField(ANONYMIZED, () => String, { transform: 'none', filter: 'string', sortable: true, sql: AGE_BAND_SQL, description: '10-year age band, e.g. "30-39"' })
  ageBand!: string | null;
  @TierField(ANONYMIZED, () => Gender, { transform: 'none', filter: { enum: Gender } }) gender!: Gender | null;
  @TierField(ANONYMIZED, () => String, { transform: 'none', filter: 'string', sortable: true }) city!: string | null;
  @TierField(ANONYMIZED, () => String, { transform: 'none', filter: 'string', sortable: true }) district!: string | null;
  @TierField(ANONYMIZED, () => String, { transform: 'district', filter: 'string', description: 'Street address for admins; the district for everyone else' })
  streetAddress!: string | null;
  @TierField(ANONYMIZED, () => MembershipLevel, { transform: 'none', filter: { enum: MembershipLevel }, sortable: true }) membershipLevel!: MembershipLevel | null;
  @TierField(ANONYMIZED, () => Boolean, { transform: 'none', write: OPERATORS, filter: 'boolean', description: 'Agreed to share anonymised data with partners' })
  consentDataSharing!: boolean | null;
  @TierField(ANONYMIZED, () => DateTimeScalar, { transform: 'none', filter: 'datetime', sortable: true }) createdAt!: Date | null;
  @TierField(ANONYMIZED, () => Int, { transform: 'none', filter: 'int', description: 'Bumped by every change; send it back as expectedVersion to update safely' }) version!: number | null;

  @TierField(ANONYMIZED, () => connectionOf(ServiceOrderType), { transform: 'none', resolved: true }) orders!: unknown;
  @TierField(ANONYMIZED, () => connectionOf(RatingType), { transform: 'none', resolved: true }) ratings!: unknown;
  @TierField(ANONYMIZED, () => connectionOf(ComplaintType), { transform: 'none', resolved: true }) complaints!: unknown;
}
