import { ID, Int } from 'type-graphql';
import { connectionOf, Projection, SortDirection } from '../../graphql/projection';
import { DateTimeScalar, MoneyScalar } from '../../graphql/scalars';
import { Tier } from '../../permissions/tier';
import { TierField } from '../../permissions/tier-field';
import { OrderChannel, OrderStatus } from './order.enums';
import { ServicePointType } from '../catalogue/service-point.type';
import { CustomerType } from '../customers/customer.type';
import { PartnerType } from '../partners/partner.type';
import { ComplaintType } from './complaint.type';
import { RatingType } from './rating.type';

const { PUBLIC } = Tier;

@Projection('ServiceOrder', { table: 'service_order', keys: ['customer_id', 'partner_id', 'service_point_id'], defaultOrder: [{ createdAt: SortDirection.DESC }], customerRows: true, description: 'An order a customer placed with a partner' })
export class ServiceOrderType {
  @TierField(PUBLIC, () => ID, { filter: 'id', sortable: true }) id!: string;
  @TierField(PUBLIC, () => String, { filter: 'string', sortable: true }) serviceType!: string;
  @TierField(PUBLIC, () => String, { filter: 'string', sortable: true }) city!: string;
  @TierField(PUBLIC, () => OrderChannel, { filter: { enum: OrderChannel } }) channel!: OrderChannel;
  @TierField(PUBLIC, () => OrderStatus, { filter: { enum: OrderStatus }, sortable: true }) status!: OrderStatus;
  @TierField(PUBLIC, () => DateTimeScalar, { filter: 'datetime', sortable: true }) createdAt!: Date;
  @TierField(PUBLIC, () => DateTimeScalar, { nullable: true, filter: 'datetime' }) fulfilledAt!: Date | null;
  @TierField(PUBLIC, () => Int, { nullable: true, filter: 'int' }) responseMinutes!: number | null;
  @TierField(PUBLIC, () => MoneyScalar, { column: 'amount_minor', filter: 'money', sortable: true }) amount!: string;

  @TierField(Tier.ANONYMIZED, () => CustomerType, { transform: 'none', resolved: true, description: 'The customer, anonymised for everyone but admins' }) customer!: unknown;
  @TierField(PUBLIC, () => PartnerType, { resolved: true }) partner!: unknown;
  @TierField(PUBLIC, () => ServicePointType, { nullable: true, resolved: true }) servicePoint!: unknown;
  @TierField(PUBLIC, () => RatingType, { nullable: true, resolved: true }) rating!: unknown;
  @TierField(PUBLIC, () => connectionOf(ComplaintType), { resolved: true }) complaints!: unknown;
}
