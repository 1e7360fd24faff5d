// A partner's own catalogue (operators may keep any partner's): service points and prices.
import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { one } from '../../db/loaders';
import { Payload } from '../../graphql/payload';
import { Access } from '../../graphql/root-field';
import { EXPECTED_VERSION, WriteInput } from '../../graphql/write-input';
import { CATALOGUE_WRITERS } from '../../permissions/write-roles';
import type { Context } from '../../server/context';
import { retireServicePoint, upsertPriceListItem, upsertServicePoint, type PriceInput, type ServicePointInput } from './catalogue.service';
import { PriceListItemType } from './price-list-item.type';
import { ServicePointType } from './service-point.type';

const control = (what: string) => ({
  id: { type: () => ID, description: `The ${what} to update; omitted: a new one` },
  expectedVersion: EXPECTED_VERSION,
  partnerId: { type: () => ID, description: 'Operators: whose catalogue a new row joins. Partner keys: omit (always their own)' },
});

const UpsertServicePointInput = WriteInput('UpsertServicePointInput', {
  description: 'Without id every field is required; with id only the fields given change',
  control: control('service point'),
  from: ServicePointType,
  fields: ['name', 'city', 'district', 'latitude', 'longitude', 'openingHours'],
});
const RetireServicePointInput = WriteInput('RetireServicePointInput', {
  control: { id: { type: () => ID, nullable: false }, expectedVersion: EXPECTED_VERSION },
});
const UpsertPriceListItemInput = WriteInput('UpsertPriceListItemInput', {
  description: 'By id, or by service type and unit: one price per service and unit',
  control: control('price'),
  from: PriceListItemType,
  fields: ['serviceType', 'unit', 'price'],
});

const ServicePointPayload = Payload('ServicePointPayload', { servicePoint: { type: () => ServicePointType } });
const PriceListItemPayload = Payload('PriceListItemPayload', { priceListItem: { type: () => PriceListItemType } });

@Resolver()
export class CatalogueMutations {
  @Mutation(() => ServicePointPayload, { description: 'Add or change a service point of your catalogue' })
  @Access(...CATALOGUE_WRITERS)
  async upsertServicePoint(@Arg('input', () => UpsertServicePointInput) input: ServicePointInput, @Ctx() ctx: Context) {
    return { servicePoint: await one(ServicePointType, await upsertServicePoint(input, ctx), ctx) };
  }

  @Mutation(() => ServicePointPayload, { description: 'Retire a service point: it stays for the orders that name it and takes no new work' })
  @Access(...CATALOGUE_WRITERS)
  async retireServicePoint(@Arg('input', () => RetireServicePointInput) input: { id: string; expectedVersion?: number | null }, @Ctx() ctx: Context) {
    return { servicePoint: await one(ServicePointType, await retireServicePoint(input, ctx), ctx) };
  }

  @Mutation(() => PriceListItemPayload, { description: 'Add or change a price of your catalogue' })
  @Access(...CATALOGUE_WRITERS)
  async upsertPriceListItem(@Arg('input', () => UpsertPriceListItemInput) input: PriceInput, @Ctx() ctx: Context) {
    return { priceListItem: await one(PriceListItemType, await upsertPriceListItem(input, ctx), ctx) };
  }
}
