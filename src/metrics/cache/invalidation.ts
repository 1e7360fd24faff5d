// Empties the metrics cache on every replica when what metric answers read changes: the
// refresher NOTIFYs 'ecograph_metrics' when it has recomputed months (in its transaction, so at
// commit), and the change-feed triggers NOTIFY 'ecograph_changes' with the table name for
// settlements, partners (labels) and agreements (a partner's privacy budget). While the LISTEN connection is down the cache serves
// nothing, so a missed notification can never leave a stale answer behind.
import pg from 'pg';
import type { Logger } from '../../server/logger';
import type { MetricsCache } from './metrics-cache';

export const METRICS_CHANNEL = 'ecograph_metrics';
const CHANGES_CHANNEL = 'ecograph_changes';
/** Captured tables whose writes change a metric answer without a rollup refresh (agreements: a partner's privacy budget). */
const TABLES = new Set(['settlement', 'partner', 'agreement']);
const MAX_RECONNECT_MS = 30_000;

export interface CacheInvalidation {
  stop(): Promise<void>;
}

export function startCacheInvalidation(databaseUrl: string, cache: MetricsCache, log: Logger): CacheInvalidation {
  let client: pg.Client | undefined;
  let stopped = false;
  let reconnect: NodeJS.Timeout | undefined;
  let delay = 500;

  const connect = async () => {
    if (stopped) return;
    const c = new pg.Client({ connectionString: databaseUrl, application_name: 'ecograph-metrics-cache', keepAlive: true });
    c.on('error', (err) => {
      log.warn({ err: err.message }, 'metrics cache: the listener lost its connection; serving without the cache until it is back');
      retry(c);
    });
    c.on('end', () => retry(c));
    c.on('notification', (msg) => {
      if (msg.channel === METRICS_CHANNEL || (msg.channel === CHANGES_CHANNEL && TABLES.has(msg.payload ?? ''))) cache.invalidate();
    });
    try {
      await c.connect();
      await c.query(`listen ${METRICS_CHANNEL}; listen ${CHANGES_CHANNEL}`);
      if (stopped) {
        await c.end().catch(() => undefined);
        return;
      }
      client = c;
      delay = 500;
      cache.setListening(true);
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'metrics cache: the listener could not connect; retrying');
      retry(c);
    }
  };

  const retry = (c: pg.Client) => {
    cache.setListening(false);
    if (stopped || reconnect || (client !== undefined && client !== c)) return;
    client = undefined;
    c.removeAllListeners('notification');
    c.end().catch(() => undefined);
    reconnect = setTimeout(() => {
      reconnect = undefined;
      void connect();
    }, delay);
    delay = Math.min(delay * 2, MAX_RECONNECT_MS);
  };

  void connect();
  return {
    async stop() {
      stopped = true;
      cache.setListening(false);
      if (reconnect) clearTimeout(reconnect);
      const c = client;
      client = undefined;
      if (c) {
        c.removeAllListeners();
        c.on('error', () => undefined);
        await c.end().catch(() => undefined);
      }
    },
  };
}
