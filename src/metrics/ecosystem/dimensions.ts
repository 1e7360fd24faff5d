// Each grouping dimension is a declared field, so the caller's right to group by it derives
// from that field's tier like every other use of the field.
import { GraphQLError } from 'graphql';
import type { Principal } from '../../auth/principal';
import { projectionByName } from '../../graphql/projection';
import { readable } from '../../permissions/policy';
import { MetricDimension } from './metrics.enums';

const SOURCE: Record<Exclude<MetricDimension, MetricDimension.TOTAL>, [string, string]> = {
  CATEGORY: ['Partner', 'category'],
  PARTNER: ['Partner', 'id'],
  CITY: ['ServiceOrder', 'city'],
  SERVICE_TYPE: ['ServiceOrder', 'serviceType'],
  QUALITY_TIER: ['Partner', 'qualityTier'],
  CHANNEL: ['ServiceOrder', 'channel'],
};

export function assertMayGroupBy(dimension: MetricDimension, p: Principal): void {
  if (dimension === MetricDimension.TOTAL) return;
  const [type, field] = SOURCE[dimension];
  const f = projectionByName(type)?.fields.find((x) => x.name === field);
  if (!f || !readable(f.info, p.visibility)) {
    throw new GraphQLError(`Metrics cannot be grouped by ${dimension} with this key`, { extensions: { code: 'FIELD_NOT_ALLOWED' } });
  }
}

/** SQL for a cube row's key in a dimension (cube alias c, partner p, tier t). */
export const CUBE_KEY: Record<MetricDimension, string> = {
  TOTAL: "''",
  CATEGORY: 'p.category',
  PARTNER: 'c.partner_id::text',
  CITY: 'c.city',
  SERVICE_TYPE: 'c.service_type',
  QUALITY_TIER: "coalesce(h.tier, 'UNRATED')",
  CHANNEL: 'c.channel',
};
