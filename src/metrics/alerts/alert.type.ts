import { ID, Int, ObjectType } from 'type-graphql';
import { DecimalScalar } from '../../graphql/scalars';
import { Tier } from '../../permissions/tier';
import { TierField } from '../../permissions/tier-field';

const { PUBLIC } = Tier;
const R = { resolved: true } as const;

@ObjectType('AlertRule', { description: 'A threshold on a metric, held for a number of consecutive periods' })
export class AlertRuleType {
  @TierField(PUBLIC, () => ID, R) id!: string;
  @TierField(PUBLIC, () => String, R) slug!: string;
  @TierField(PUBLIC, () => String, R) name!: string;
  @TierField(PUBLIC, () => String, { ...R, description: 'ONLINE_ORDER_SHARE, AVERAGE_RATING, COMPLAINT_RATE, GMV, ORDERS, RESPONSE_P95_MINUTES or SLA_BREACH_RATE' }) metric!: string;
  @TierField(PUBLIC, () => String, { ...R, description: 'ECOSYSTEM, CATEGORY or PARTNER' }) scope!: string;
  @TierField(PUBLIC, () => String, R) granularity!: string;
  @TierField(PUBLIC, () => String, { ...R, description: 'LT, LTE, GT or GTE' }) comparison!: string;
  @TierField(PUBLIC, () => DecimalScalar, R) threshold!: string;
  @TierField(PUBLIC, () => Int, R) consecutivePeriods!: number;
  @TierField(PUBLIC, () => Boolean, R) enabled!: boolean;
}

@ObjectType('Alert', { description: 'A run of consecutive periods in which a rule held for one group' })
export class AlertType {
  @TierField(PUBLIC, () => AlertRuleType, R) rule!: AlertRuleType;
  @TierField(PUBLIC, () => String, { ...R, description: 'The group: empty for the ecosystem, a category, or a partner id' }) scopeKey!: string;
  @TierField(PUBLIC, () => String, R) scopeLabel!: string;
  @TierField(PUBLIC, () => [String], { ...R, description: 'The periods that triggered it, in order' }) periods!: string[];
  @TierField(PUBLIC, () => [DecimalScalar], { ...R, description: 'The metric in each of those periods' }) values!: string[];
  @TierField(PUBLIC, () => Boolean, { ...R, description: 'The run reaches the latest period with data' }) current!: boolean;
}
