import { ID, Int } from 'type-graphql';
import { DateScalar } from '../../graphql/scalars';
import { OPERATORS } from '../../permissions/write-roles';
import { Tier } from '../../permissions/tier';
import { TierField } from '../../permissions/tier-field';
import { ApiOpenness, PartnerCategory, PartnerStatus, QualityTier } from './partner.enums';
import { connectionOf, Projection } from '../../graphql/projection';
import { AgreementType } from '../agreements/agreement.type';
import { PriceListItemType } from '../catalogue/price-list-item.type';
import { ServicePointType } from '../catalogue/service-point.type';
import { ComplaintType } from '../orders/complaint.type';
import { RatingType } from '../orders/rating.type';
import { ServiceOrderType } from '../orders/service-order.type';
import { SettlementType } from '../settlements/settlement.type';
import { PartnerTierRecordType } from './partner-tier-history.type';
import { PartnerStatusChangeType } from './partner-status-change.type';

const { PUBLIC } = Tier;

@Projection('Partner', { table: 'partner', description: 'An ecosystem partner: its public profile and, by relation, its data' })
export class PartnerType {
  @TierField(PUBLIC, () => ID, { filter: 'id', sortable: true }) id!: string;
  @TierField(PUBLIC, () => String, { write: OPERATORS, filter: 'string', sortable: true }) slug!: string;
  @TierField(PUBLIC, () => String, { write: OPERATORS, filter: 'string', sortable: true }) name!: string;
  @TierField(PUBLIC, () => String, { write: OPERATORS, filter: 'string', sortable: true }) nameEn!: string;
  @TierField(PUBLIC, () => PartnerCategory, { write: OPERATORS, filter: { enum: PartnerCategory }, sortable: true }) category!: PartnerCategory;
  @TierField(PUBLIC, () => String, { write: OPERATORS, filter: 'string', sortable: true }) industry!: string;
  @TierField(PUBLIC, () => [String], { write: OPERATORS, filter: 'stringList', description: 'Service types the partner offers' }) serviceTypes!: string[];
  @TierField(PUBLIC, () => [String], { write: OPERATORS, filter: 'stringList', description: 'Cities the partner covers' }) cities!: string[];
  @TierField(PUBLIC, () => ApiOpenness, { write: OPERATORS, filter: { enum: ApiOpenness } }) apiOpenness!: ApiOpenness;
  @TierField(PUBLIC, () => PartnerStatus, { filter: { enum: PartnerStatus }, sortable: true }) status!: PartnerStatus;
  @TierField(PUBLIC, () => QualityTier, { nullable: true, filter: { enum: QualityTier }, description: 'Tier of the latest evaluated month' })
  qualityTier!: QualityTier | null;
  @TierField(PUBLIC, () => String, { write: OPERATORS }) description!: string;
  @TierField(PUBLIC, () => DateScalar, { filter: 'date', sortable: true }) joinedOn!: string;
  @TierField(PUBLIC, () => Boolean, { filter: 'boolean', description: 'Named in the source documents' }) reference!: boolean;
  @TierField(PUBLIC, () => String, { nullable: true, description: 'Why the partner has its status: the last lifecycle change' }) statusReason!: string | null;
  @TierField(PUBLIC, () => Int, { filter: 'int', description: 'Bumped by every change; send it back as expectedVersion to update safely' }) version!: number;
  @TierField(PUBLIC, () => Int, { sql: 'coalesce(cardinality({t}."service_types"), 0)', filter: 'int', sortable: true, description: 'Number of service types offered' }) serviceTypeCount!: number;

  @TierField(PUBLIC, () => connectionOf(ServicePointType), { resolved: true }) servicePoints!: unknown;
  @TierField(PUBLIC, () => connectionOf(PriceListItemType), { resolved: true }) priceList!: unknown;
  @TierField(PUBLIC, () => connectionOf(AgreementType), { resolved: true, description: 'Its agreements, newest first' }) agreements!: unknown;
  @TierField(PUBLIC, () => connectionOf(PartnerTierRecordType), { resolved: true, description: 'Monthly quality tiers, newest first' }) tierHistory!: unknown;
  @TierField(PUBLIC, () => connectionOf(PartnerStatusChangeType), { resolved: true, description: 'Lifecycle changes (onboarded, suspended, reinstated, exited), newest first' }) statusHistory!: unknown;
  @TierField(PUBLIC, () => connectionOf(SettlementType), { resolved: true }) settlements!: unknown;
  @TierField(PUBLIC, () => connectionOf(ServiceOrderType), { resolved: true }) orders!: unknown;
  @TierField(PUBLIC, () => connectionOf(RatingType), { resolved: true }) ratings!: unknown;
  @TierField(PUBLIC, () => connectionOf(ComplaintType), { resolved: true }) complaints!: unknown;
}
