import { defineEnum } from '../../graphql/enums';

export enum MetricGranularity {
  MONTH = 'MONTH',
  QUARTER = 'QUARTER',
  YEAR = 'YEAR',
}
defineEnum(MetricGranularity, 'MetricGranularity');

export enum MetricDimension {
  TOTAL = 'TOTAL',
  CATEGORY = 'CATEGORY',
  PARTNER = 'PARTNER',
  CITY = 'CITY',
  SERVICE_TYPE = 'SERVICE_TYPE',
  QUALITY_TIER = 'QUALITY_TIER',
  CHANNEL = 'CHANNEL',
}
defineEnum(MetricDimension, 'MetricDimension', 'What a metrics series is grouped by');
