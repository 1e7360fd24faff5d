// Empties the metrics cache on every replica when what metric answers read changes: the
// refresher NOTIFYs 'ecograph_metrics' when it has recomputed months (in its transaction, so at
// commit), and the change-feed triggers NOTIFY 'ecograph_changes' with the table name for
// settlements, partners (labels) and agreements (a partner's privacy budget). While the LISTEN connection is down the cache serves
// nothing, so a missed notification can never leave a stale answer behind.
import { listen } from '../../db/listener';
import type { Logger } from '../../server/logger';
import type { MetricsCache } from './metrics-cache';

export const METRICS_CHANNEL = 'ecograph_metrics';
const CHANGES_CHANNEL = 'ecograph_changes';
/** Captured tables whose writes change a metric answer without a rollup refresh (agreements: a partner's privacy budget). */
const TABLES = new Set(['settlement', 'partner', 'agreement']);

export interface CacheInvalidation {
  stop(): Promise<void>;
}

export function startCacheInvalidation(databaseUrl: string, cache: MetricsCache, log: Logger): CacheInvalidation {
  const listener = listen(databaseUrl, {
    name: 'metrics-cache',
    channels: [METRICS_CHANNEL, CHANGES_CHANNEL],
    log,
    onNotification: (channel, payload) => {
      if (channel === METRICS_CHANNEL || TABLES.has(payload ?? '')) cache.invalidate();
    },
    onUp: () => cache.setListening(true),
    onDown: () => cache.setListening(false),
  });
  return {
    async stop() {
      await listener.stop();
      cache.setListening(false);
    },
  };
}
