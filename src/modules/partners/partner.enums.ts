import { defineEnum } from '../../graphql/enums';

export enum PartnerCategory {
  CAPABILITY_COMPLEMENT = 'CAPABILITY_COMPLEMENT',
  RESOURCE_SHARING = 'RESOURCE_SHARING',
  TRAFFIC_EXCHANGE = 'TRAFFIC_EXCHANGE',
  INNOVATION_CO_CREATION = 'INNOVATION_CO_CREATION',
}
defineEnum(PartnerCategory, 'PartnerCategory', 'The four kinds of ecosystem partner');

export enum QualityTier {
  GOLD = 'GOLD',
  SILVER = 'SILVER',
  BRONZE = 'BRONZE',
  YELLOW_CARD = 'YELLOW_CARD',
  EXITED = 'EXITED',
}
defineEnum(QualityTier, 'QualityTier', 'Monthly quality tier from rating and complaint rate');

export enum PartnerStatus {
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  EXITED = 'EXITED',
}
defineEnum(PartnerStatus, 'PartnerStatus');

export enum ApiOpenness {
  CLOSED = 'CLOSED',
  PARTNER_API = 'PARTNER_API',
  OPEN_API = 'OPEN_API',
}
defineEnum(ApiOpenness, 'ApiOpenness', 'How open the partner system is to integration');
