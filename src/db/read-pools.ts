// Queries of the API go to the read replicas of DATABASE_READ_URLS when there are any, request
// by request in turn; everything that writes or must see the latest state (keys, the access
// ledger, the rollup refresh, migrations) stays on the primary. Three guarantees on top
// (docs/operations.md, "Read replicas"):
// - read-your-writes: a caller's mutation records the primary's WAL position after its COMMIT;
//   that caller's next reads go to a replica only once it has replayed that position, waiting
//   at most READ_YOUR_WRITES_WAIT_MS, else to the primary (src/db/replica-writes.ts);
// - fallback: a replica that fails is out of rotation at once and its request's statements
//   run on the primary; it is probed back every REPLICA_RETRY_MS (src/db/replica-node.ts);
// - lag: each replica's replay position against the primary's, for /metrics.
import type pg from 'pg';
import type { Principal } from '../auth/principal';
import type { Config } from '../config';
import type { Logger } from '../server/logger';
import type { ReplicaLagSample } from '../server/observability/metrics';
import { parseLsn } from './replica-lsn';
import { ReplicaNode, within } from './replica-node';
import { RequestReads } from './replica-request';
import { callerKey, CallerWrites, commitAndLocate } from './replica-writes';

/** How long a /metrics scrape waits for a position before leaving the series out. */
const LAG_TIMEOUT_MS = 1_000;

export interface ReadPools {
  /** Where one request's queries go (the primary itself when there are no replicas). */
  forRequest(caller: Principal): Pick<pg.Pool, 'query'>;
  /**
   * For the mutation plugin: COMMIT, then remember the caller's write position. Unset without
   * replicas (a plain COMMIT then).
   */
  commit: ((client: pg.PoolClient, caller: Principal) => Promise<void>) | undefined;
  /** Per replica, for /metrics; never rejects. */
  lag(): Promise<ReplicaLagSample[]>;
  end(): Promise<void>;
}

export function createReadPools(config: Config, primary: pg.Pool, log: Logger): ReadPools {
  const nodes = config.ops.readUrls.map((url, i) => new ReplicaNode(i, url, config, config.ops.replicaRetryMs, log));
  if (nodes.length === 0) {
    return { forRequest: () => primary, commit: undefined, lag: async () => [], end: async () => undefined };
  }
  const writes = new CallerWrites();
  const waitMs = config.ops.readYourWritesWaitMs;
  let turn = 0;

  async function choose(caller: string): Promise<ReplicaNode | undefined> {
    const live = nodes.filter((n) => n.up);
    if (live.length === 0) return undefined;
    const start = turn++;
    const inTurn = (k: number) => live[(start + k) % live.length]!;
    const need = writes.pending(caller);
    if (need === undefined) return inTurn(0);
    // A replica already seen past the caller's write serves it with no round trip.
    for (let k = 0; k < live.length; k++) if (inTurn(k).replayed >= need) return inTurn(k);
    const node = inTurn(0);
    return (await node.waitFor(need, Date.now() + waitMs)) ? node : undefined;
  }

  return {
    forRequest(p) {
      const caller = callerKey(p);
      // Executor only calls query() with a config object, which RequestReads implements.
      return new RequestReads(() => choose(caller), primary) as unknown as Pick<pg.Pool, 'query'>;
    },
    async commit(client, p) {
      const lsn = await commitAndLocate(client);
      if (lsn !== undefined) writes.record(callerKey(p), lsn);
    },
    async lag() {
      const r = await within(primary.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn'), LAG_TIMEOUT_MS);
      const head = parseLsn(r?.rows[0]?.lsn);
      return Promise.all(
        nodes.map(async (n): Promise<ReplicaLagSample> => {
          const replayed = await n.position(LAG_TIMEOUT_MS);
          const sample: ReplicaLagSample = { replica: String(n.index), up: n.up };
          // Read after the primary's, the replica may already be past it: that is no lag.
          if (head !== undefined && replayed !== undefined) sample.lagBytes = head > replayed ? Number(head - replayed) : 0;
          return sample;
        }),
      );
    },
    async end() {
      await Promise.all(nodes.map((n) => n.end()));
    },
  };
}
