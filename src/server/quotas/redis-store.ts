// Quota counters in Redis (REDIS_URL), so that every replica spends from one budget per key.
//
// One Lua script per take, atomic in Redis: INCRBY the minute and the day counter
// (`<prefix>{<key>}:m:<epoch minute>`, `<prefix>{<key>}:d:<epoch day>`; the braces keep both in
// one Redis Cluster slot), EXPIRE them (a counter outlives its window by a minute or a day),
// and when either is over its limit, DECRBY both back and refuse. Counters of an unlimited
// window are not kept.
//
// Redis unreachable, slow (over COMMAND_TIMEOUT_MS) or failing: the take is counted in this
// process's own counters instead (MemoryQuotaStore), so each replica still enforces the budget
// on its own while Redis is away (N replicas: up to N times the budget). Every such fallback
// is counted (onError) and logged at most once per LOG_EVERY_MS.
import { Redis } from 'ioredis';
import type { Logger } from '../logger';
import { MemoryQuotaStore, takeResult, windowsAt, type QuotaLimits, type QuotaStore, type TakeResult } from './store';

const TAKE_SCRIPT = `
local cost = tonumber(ARGV[1])
local minuteLimit = tonumber(ARGV[2])
local dayLimit = tonumber(ARGV[3])
local m = 0
local d = 0
if minuteLimit >= 0 then
  m = redis.call('INCRBY', KEYS[1], cost)
  redis.call('EXPIRE', KEYS[1], ARGV[4])
end
if dayLimit >= 0 then
  d = redis.call('INCRBY', KEYS[2], cost)
  redis.call('EXPIRE', KEYS[2], ARGV[5])
end
local refused = 0
if dayLimit >= 0 and d > dayLimit then
  refused = 2
elseif minuteLimit >= 0 and m > minuteLimit then
  refused = 1
end
if refused > 0 then
  if minuteLimit >= 0 then m = redis.call('DECRBY', KEYS[1], cost) end
  if dayLimit >= 0 then d = redis.call('DECRBY', KEYS[2], cost) end
end
return { refused, m, d }
`;

/** A minute counter lives two minutes, a day counter two days. */
const MINUTE_TTL_SECONDS = 120;
const DAY_TTL_SECONDS = 172_800;
const COMMAND_TIMEOUT_MS = 500;
const CONNECT_TIMEOUT_MS = 2_000;
const LOG_EVERY_MS = 30_000;

type TakeCommand = (minuteKey: string, dayKey: string, cost: number, minuteLimit: number, dayLimit: number, minuteTtl: number, dayTtl: number) => Promise<[number, number, number]>;

export interface RedisQuotaStoreOptions {
  url: string;
  /** Prefix of every counter's key (QUOTA_REDIS_PREFIX). */
  prefix: string;
  log: Logger;
  /** Called on every take that fell back to the in-process counters. */
  onError?: (err: unknown) => void;
}

export class RedisQuotaStore implements QuotaStore {
  private readonly redis: Redis;
  private readonly fallback = new MemoryQuotaStore();
  private lastLogged = 0;
  private suppressed = 0;

  constructor(private readonly opts: RedisQuotaStoreOptions) {
    this.redis = new Redis(opts.url, {
      lazyConnect: true,
      // Fail fast rather than queue: a request must not wait for Redis to come back.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: COMMAND_TIMEOUT_MS,
      connectTimeout: CONNECT_TIMEOUT_MS,
      retryStrategy: (times) => Math.min(times * 200, 2_000),
      // RESP2: works with every Redis (and Redis-compatible service) that runs Lua scripts.
      protocol: 2,
    });
    this.redis.defineCommand('ecographQuotaTake', { numberOfKeys: 2, lua: TAKE_SCRIPT });
    this.redis.on('error', (err: Error) => this.report(err, 'redis connection error'));
  }

  /** Waits (at most the connect timeout) for the first connection; never throws. */
  async connect(): Promise<boolean> {
    try {
      await this.redis.connect();
      this.opts.log.info({ prefix: this.opts.prefix }, 'quotas: counting in Redis');
      return true;
    } catch (err) {
      this.report(err, 'quotas: Redis is unreachable at start; counting per process until it answers');
      return false;
    }
  }

  async take(key: string, cost: number, limits: QuotaLimits, now: number): Promise<TakeResult> {
    const w = windowsAt(now);
    const tag = `${this.opts.prefix}{${key}}`;
    try {
      const run = (this.redis as unknown as { ecographQuotaTake: TakeCommand }).ecographQuotaTake;
      const [refused, m, d] = await run.call(
        this.redis,
        `${tag}:m:${w.minute}`,
        `${tag}:d:${w.day}`,
        cost,
        limits.perMinute ?? -1,
        limits.perDay ?? -1,
        MINUTE_TTL_SECONDS,
        DAY_TTL_SECONDS,
      );
      return takeResult(refused === 2 ? 2 : refused === 1 ? 1 : 0, Number(m), Number(d), limits, w);
    } catch (err) {
      this.opts.onError?.(err);
      this.report(err, 'quotas: Redis failed; counting per process meanwhile');
      return this.fallback.take(key, cost, limits, now);
    }
  }

  private report(err: unknown, message: string): void {
    const now = Date.now();
    if (now - this.lastLogged < LOG_EVERY_MS) {
      this.suppressed += 1;
      return;
    }
    this.opts.log.warn({ err: err instanceof Error ? err.message : String(err), similarSinceLast: this.suppressed }, message);
    this.lastLogged = now;
    this.suppressed = 0;
  }

  async close(): Promise<void> {
    try {
      if (this.redis.status === 'ready') await this.redis.quit();
      else this.redis.disconnect();
    } catch {
      this.redis.disconnect();
    }
    await this.fallback.close();
  }
}
