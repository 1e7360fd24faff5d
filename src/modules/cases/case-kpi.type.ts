import { ID } from 'type-graphql';
import { Projection, SortDirection } from '../../graphql/projection';
import { DecimalScalar } from '../../graphql/scalars';
import { Tier } from '../../permissions/tier';
import { TierField } from '../../permissions/tier-field';
import { KpiFamily } from './case.enums';

const { PUBLIC } = Tier;

@Projection('CaseKpi', { table: 'case_kpi', keys: ['case_id'], defaultOrder: [{ family: SortDirection.ASC }], description: 'One KPI of a collaboration case, before and after' })
export class CaseKpiType {
  @TierField(PUBLIC, () => ID, { filter: 'id', sortable: true }) id!: string;
  @TierField(PUBLIC, () => String, { filter: 'string', sortable: true }) name!: string;
  @TierField(PUBLIC, () => KpiFamily, { filter: { enum: KpiFamily }, sortable: true }) family!: KpiFamily;
  @TierField(PUBLIC, () => String) unit!: string;
  @TierField(PUBLIC, () => DecimalScalar, { nullable: true }) valueBefore!: string | null;
  @TierField(PUBLIC, () => DecimalScalar, { nullable: true }) valueAfter!: string | null;
  @TierField(PUBLIC, () => DecimalScalar, { nullable: true, description: 'Relative change the source reports, in percent' }) reportedChangePct!: string | null;
  @TierField(PUBLIC, () => DecimalScalar, {
    nullable: true,
    description: 'Relative change in percent: from before/after when both are known, else as reported',
    sql: "coalesce(round(({t}.\"value_after\" - {t}.\"value_before\") / nullif({t}.\"value_before\", 0) * 100, 2), {t}.\"reported_change_pct\")",
  })
  relativeChangePct!: string | null;
  @TierField(PUBLIC, () => String) period!: string;
  @TierField(PUBLIC, () => String) source!: string;
}
