import { ID } from 'type-graphql';
import { Projection, SortDirection } from '../../graphql/projection';
import { DateTimeScalar } from '../../graphql/scalars';
import { Tier } from '../../permissions/tier';
import { TierField } from '../../permissions/tier-field';
import { FULFILMENT_WRITERS } from '../../permissions/write-roles';
import { PartnerType } from '../partners/partner.type';
import { FulfilmentMilestone } from './dispatch.enums';

const { PUBLIC } = Tier;

@Projection('FulfilmentEvent', {
  table: 'fulfilment_event',
  keys: ['request_id', 'partner_id'],
  defaultOrder: [{ recordedAt: SortDirection.ASC }],
  description: 'A fulfilment milestone a partner reported for a service request',
})
export class FulfilmentEventType {
  @TierField(PUBLIC, () => ID, { filter: 'id', sortable: true }) id!: string;
  @TierField(PUBLIC, () => FulfilmentMilestone, { write: FULFILMENT_WRITERS, filter: { enum: FulfilmentMilestone } }) milestone!: FulfilmentMilestone;
  @TierField(PUBLIC, () => DateTimeScalar, { write: FULFILMENT_WRITERS, filter: 'datetime', description: 'The time the partner reported (its clock; default: now)' }) reportedAt!: Date;
  @TierField(PUBLIC, () => DateTimeScalar, { filter: 'datetime', sortable: true, description: 'When the platform recorded it: SLAs are measured on this clock' }) recordedAt!: Date;
  @TierField(PUBLIC, () => String, { write: FULFILMENT_WRITERS, description: 'What the partner tells about it (vehicle handed over, reason of a failure)' }) details!: string;

  @TierField(PUBLIC, () => PartnerType, { resolved: true }) partner!: unknown;
}
