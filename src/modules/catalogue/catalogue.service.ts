// A partner keeps its own catalogue current: service points and prices are PUBLIC by nature,
// and a partner key writes only rows of its own partner (operators may write any partner's).
// A row another partner owns looks absent (NOT_FOUND), as it would for any row out of scope.
import { idArgument } from '../../db/loaders';
import { sql } from '../../db/sql';
import { Role } from '../../permissions/tier';
import type { Context } from '../../server/context';
import { invalid, notFound, writeError } from '../../writes/errors';
import { checkVersion, columnsFrom, insertRow, lockRow, recordChange, unique, updateRow } from '../../writes/rows';
import { range, text } from '../../writes/validate';
import { PartnerType } from '../partners/partner.type';
import type { PriceUnit } from './catalogue.enums';
import { PriceListItemType } from './price-list-item.type';
import { ServicePointType } from './service-point.type';

/** The partner a new row belongs to: the caller's own, or the one an operator names. */
async function owningPartner(ctx: Context, partnerId: string | null | undefined): Promise<number> {
  if (ctx.principal.role === Role.PARTNER) {
    const own = ctx.principal.partnerId!;
    if (partnerId !== undefined && partnerId !== null && idArgument(PartnerType, partnerId, ctx) !== own) {
      throw writeError('NOT_FOUND', 'A partner key writes its own catalogue only: leave partnerId out', { field: 'input.partnerId' });
    }
    return own;
  }
  if (!partnerId) throw invalid('input.partnerId', 'partnerId is required for a new row');
  const partner = await lockRow(PartnerType, idArgument(PartnerType, partnerId, ctx), ctx);
  if (!partner) throw notFound('partner', 'input.partnerId');
  return partner.id;
}

function requireAll(input: Record<string, unknown>, fields: string[]): void {
  for (const f of fields) if (input[f] === undefined || input[f] === null) throw invalid(`input.${f}`, `${f} is required for a new row`);
}

export interface ServicePointInput {
  id?: string | null;
  expectedVersion?: number | null;
  partnerId?: string | null;
  name?: string | null;
  city?: string | null;
  district?: string | null;
  latitude?: string | null;
  longitude?: string | null;
  openingHours?: string | null;
}

export async function upsertServicePoint(input: ServicePointInput, ctx: Context): Promise<number> {
  for (const f of ['name', 'city', 'district', 'openingHours'] as const) text(`input.${f}`, input[f], { max: 200, required: input[f] !== undefined && input[f] !== null });
  range('input.latitude', input.latitude, -90, 90);
  range('input.longitude', input.longitude, -180, 180);
  const values = columnsFrom(ServicePointType, input as Record<string, unknown>);
  if (input.id === undefined || input.id === null) {
    requireAll(input as Record<string, unknown>, ['name', 'city', 'district', 'latitude', 'longitude', 'openingHours']);
    values.set('partner_id', await owningPartner(ctx, input.partnerId));
    const id = await insertRow(ctx, 'service_point', values);
    await recordChange(ServicePointType, ctx, id, null);
    return id;
  }
  const before = await lockRow(ServicePointType, idArgument(ServicePointType, input.id, ctx), ctx, ['retired_at']);
  if (!before) throw notFound('service point');
  checkVersion(before, input.expectedVersion);
  if (before.retired_at) throw writeError('INVALID_STATE', 'The service point is retired', { field: 'input.id' });
  if (input.partnerId && idArgument(PartnerType, input.partnerId, ctx) !== before.partner_id) {
    throw invalid('input.partnerId', 'A service point cannot move to another partner');
  }
  await updateRow(ctx, 'service_point', before.id, values);
  await recordChange(ServicePointType, ctx, before.id, before);
  return before.id;
}

export async function retireServicePoint(input: { id: string; expectedVersion?: number | null }, ctx: Context): Promise<number> {
  const before = await lockRow(ServicePointType, idArgument(ServicePointType, input.id, ctx), ctx, ['retired_at']);
  if (!before) throw notFound('service point');
  checkVersion(before, input.expectedVersion);
  if (before.retired_at) throw writeError('INVALID_STATE', 'The service point is retired already', { field: 'input.id' });
  await updateRow(ctx, 'service_point', before.id, new Map([['retired_at', new Date()]]));
  await recordChange(ServicePointType, ctx, before.id, before);
  return before.id;
}

export interface PriceInput {
  id?: string | null;
  expectedVersion?: number | null;
  partnerId?: string | null;
  serviceType?: string | null;
  unit?: PriceUnit | null;
  price?: string | null;
}

/** By id, or by (partner, service type, unit): one price per service and unit. */
export async function upsertPriceListItem(input: PriceInput, ctx: Context): Promise<number> {
  text('input.serviceType', input.serviceType, { max: 100, required: input.serviceType !== undefined && input.serviceType !== null });
  range('input.price', input.price, 0, 1e13);
  let id = input.id ? idArgument(PriceListItemType, input.id, ctx) : null;
  if (!input.id) {
    requireAll(input as Record<string, unknown>, ['serviceType', 'unit', 'price']);
    const partnerId = await owningPartner(ctx, input.partnerId);
    const existing = await ctx.exec.rows<{ id: number }>(sql`select id from price_list_item
      where partner_id = ${partnerId} and service_type = ${input.serviceType!.trim()} and unit = ${input.unit} for update`);
    if (!existing[0]) {
      const values = columnsFrom(PriceListItemType, { ...input, serviceType: input.serviceType!.trim() });
      values.set('partner_id', partnerId);
      const created = await unique('input.serviceType', 'This partner has a price for that service type and unit', () => insertRow(ctx, 'price_list_item', values));
      await recordChange(PriceListItemType, ctx, created, null);
      return created;
    }
    id = Number(existing[0].id);
  }
  const before = await lockRow(PriceListItemType, id, ctx);
  if (!before) throw notFound('price list item');
  checkVersion(before, input.expectedVersion);
  const values = columnsFrom(PriceListItemType, input as Record<string, unknown>);
  await unique('input.serviceType', 'This partner has a price for that service type and unit', () => updateRow(ctx, 'price_list_item', before.id, values));
  await recordChange(PriceListItemType, ctx, before.id, before);
  return before.id;
}
