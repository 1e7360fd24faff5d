import { ID } from 'type-graphql';
import { Projection } from '../../graphql/projection';
import { DecimalScalar } from '../../graphql/scalars';
import { Tier } from '../../permissions/tier';
import { TierField } from '../../permissions/tier-field';
import { PartnerType } from '../partners/partner.type';

const { PUBLIC } = Tier;

@Projection('ServicePoint', { table: 'service_point', keys: ['partner_id'], description: 'A place where a partner serves customers' })
export class ServicePointType {
  @TierField(PUBLIC, () => ID, { filter: 'id', sortable: true }) id!: string;
  @TierField(PUBLIC, () => String, { filter: 'string', sortable: true }) name!: string;
  @TierField(PUBLIC, () => String, { filter: 'string', sortable: true }) city!: string;
  @TierField(PUBLIC, () => String, { filter: 'string', sortable: true }) district!: string;
  @TierField(PUBLIC, () => DecimalScalar, { filter: 'decimal' }) latitude!: string;
  @TierField(PUBLIC, () => DecimalScalar, { filter: 'decimal' }) longitude!: string;
  @TierField(PUBLIC, () => String) openingHours!: string;

  @TierField(PUBLIC, () => PartnerType, { resolved: true }) partner!: unknown;
}
