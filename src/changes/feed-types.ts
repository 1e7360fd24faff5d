// The types the change feed carries: every projection whose table is captured (see the
// change_feed migration). The access ledger is left out (reading the feed writes it, so it
// would feed itself), and so are API keys (operators list them; each use touches the row).
import { registerEnumType } from 'type-graphql';
import { AgreementType } from '../modules/agreements/agreement.type';
import { CaseKpiType } from '../modules/cases/case-kpi.type';
import { CollaborationCaseType } from '../modules/cases/collaboration-case.type';
import { ReportIndicatorType } from '../modules/cases/indicator.type';
import { PriceListItemType } from '../modules/catalogue/price-list-item.type';
import { ServicePointType } from '../modules/catalogue/service-point.type';
import { CustomerType } from '../modules/customers/customer.type';
import { ComplaintType } from '../modules/orders/complaint.type';
import { RatingType } from '../modules/orders/rating.type';
import { ServiceOrderType } from '../modules/orders/service-order.type';
import { CandidatePartnerType } from '../modules/partners/candidate.type';
import { PartnerStatusChangeType } from '../modules/partners/partner-status-change.type';
import { PartnerTierRecordType } from '../modules/partners/partner-tier-history.type';
import { PartnerType } from '../modules/partners/partner.type';
import { SettlementType } from '../modules/settlements/settlement.type';
import { AllocationStepType } from '../modules/dispatch/allocation-step.type';
import { FulfilmentEventType } from '../modules/dispatch/fulfilment-event.type';
import { ServiceRequestType } from '../modules/dispatch/service-request.type';
import { projectionOf, type ProjectionMeta } from '../graphql/projection';
import { readable } from '../permissions/policy';
import type { Visibility } from '../permissions/tier';
import type { Principal } from '../auth/principal';
import { hasRowScope } from '../permissions/row-scope';

export const FEED_CLASSES = [
  PartnerType,
  CandidatePartnerType,
  PartnerTierRecordType,
  PartnerStatusChangeType,
  AgreementType,
  ServicePointType,
  PriceListItemType,
  CustomerType,
  ServiceOrderType,
  RatingType,
  ComplaintType,
  SettlementType,
  CollaborationCaseType,
  CaseKpiType,
  ReportIndicatorType,
  ServiceRequestType,
  AllocationStepType,
  FulfilmentEventType,
] as const;

/** The feed's type names, as a GraphQL enum for `changes(types:)`. */
export enum ChangeType {
  Partner = 'Partner',
  CandidatePartner = 'CandidatePartner',
  PartnerTierRecord = 'PartnerTierRecord',
  PartnerStatusChange = 'PartnerStatusChange',
  Agreement = 'Agreement',
  ServicePoint = 'ServicePoint',
  PriceListItem = 'PriceListItem',
  Customer = 'Customer',
  ServiceOrder = 'ServiceOrder',
  Rating = 'Rating',
  Complaint = 'Complaint',
  Settlement = 'Settlement',
  CollaborationCase = 'CollaborationCase',
  CaseKpi = 'CaseKpi',
  ReportIndicator = 'ReportIndicator',
  ServiceRequest = 'ServiceRequest',
  AllocationStep = 'AllocationStep',
  FulfilmentEvent = 'FulfilmentEvent',
}
registerEnumType(ChangeType, { name: 'ChangeType', description: 'A type the change feed carries' });

let metas: ProjectionMeta[] | undefined;

export function feedMetas(): ProjectionMeta[] {
  metas ??= FEED_CLASSES.map((cls) => projectionOf(cls));
  return metas;
}

export function feedMetaByTable(table: string): ProjectionMeta | undefined {
  return feedMetas().find((m) => m.table === table);
}

export function feedMetaByName(name: string): ProjectionMeta | undefined {
  return feedMetas().find((m) => m.name === name);
}

/** The type exists in the caller's feed: its id is readable and the role has rows of it. */
export function typeVisible(meta: ProjectionMeta, p: Pick<Principal, 'role' | 'visibility'>): boolean {
  const v = p.visibility;
  if (!hasRowScope(meta.table, p.role)) return false;
  if (meta.customerRows && !v.customerRows) return false;
  const id = meta.fields.find((f) => f.name === 'id');
  return id !== undefined && readable(id.info, v);
}

/** The values a caller sees of a row: its readable stored fields (relations are not part of a change). */
export function visibleFields(meta: ProjectionMeta, v: Visibility) {
  return meta.fields.filter((f) => f.info.sql !== undefined && readable(f.info, v));
}
