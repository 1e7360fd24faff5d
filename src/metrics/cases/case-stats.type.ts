import { Int, ObjectType } from 'type-graphql';
import { DecimalScalar } from '../../graphql/scalars';
import { CollaborationModel, KpiFamily } from '../../modules/cases/case.enums';
import { IndicatorKind } from '../../modules/cases/indicator.entity';
import { Tier } from '../../permissions/tier';
import { TierField } from '../../permissions/tier-field';

const { PUBLIC } = Tier;

@ObjectType('CaseModelCount', { description: 'Collaboration cases of one model' })
export class CaseModelCountType {
  @TierField(PUBLIC, () => CollaborationModel, { resolved: true }) model!: CollaborationModel;
  @TierField(PUBLIC, () => Int, { resolved: true }) caseCount!: number;
  @TierField(PUBLIC, () => DecimalScalar, { nullable: true, resolved: true, description: 'Share of all cases, in percent' }) sharePct!: string | null;
}

@ObjectType('KpiUplift', { description: 'Average relative change of the KPIs of one family in the cases of one model' })
export class KpiUpliftType {
  @TierField(PUBLIC, () => KpiFamily, { resolved: true }) family!: KpiFamily;
  @TierField(PUBLIC, () => CollaborationModel, { resolved: true }) model!: CollaborationModel;
  @TierField(PUBLIC, () => DecimalScalar, {
    resolved: true,
    description: 'Mean relative change in percent: (after - before) / before * 100 when both are known, else as reported',
  })
  averageChangePct!: string;
  @TierField(PUBLIC, () => Int, { resolved: true, description: 'KPIs averaged' }) kpiCount!: number;
  @TierField(PUBLIC, () => Int, { resolved: true, description: 'Cases those KPIs belong to' }) caseCount!: number;
}

@ObjectType('CollaborationCaseStats', { description: 'Aggregates of the cross-industry collaboration cases' })
export class CollaborationCaseStatsType {
  @TierField(PUBLIC, () => Int, { resolved: true }) totalCases!: number;
  @TierField(PUBLIC, () => [CaseModelCountType], { resolved: true, description: 'Every model, with its count and share' }) byModel!: CaseModelCountType[];
  @TierField(PUBLIC, () => [KpiUpliftType], { resolved: true, description: 'Average uplift per KPI family and model' }) uplift!: KpiUpliftType[];
}

@ObjectType('IndicatorPoint', { description: 'The value of a report indicator in one year' })
export class IndicatorPointType {
  @TierField(PUBLIC, () => Int, { resolved: true }) year!: number;
  @TierField(PUBLIC, () => DecimalScalar, { resolved: true }) value!: string;
  @TierField(PUBLIC, () => IndicatorKind, { resolved: true }) kind!: IndicatorKind;
  @TierField(PUBLIC, () => String, { resolved: true }) source!: string;
}

@ObjectType('IndicatorSeries', { description: 'A report indicator over the years' })
export class IndicatorSeriesType {
  @TierField(PUBLIC, () => String, { resolved: true }) slug!: string;
  @TierField(PUBLIC, () => String, { resolved: true, description: 'Name given for the latest year' }) name!: string;
  @TierField(PUBLIC, () => String, { resolved: true }) unit!: string;
  @TierField(PUBLIC, () => [IndicatorPointType], { resolved: true, description: 'By year, oldest first' }) points!: IndicatorPointType[];
}
