import { defineEnum } from '../../graphql/enums';

export enum CollaborationModel {
  RESOURCE_COMPLEMENTARY = 'RESOURCE_COMPLEMENTARY',
  TECHNOLOGY_DRIVEN = 'TECHNOLOGY_DRIVEN',
  ECOSYSTEM_CO_BUILDING = 'ECOSYSTEM_CO_BUILDING',
}
defineEnum(CollaborationModel, 'CollaborationModel');

export enum KpiFamily {
  GMV = 'GMV',
  CONVERSION = 'CONVERSION',
  USERS = 'USERS',
  ENGAGEMENT = 'ENGAGEMENT',
  COST = 'COST',
  EFFICIENCY = 'EFFICIENCY',
  REACH = 'REACH',
  SATISFACTION = 'SATISFACTION',
  INCOME = 'INCOME',
  SALES = 'SALES',
}
defineEnum(KpiFamily, 'KpiFamily');
