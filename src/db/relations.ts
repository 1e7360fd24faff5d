// Every relation between projections, in one table: how a field reaches its rows. The field
// resolvers and the look-ahead prefetch (prefetch.ts) both read it.
import type { Row } from '../anonymisation/present';
import type { Connection } from '../graphql/connection';
import { projectionOf } from '../graphql/projection';
import { AgreementType } from '../modules/agreements/agreement.type';
import { CaseKpiType } from '../modules/cases/case-kpi.type';
import { PriceListItemType } from '../modules/catalogue/price-list-item.type';
import { ServicePointType } from '../modules/catalogue/service-point.type';
import { CustomerType } from '../modules/customers/customer.type';
import { ComplaintType } from '../modules/orders/complaint.type';
import { RatingType } from '../modules/orders/rating.type';
import { ServiceOrderType } from '../modules/orders/service-order.type';
import { PartnerTierRecordType } from '../modules/partners/partner-tier-history.type';
import { PartnerStatusChangeType } from '../modules/partners/partner-status-change.type';
import { PartnerType } from '../modules/partners/partner.type';
import { SettlementType } from '../modules/settlements/settlement.type';
import { AllocationStepType } from '../modules/dispatch/allocation-step.type';
import { DispatchRuleType } from '../modules/dispatch/dispatch-rule.type';
import { FulfilmentEventType } from '../modules/dispatch/fulfilment-event.type';
import type { Context } from '../server/context';
import type { GraphQLResolveInfo } from 'graphql';
import { allOf, fk, one, pageOf, realId } from './loaders';
import { pathKey, prefetchedKey } from './prefetch';
import type { PageArgs } from './list-query';

export type Relation =
  /** A page of children whose `fk` column holds the parent's id. */
  | { kind: 'page'; target: () => Function; fk: string }
  /** The row the parent's `key` column points to. */
  | { kind: 'one'; target: () => Function; key: string }
  /** Every child whose `fk` holds the parent's id (`first`: only the first, or null). */
  | { kind: 'all'; target: () => Function; fk: string; first?: boolean };

const page = (target: () => Function, fkColumn: string): Relation => ({ kind: 'page', target, fk: fkColumn });
const toOne = (target: () => Function, key: string): Relation => ({ kind: 'one', target, key });

const RELATIONS: Record<string, Relation> = {
  'Partner.servicePoints': page(() => ServicePointType, 'partner_id'),
  'Partner.priceList': page(() => PriceListItemType, 'partner_id'),
  'Partner.agreements': page(() => AgreementType, 'partner_id'),
  'Partner.tierHistory': page(() => PartnerTierRecordType, 'partner_id'),
  'Partner.statusHistory': page(() => PartnerStatusChangeType, 'partner_id'),
  'Partner.settlements': page(() => SettlementType, 'partner_id'),
  'Partner.orders': page(() => ServiceOrderType, 'partner_id'),
  'Partner.ratings': page(() => RatingType, 'partner_id'),
  'Partner.complaints': page(() => ComplaintType, 'partner_id'),
  'Customer.orders': page(() => ServiceOrderType, 'customer_id'),
  'Customer.ratings': page(() => RatingType, 'customer_id'),
  'Customer.complaints': page(() => ComplaintType, 'customer_id'),
  'ServiceOrder.customer': toOne(() => CustomerType, 'customer_id'),
  'ServiceOrder.servicePoint': toOne(() => ServicePointType, 'service_point_id'),
  'ServiceOrder.rating': { kind: 'all', target: () => RatingType, fk: 'order_id', first: true },
  'ServiceOrder.complaints': page(() => ComplaintType, 'order_id'),
  'Rating.order': toOne(() => ServiceOrderType, 'order_id'),
  'Rating.customer': toOne(() => CustomerType, 'customer_id'),
  'Complaint.order': toOne(() => ServiceOrderType, 'order_id'),
  'Complaint.customer': toOne(() => CustomerType, 'customer_id'),
  'CollaborationCase.kpis': { kind: 'all', target: () => CaseKpiType, fk: 'case_id' },
  'ServiceRequest.servicePoint': toOne(() => ServicePointType, 'service_point_id'),
  'ServiceRequest.order': toOne(() => ServiceOrderType, 'order_id'),
  'ServiceRequest.sourceOrder': toOne(() => ServiceOrderType, 'source_order_id'),
  'ServiceRequest.rule': toOne(() => DispatchRuleType, 'rule_id'),
  'ServiceRequest.allocation': { kind: 'all', target: () => AllocationStepType, fk: 'request_id' },
  'ServiceRequest.fulfilment': { kind: 'all', target: () => FulfilmentEventType, fk: 'request_id' },
};
for (const owner of ['Agreement', 'ServicePoint', 'PriceListItem', 'Settlement', 'PartnerTierRecord', 'PartnerStatusChange', 'ApiKey', 'ServiceOrder', 'Rating', 'Complaint', 'ServiceRequest', 'AllocationStep', 'FulfilmentEvent']) {
  RELATIONS[`${owner}.partner`] = toOne(() => PartnerType, 'partner_id');
}

export function relationOf(typeName: string, field: string): Relation | undefined {
  return RELATIONS[`${typeName}.${field}`];
}

/** The parent's value the relation joins on: its real id, or one of its foreign keys. */
export function joinKey(rel: Relation, row: Row): number | null {
  return rel.kind === 'one' ? fk(row, rel.key) : realId(row);
}

/**
 * A relation field's value: from the prefetched results when the look-ahead already loaded
 * it (a plain value, so execution stays synchronous), else through a batching loader.
 */
export function resolveRelation(typeName: string, field: string, row: Row, args: PageArgs | undefined, ctx: Context, info: GraphQLResolveInfo): unknown {
  const rel = RELATIONS[`${typeName}.${field}`];
  if (!rel) throw new Error(`no relation ${typeName}.${field}`);
  const key = joinKey(rel, row);
  const prefetched = ctx.memo.get(prefetchedKey(pathKey(info))) as Map<number, unknown> | undefined;
  if (prefetched && key !== null && prefetched.has(key)) return prefetched.get(key);
  if (key === null) return null;
  const target = rel.target();
  switch (rel.kind) {
    case 'page':
      return pageOf(target, rel.fk, key, args ?? {}, ctx);
    case 'one':
      return one(target, key, ctx);
    case 'all':
      return rel.first ? allOf(target, rel.fk, key, ctx).then((rows) => rows[0] ?? null) : allOf(target, rel.fk, key, ctx);
  }
}

export type PrefetchedValue = Connection<Row> | Row | Row[] | null;
export { projectionOf };
