// Retention of the change feed: entries older than CHANGE_RETENTION_HOURS go, and the horizon
// remembers the furthest position removed, so that a cursor from before it is told it has lost
// changes (CURSOR_EXPIRED) instead of silently skipping them.
import type pg from 'pg';

export async function pruneChangeLog(pool: Pick<pg.Pool, 'query'>, retentionHours: number): Promise<number> {
  const res = await pool.query<{ n: number }>(
    `with gone as (delete from change_log where at < now() - make_interval(hours => $1) returning txid, seq),
          top as (select txid, seq from gone order by txid desc, seq desc limit 1),
          mark as (insert into change_log_horizon (id, txid, seq, pruned_at) select 1, txid, seq, now() from top
                   on conflict (id) do update set txid = excluded.txid, seq = excluded.seq, pruned_at = excluded.pruned_at
                    where (excluded.txid, excluded.seq) > (change_log_horizon.txid, change_log_horizon.seq))
     select count(*)::int as n from gone`,
    [retentionHours],
  );
  return res.rows[0]!.n;
}
