import { ID, Int } from 'type-graphql';
import { Projection, SortDirection } from '../../graphql/projection';
import { DateTimeScalar, DecimalScalar } from '../../graphql/scalars';
import { Tier } from '../../permissions/tier';
import { TierField } from '../../permissions/tier-field';
import { PartnerType } from '../partners/partner.type';
import { AllocationOutcome } from './dispatch.enums';

const { PUBLIC } = Tier;

@Projection('AllocationStep', {
  table: 'allocation_step',
  keys: ['request_id', 'partner_id'],
  defaultOrder: [{ id: SortDirection.ASC }],
  description: 'One partner considered for a service request: its place in line and what became of it',
})
export class AllocationStepType {
  @TierField(PUBLIC, () => ID, { filter: 'id', sortable: true }) id!: string;
  @TierField(PUBLIC, () => Int, { nullable: true, sortable: false, description: 'Place in line, 1 first; null when skipped' }) position!: number | null;
  @TierField(PUBLIC, () => String, { nullable: true, description: 'Quality tier when allocated (UNRATED: none yet)' }) tier!: string | null;
  @TierField(PUBLIC, () => DecimalScalar, { nullable: true, description: 'Evaluation score used to order the tier' }) score!: string | null;
  @TierField(PUBLIC, () => DecimalScalar, { nullable: true, description: '(recent offers + 1) / score: the lowest goes first within a tier' }) priority!: string | null;
  @TierField(PUBLIC, () => AllocationOutcome, { filter: { enum: AllocationOutcome } }) outcome!: AllocationOutcome;
  @TierField(PUBLIC, () => String) reason!: string;
  @TierField(PUBLIC, () => DateTimeScalar, { filter: 'datetime', sortable: true }) updatedAt!: Date;

  @TierField(PUBLIC, () => PartnerType, { resolved: true }) partner!: unknown;
}
