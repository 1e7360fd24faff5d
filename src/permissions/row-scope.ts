// Which rows each caller may see, per table, as an SQL condition on the row alias `t`.
// Rows outside the scope are absent everywhere: lists, counts, relations, lookups by id.
// A table missing here is invisible to partners (default deny).
import type { Principal } from '../auth/principal';
import { FALSE, sql, TRUE, type Sql } from '../db/sql';
import { Role } from './tier';

type ScopeFn = (partnerId: number) => Sql;

const consented = sql`exists (select 1 from customer c where c.id = t.customer_id and c.consent_data_sharing)`;

/** Rows that involve the partner itself (orders it served, its own terms and money). */
const ownRows: ScopeFn = (pid) => sql`t.partner_id = ${pid}`;
const ownCustomerActivity: ScopeFn = (pid) => sql`(t.partner_id = ${pid} and ${consented})`;

const PARTNER_SCOPES: Record<string, ScopeFn> = {
  // The public catalogue: every partner sees all of it.
  partner: () => TRUE,
  service_point: () => TRUE,
  price_list_item: () => TRUE,
  collaboration_case: () => TRUE,
  case_kpi: () => TRUE,
  report_indicator: () => TRUE,
  // Its own commercial data.
  agreement: ownRows,
  settlement: ownRows,
  partner_tier_history: ownRows,
  partner_status_change: ownRows,
  // api_key: absent, so no partner ever sees a key row (operators list them).
  access_ledger: (pid) => sql`t.partner_id = ${pid}`,
  // Customers it served, who consented to sharing, and their activity with it.
  customer: (pid) =>
    sql`(t.consent_data_sharing and exists (select 1 from service_order o where o.customer_id = t.id and o.partner_id = ${pid}))`,
  service_order: ownCustomerActivity,
  rating: ownCustomerActivity,
  complaint: ownCustomerActivity,
  // Service requests offered to it or accepted by it, its own step of their allocation and the
  // milestones it reported (src/modules/dispatch). Dispatch rules: absent (staff only).
  service_request: ownRows,
  allocation_step: ownRows,
  fulfilment_event: ownRows,
  // Its own webhook endpoints and their delivery log (src/webhooks).
  webhook_endpoint: ownRows,
  webhook_delivery: ownRows,
};

/**
 * Tables whose partner scope implies `t.partner_id = <the partner>`: the change feed skips
 * other partners' rows of these by their partner_id before evaluating anything.
 */
export const PARTNER_OWNED_TABLES = ['agreement', 'settlement', 'partner_tier_history', 'partner_status_change', 'access_ledger', 'service_order', 'rating', 'complaint', 'service_request', 'allocation_step', 'fulfilment_event'];

/**
 * Where a partner's scope of one table depends on rows of another (the feed must re-examine
 * the dependents when those rows change): an order, rating or complaint is visible only while
 * its customer consents; a customer only while it has an order with the partner.
 */
export const SCOPE_LINKS = {
  consent: { table: 'customer', column: 'consent_data_sharing', dependents: ['service_order', 'rating', 'complaint'] },
  servedBy: { table: 'service_order', dependent: 'customer', via: 'customer_id' },
} as const;

/**
 * The rows a partner may have seen under some grant: its scope without the conditions that
 * come and go (consent, suspension). When a partner's view changes, the change feed re-states
 * all of these, so that rows which left its scope meanwhile are taken back too.
 */
const PARTNER_REACH: Record<string, ScopeFn> = {
  customer: (pid) => sql`exists (select 1 from service_order o where o.customer_id = t.id and o.partner_id = ${pid})`,
  service_order: ownRows,
  rating: ownRows,
  complaint: ownRows,
};

export function partnerReach(table: string, p: Principal): Sql {
  if (p.role !== Role.PARTNER) return TRUE;
  const fn = PARTNER_REACH[table] ?? PARTNER_SCOPES[table];
  if (!fn || p.partnerId === undefined) return FALSE;
  return fn(p.partnerId);
}

/** What a SUSPENDED partner no longer reads: anything about customers. */
const CUSTOMER_TABLES = new Set(['customer', 'service_order', 'rating', 'complaint', 'service_request']);

/** The role may see some rows of the table at all (partners: the tables listed above). */
export function hasRowScope(table: string, role: Role): boolean {
  return role !== Role.PARTNER || table in PARTNER_SCOPES;
}

export function rowScope(table: string, p: Principal): Sql {
  if (p.role !== Role.PARTNER) return TRUE;
  if (p.suspended && CUSTOMER_TABLES.has(table)) return FALSE;
  const fn = PARTNER_SCOPES[table];
  if (!fn || p.partnerId === undefined) return FALSE;
  return fn(p.partnerId);
}
