import { defineEnum } from '../../graphql/enums';

export enum OrderStatus {
  CREATED = 'CREATED',
  IN_PROGRESS = 'IN_PROGRESS',
  FULFILLED = 'FULFILLED',
  CANCELLED = 'CANCELLED',
}
defineEnum(OrderStatus, 'OrderStatus');

export enum OrderChannel {
  ONLINE = 'ONLINE',
  OFFLINE = 'OFFLINE',
}
defineEnum(OrderChannel, 'OrderChannel', 'Where the order was placed');

export enum ComplaintCategory {
  SERVICE_QUALITY = 'SERVICE_QUALITY',
  DELAY = 'DELAY',
  PRICING = 'PRICING',
  DAMAGE = 'DAMAGE',
  OTHER = 'OTHER',
}
defineEnum(ComplaintCategory, 'ComplaintCategory');
