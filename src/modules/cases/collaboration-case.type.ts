import { ID, Int } from 'type-graphql';
import { Projection, SortDirection } from '../../graphql/projection';
import { Tier } from '../../permissions/tier';
import { TierField } from '../../permissions/tier-field';
import { CollaborationModel } from './case.enums';
import { CaseKpiType } from './case-kpi.type';

const { PUBLIC } = Tier;

@Projection('CollaborationCase', { table: 'collaboration_case', defaultOrder: [{ year: SortDirection.DESC }], description: 'A cross-industry collaboration case with its reported KPIs' })
export class CollaborationCaseType {
  @TierField(PUBLIC, () => ID, { filter: 'id', sortable: true }) id!: string;
  @TierField(PUBLIC, () => String, { filter: 'string', sortable: true }) slug!: string;
  @TierField(PUBLIC, () => String, { filter: 'string', sortable: true }) title!: string;
  @TierField(PUBLIC, () => String, { filter: 'string', sortable: true }) titleEn!: string;
  @TierField(PUBLIC, () => [String], { filter: 'stringList' }) parties!: string[];
  @TierField(PUBLIC, () => [String], { filter: 'stringList' }) industries!: string[];
  @TierField(PUBLIC, () => CollaborationModel, { filter: { enum: CollaborationModel }, sortable: true }) model!: CollaborationModel;
  @TierField(PUBLIC, () => Int, { filter: 'int', sortable: true }) year!: number;
  @TierField(PUBLIC, () => String) summary!: string;
  @TierField(PUBLIC, () => [String]) successFactors!: string[];
  @TierField(PUBLIC, () => [String]) risks!: string[];

  @TierField(PUBLIC, () => [CaseKpiType], { resolved: true, description: 'Every KPI the source reports for the case' }) kpis!: unknown;
}
