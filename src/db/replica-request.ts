// The statements of one GraphQL request: all on one server, chosen at the first statement (so
// a request never mixes two replicas' replay points), with the primary as the way out. A
// statement that fails on a replica for a reason the replica owns (it is down or restarting,
// or hot standby cancelled the statement for a conflict with recovery) runs again on the
// primary, and so does the rest of the request: the caller sees no error.
import type pg from 'pg';
import { classifyDbError } from '../server/faults/db-errors';
import type { ReplicaNode } from './replica-node';

/** The replica for a request; undefined: the primary. */
export type ChooseReplica = () => Promise<ReplicaNode | undefined>;

/** SQLSTATE 40001 on a standby: "canceling statement due to conflict with recovery". */
const RECOVERY_CONFLICT = '40001';

function replicaFault(err: unknown): 'down' | 'retry' | undefined {
  if (classifyDbError(err) === 'DATABASE_UNAVAILABLE') return 'down';
  if ((err as { code?: unknown } | null)?.code === RECOVERY_CONFLICT) return 'retry';
  return undefined;
}

export class RequestReads {
  private route: Promise<ReplicaNode | undefined> | undefined;

  constructor(
    private readonly choose: ChooseReplica,
    private readonly primary: pg.Pool,
  ) {}

  /** What Executor calls (Pick<pg.Pool, 'query'> with a query config). */
  async query(q: pg.QueryConfig): Promise<pg.QueryResult> {
    this.route ??= this.choose();
    const node = await this.route;
    if (!node) return this.primary.query(q);
    try {
      return await node.pool.query(q);
    } catch (err) {
      const fault = replicaFault(err);
      if (!fault) throw err;
      if (fault === 'down') node.markDown(err);
      this.route = Promise.resolve(undefined);
      return this.primary.query(q);
    }
  }
}
