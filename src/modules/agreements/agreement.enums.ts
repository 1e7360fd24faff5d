import { defineEnum } from '../../graphql/enums';

export enum PricingModel {
  PER_USE = 'PER_USE',
  MONTHLY = 'MONTHLY',
  YEARLY = 'YEARLY',
}
defineEnum(PricingModel, 'PricingModel');

export enum SettlementModel {
  COMMISSION = 'COMMISSION',
  REVENUE_SHARE = 'REVENUE_SHARE',
  PLATFORM_FEE = 'PLATFORM_FEE',
}
defineEnum(SettlementModel, 'SettlementModel', 'How value is split between platform and partner');

export enum GrantedTier {
  PUBLIC = 'PUBLIC',
  ANONYMIZED = 'ANONYMIZED',
}
defineEnum(GrantedTier, 'GrantedTier', 'The highest data tier an agreement grants a partner');
