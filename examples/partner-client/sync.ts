// Keeping a local copy of your orders in sync: take a snapshot once, then apply the change
// feed from the cursor the snapshot returned. Keep the cursor durably with the copy (here a
// field; in your system, the same transaction as the rows). Run it with e.g.
//   ECOGRAPH_URL=https://ecograph.example.com ECOGRAPH_KEY=eco_… npx tsx sync.ts
import { EcographError, PartnerClient } from './client';
import { OrderChangesDocument, OrdersSnapshotDocument, type OrdersSnapshotQuery } from './generated/graphql';

export type MirroredOrder = OrdersSnapshotQuery['serviceOrders']['nodes'][number];

export class OrderMirror {
  readonly orders = new Map<string, MirroredOrder>();
  /** Where the feed continues; persist it with the copy. */
  cursor: string | null = null;
  snapshots = 0;

  constructor(private readonly client: PartnerClient) {}

  /** A fresh copy; the cursor is taken from the first page, before any row is read. */
  async snapshot(pageSize = 100): Promise<void> {
    this.orders.clear();
    this.cursor = null;
    let after: string | null = null;
    for (;;) {
      const page: OrdersSnapshotQuery = await this.client.request(OrdersSnapshotDocument, { first: pageSize, after });
      this.cursor ??= page.serviceOrders.changesCursor ?? null;
      for (const order of page.serviceOrders.nodes) this.orders.set(order.id, order);
      if (!page.serviceOrders.pageInfo.hasNextPage) break;
      after = page.serviceOrders.pageInfo.endCursor ?? null;
    }
    this.snapshots++;
  }

  /** Applies every change since the cursor; returns how many events were applied. */
  async sync(pageSize = 100): Promise<number> {
    if (!this.cursor) await this.snapshot(pageSize);
    let applied = 0;
    for (;;) {
      let page;
      try {
        page = (await this.client.request(OrderChangesDocument, { after: this.cursor!, first: pageSize })).changes;
      } catch (err) {
        // Away longer than the feed keeps changes: start again from a snapshot.
        if (err instanceof EcographError && err.code === 'CURSOR_EXPIRED') {
          await this.snapshot(pageSize);
          continue;
        }
        throw err;
      }
      for (const event of page.events) {
        // At least once: applying an event twice is harmless (UPSERT replaces, DELETE forgets).
        if (event.op === 'DELETE') this.orders.delete(event.id);
        else if (event.node?.__typename === 'ServiceOrder') this.orders.set(event.id, event.node);
        applied++;
      }
      this.cursor = page.endCursor;
      if (!page.hasNextPage) return applied;
    }
  }
}

if (require.main === module) {
  const client = new PartnerClient({ url: process.env.ECOGRAPH_URL!, key: process.env.ECOGRAPH_KEY! });
  const mirror = new OrderMirror(client);
  void (async () => {
    for (;;) {
      const n = await mirror.sync();
      process.stdout.write(`${new Date().toISOString()} ${n} changes, ${mirror.orders.size} orders\n`);
      await new Promise((r) => setTimeout(r, 10_000));
    }
  })();
}
