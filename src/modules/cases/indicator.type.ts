import { ID, Int } from 'type-graphql';
import { Projection, SortDirection } from '../../graphql/projection';
import { DecimalScalar } from '../../graphql/scalars';
import { Tier } from '../../permissions/tier';
import { TierField } from '../../permissions/tier-field';
import { IndicatorKind } from './indicator.entity';

const { PUBLIC } = Tier;

@Projection('ReportIndicator', { table: 'report_indicator', defaultOrder: [{ slug: SortDirection.ASC }, { year: SortDirection.ASC }], description: 'A report-level indicator for one year (success rate, interoperability, market context)' })
export class ReportIndicatorType {
  @TierField(PUBLIC, () => ID, { filter: 'id', sortable: true }) id!: string;
  @TierField(PUBLIC, () => String, { filter: 'string', sortable: true }) slug!: string;
  @TierField(PUBLIC, () => String, { filter: 'string' }) name!: string;
  @TierField(PUBLIC, () => String) unit!: string;
  @TierField(PUBLIC, () => Int, { filter: 'int', sortable: true }) year!: number;
  @TierField(PUBLIC, () => DecimalScalar, { filter: 'decimal', sortable: true }) value!: string;
  @TierField(PUBLIC, () => IndicatorKind, { filter: { enum: IndicatorKind } }) kind!: IndicatorKind;
  @TierField(PUBLIC, () => String) source!: string;
}
