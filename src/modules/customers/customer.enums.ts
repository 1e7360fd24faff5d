import { defineEnum } from '../../graphql/enums';

export enum Gender {
  FEMALE = 'FEMALE',
  MALE = 'MALE',
  UNDISCLOSED = 'UNDISCLOSED',
}
defineEnum(Gender, 'Gender');

export enum MembershipLevel {
  STANDARD = 'STANDARD',
  SILVER = 'SILVER',
  GOLD = 'GOLD',
  PLATINUM = 'PLATINUM',
}
defineEnum(MembershipLevel, 'MembershipLevel');
