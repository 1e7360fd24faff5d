// A tiny typed Ecograph client for partners: fetch, the generated operation types, and a loop
// over cursors. Run it with any TypeScript runner, e.g.
//   ECOGRAPH_URL=https://ecograph.example.com ECOGRAPH_KEY=eco_… npx tsx client.ts
import { MyAccessLedgerDocument, PartnerOrdersDocument, type PartnerOrdersQuery, type TypedDocumentString } from './generated/graphql';

export type Order = PartnerOrdersQuery['serviceOrders']['nodes'][number];

/** A GraphQL or HTTP error, with the API's machine-readable code (see docs/partners.md). */
export class EcographError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(`${code}: ${message}`);
  }
}

export interface ClientOptions {
  /** The server, e.g. 'https://ecograph.example.com' (no trailing /graphql). */
  url: string;
  /** Your partner key (sent as "Authorization: Bearer <key>"). */
  key: string;
  fetch?: typeof fetch;
}

export class PartnerClient {
  private readonly endpoint: string;
  private readonly doFetch: typeof fetch;

  constructor(private readonly opts: ClientOptions) {
    this.endpoint = `${opts.url.replace(/\/+$/, '')}/graphql`;
    this.doFetch = opts.fetch ?? fetch;
  }

  /** Runs one typed operation; throws EcographError on any error. */
  async request<TResult, TVariables>(document: TypedDocumentString<TResult, TVariables>, variables: TVariables): Promise<TResult> {
    const res = await this.doFetch(this.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${this.opts.key}` },
      body: JSON.stringify({ query: document.toString(), variables }),
    });
    let body: { data?: TResult | null; errors?: { message: string; extensions?: { code?: string } }[] };
    try {
      body = (await res.json()) as typeof body;
    } catch {
      throw new EcographError(`HTTP_${res.status}`, 'the answer is not JSON', res.status);
    }
    const first = body.errors?.[0];
    if (first) throw new EcographError(first.extensions?.code ?? 'UNKNOWN', first.message, res.status);
    if (!body.data) throw new EcographError(`HTTP_${res.status}`, 'no data in the answer', res.status);
    return body.data;
  }

  /** Every order you served, page after page: `first`/`after` with the previous page's endCursor. */
  async *orders(pageSize = 100): AsyncGenerator<Order[], void> {
    let after: string | null = null;
    for (;;) {
      const page: PartnerOrdersQuery = await this.request(PartnerOrdersDocument, { first: pageSize, after });
      const { nodes, pageInfo } = page.serviceOrders;
      yield nodes;
      if (!pageInfo.hasNextPage || !pageInfo.endCursor) return;
      after = pageInfo.endCursor;
    }
  }

  /** Your latest requests as the access ledger recorded them. */
  async accessLedger(first = 20) {
    return (await this.request(MyAccessLedgerDocument, { first })).accessLedger.nodes;
  }
}

/** Money as exact integer cents ("120.50" -> 12050): never add money as floating point. */
export function cents(amount: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(amount);
  if (!m) throw new Error(`not a Money value: ${amount}`);
  const value = BigInt(m[2]!) * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -value : value;
}

export interface OrdersSummary {
  orders: Order[];
  pages: number;
  totalCents: bigint;
}

/** Pulls all your orders and adds up their amounts. */
export async function pullAllOrders(opts: ClientOptions, pageSize = 100): Promise<OrdersSummary> {
  const client = new PartnerClient(opts);
  const orders: Order[] = [];
  let pages = 0;
  let totalCents = 0n;
  for await (const page of client.orders(pageSize)) {
    pages += 1;
    for (const order of page) {
      orders.push(order);
      totalCents += cents(order.amount);
    }
  }
  return { orders, pages, totalCents };
}

async function main(): Promise<void> {
  const url = process.env.ECOGRAPH_URL ?? 'http://localhost:4000';
  const key = process.env.ECOGRAPH_KEY;
  if (!key) throw new Error('set ECOGRAPH_KEY to your partner key');
  const { orders, pages, totalCents } = await pullAllOrders({ url, key });
  const customers = new Set(orders.map((o) => o.customer?.id).filter(Boolean));
  const yuan = `${totalCents / 100n}.${String(totalCents % 100n).padStart(2, '0')}`;
  process.stdout.write(`${orders.length} orders in ${pages} pages, ${customers.size} customers (pseudonyms), CNY ${yuan}\n`);
}

if (typeof require !== 'undefined' && require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
