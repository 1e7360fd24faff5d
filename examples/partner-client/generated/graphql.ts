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

export type PartnerOrdersQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
}>;


export type PartnerOrdersQuery = { serviceOrders: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, serviceType: string, city: string, channel: OrderChannel, status: OrderStatus, createdAt: string, amount: string, customer: { id: string | null, ageBand: string | null, city: string | null } | null }> } };

export type MyAccessLedgerQueryVariables = Exact<{
  first: number;
}>;


export type MyAccessLedgerQuery = { accessLedger: { nodes: Array<{ at: string, operationName: string | null, rowCount: number, anonymizedFields: Array<string>, errorCodes: Array<string> }> } };

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
