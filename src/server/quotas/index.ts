// Quotas per key: the guard (express step + Apollo plugin) and the store it counts in.
import type { Config } from '../../config';
import type { Logger } from '../logger';
import { RedisQuotaStore } from './redis-store';
import { MemoryQuotaStore, type QuotaStore } from './store';

export { QuotaGuard, quotaHeaders, REQUEST_COST, type QuotaObserver } from './quota-guard';
export { MemoryQuotaStore, type QuotaLimits, type QuotaStore, type TakeResult } from './store';
export { RedisQuotaStore } from './redis-store';
export { operationRowCost } from './cost';

/** In-process counters, or Redis when REDIS_URL is set (connected before this returns, or given up on). */
export async function createQuotaStore(config: Config, log: Logger, onError?: (err: unknown) => void): Promise<QuotaStore> {
  if (!config.ops.redisUrl) return new MemoryQuotaStore();
  const store = new RedisQuotaStore({ url: config.ops.redisUrl, prefix: config.quotas.redisPrefix, log, onError });
  await store.connect();
  return store;
}
