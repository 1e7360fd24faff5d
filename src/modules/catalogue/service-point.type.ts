import { ID, Int } from 'type-graphql';
import { CATALOGUE_WRITERS } from '../../permissions/write-roles';
import { Projection } from '../../graphql/projection';
import { DateTimeScalar, DecimalScalar } from '../../graphql/scalars';
import { Tier } from '../../permissions/tier';
import { TierField } from '../../permissions/tier-field';
import { PartnerType } from '../partners/partner.type';

const { PUBLIC } = Tier;

@Projection('ServicePoint', { table: 'service_point', keys: ['partner_id'], description: 'A place where a partner serves customers' })
export class ServicePointType {
  @TierField(PUBLIC, () => ID, { filter: 'id', sortable: true }) id!: string;
  @TierField(PUBLIC, () => String, { write: CATALOGUE_WRITERS, filter: 'string', sortable: true }) name!: string;
  @TierField(PUBLIC, () => String, { write: CATALOGUE_WRITERS, filter: 'string', sortable: true }) city!: string;
  @TierField(PUBLIC, () => String, { write: CATALOGUE_WRITERS, filter: 'string', sortable: true }) district!: string;
  @TierField(PUBLIC, () => DecimalScalar, { write: CATALOGUE_WRITERS, filter: 'decimal' }) latitude!: string;
  @TierField(PUBLIC, () => DecimalScalar, { write: CATALOGUE_WRITERS, filter: 'decimal' }) longitude!: string;
  @TierField(PUBLIC, () => String, { write: CATALOGUE_WRITERS }) openingHours!: string;
  @TierField(PUBLIC, () => DateTimeScalar, { nullable: true, filter: 'datetime', description: 'Set when the partner retired the point: kept for the orders that name it, takes no new work' }) retiredAt!: Date | null;
  @TierField(PUBLIC, () => Int, { filter: 'int', description: 'Bumped by every change; send it back as expectedVersion to update safely' }) version!: number;


  @TierField(PUBLIC, () => PartnerType, { resolved: true }) partner!: unknown;
}
