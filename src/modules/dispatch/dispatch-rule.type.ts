import { ID, Int } from 'type-graphql';
import { Projection, SortDirection } from '../../graphql/projection';
import { Tier } from '../../permissions/tier';
import { TierField } from '../../permissions/tier-field';
import { OPERATORS } from '../../permissions/write-roles';

const { PUBLIC } = Tier;

@Projection('DispatchRule', {
  table: 'dispatch_rule',
  defaultOrder: [{ slug: SortDirection.ASC }],
  description: 'A rule that opens service requests by itself, e.g. a repair over 4 hours -> a courtesy car',
})
export class DispatchRuleType {
  @TierField(PUBLIC, () => ID, { filter: 'id', sortable: true }) id!: string;
  @TierField(PUBLIC, () => String, { filter: 'string', sortable: true }) slug!: string;
  @TierField(PUBLIC, () => String, { write: OPERATORS }) name!: string;
  @TierField(PUBLIC, () => String, { filter: 'string', description: 'Orders of this service type are watched' }) sourceServiceType!: string;
  @TierField(PUBLIC, () => [String], { description: 'while in one of these statuses' }) sourceStatuses!: string[];
  @TierField(PUBLIC, () => Int, { write: OPERATORS, description: 'this many minutes after they were created' }) afterMinutes!: number;
  @TierField(PUBLIC, () => String, { filter: 'string', description: 'The service requested then' }) requestServiceType!: string;
  @TierField(PUBLIC, () => Int, { write: OPERATORS, description: 'Length of the requested time window' }) windowMinutes!: number;
  @TierField(PUBLIC, () => Boolean, { write: OPERATORS, filter: 'boolean' }) enabled!: boolean;
  @TierField(PUBLIC, () => Int) version!: number;
}
