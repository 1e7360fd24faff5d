/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Where the order was placed */
export type OrderChannel =
  | 'ONLINE'
  | 'OFFLINE';

export type OrderStatus =
  | 'CREATED'
  | 'IN_PROGRESS'
  | 'FULFILLED'
  | 'CANCELLED';

/** A type the change feed carries */
export type ChangeType =
  | 'Partner'
  | 'CandidatePartner'
  | 'PartnerTierRecord'
  | 'PartnerStatusChange'
  | 'Agreement'
  | 'ServicePoint'
  | 'PriceListItem'
  | 'Customer'
  | 'ServiceOrder'
  | 'Rating'
  | 'Complaint'
  | 'Settlement'
  | 'CollaborationCase'
  | 'CaseKpi'
  | 'ReportIndicator'
  | 'ServiceRequest'
  | 'AllocationStep'
  | 'FulfilmentEvent';

/** UPSERT: store the node as it is now. DELETE: the row is gone, or no longer yours to see */
export type ChangeOp =
  | 'UPSERT'
  | 'DELETE';

export type PartnerOrdersQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
}>;


export type PartnerOrdersQuery = { serviceOrders: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, serviceType: string, city: string, channel: OrderChannel, status: OrderStatus, createdAt: string, amount: string, customer: { id: string | null, ageBand: string | null, city: string | null } | null }> } };

export type MyAccessLedgerQueryVariables = Exact<{
  first: number;
}>;


export type MyAccessLedgerQuery = { accessLedger: { nodes: Array<{ at: string, operationName: string | null, rowCount: number, anonymizedFields: Array<string>, errorCodes: Array<string> }> } };

export type OrdersSnapshotQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
}>;


export type OrdersSnapshotQuery = { serviceOrders: { changesCursor: string | null, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, status: OrderStatus, amount: string, createdAt: string }> } };

export type OrderChangesQueryVariables = Exact<{
  after: string;
  first: number;
}>;


export type OrderChangesQuery = { changes: { endCursor: string, hasNextPage: boolean, events: Array<{ type: ChangeType, op: ChangeOp, id: string, node:
        | { __typename: 'Partner' }
        | { __typename: 'PartnerTierRecord' }
        | { __typename: 'PartnerStatusChange' }
        | { __typename: 'Agreement' }
        | { __typename: 'ServicePoint' }
        | { __typename: 'PriceListItem' }
        | { __typename: 'Customer' }
        | { __typename: 'ServiceOrder', id: string, status: OrderStatus, amount: string, createdAt: string }
        | { __typename: 'Rating' }
        | { __typename: 'Complaint' }
        | { __typename: 'Settlement' }
        | { __typename: 'CollaborationCase' }
        | { __typename: 'CaseKpi' }
        | { __typename: 'ReportIndicator' }
        | { __typename: 'ServiceRequest' }
        | { __typename: 'AllocationStep' }
        | { __typename: 'FulfilmentEvent' }
       | null }> } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const PartnerOrdersDocument = new TypedDocumentString(`
    query PartnerOrders($first: Int!, $after: String) {
  serviceOrders(first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      serviceType
      city
      channel
      status
      createdAt
      amount
      customer {
        id
        ageBand
        city
      }
    }
  }
}
    `) as unknown as TypedDocumentString<PartnerOrdersQuery, PartnerOrdersQueryVariables>;
export const MyAccessLedgerDocument = new TypedDocumentString(`
    query MyAccessLedger($first: Int!) {
  accessLedger(first: $first) {
    nodes {
      at
      operationName
      rowCount
      anonymizedFields
      errorCodes
    }
  }
}
    `) as unknown as TypedDocumentString<MyAccessLedgerQuery, MyAccessLedgerQueryVariables>;
export const OrdersSnapshotDocument = new TypedDocumentString(`
    query OrdersSnapshot($first: Int!, $after: String) {
  serviceOrders(first: $first, after: $after) {
    changesCursor
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      status
      amount
      createdAt
    }
  }
}
    `) as unknown as TypedDocumentString<OrdersSnapshotQuery, OrdersSnapshotQueryVariables>;
export const OrderChangesDocument = new TypedDocumentString(`
    query OrderChanges($after: String!, $first: Int!) {
  changes(after: $after, first: $first, types: [ServiceOrder]) {
    endCursor
    hasNextPage
    events {
      type
      op
      id
      node {
        __typename
        ... on ServiceOrder {
          id
          status
          amount
          createdAt
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<OrderChangesQuery, OrderChangesQueryVariables>;
