import { defineEnum } from '../../graphql/enums';

export enum PriceUnit {
  PER_USE = 'PER_USE',
  PER_HOUR = 'PER_HOUR',
  PER_DAY = 'PER_DAY',
  PER_KM = 'PER_KM',
  PER_KWH = 'PER_KWH',
  PER_MONTH = 'PER_MONTH',
}
defineEnum(PriceUnit, 'PriceUnit');
