// The only reader of process.env. Every setting is validated and typed here; the rest of the
// code receives a Config and never looks at the environment itself.
import path from 'node:path';
import { parseCrontab } from 'graphile-worker';

export type NodeEnv = 'development' | 'production' | 'test';

export interface Config {
  nodeEnv: NodeEnv;
  host: string;
  port: number;
  /** External PostgreSQL; when absent an embedded server is started in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  embeddedPgPort: number;
  /** Accepted as an admin bearer key in addition to stored keys (deployments, tests). */
  adminKey: string | undefined;
  /** Secret for pseudonyms and cursors; derived from dataDir on first start when unset. */
  secret: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  pagination: { defaultPageSize: number; maxPageSize: number };
  limits: { bodyBytes: number; maxDepth: number; maxAliases: number; maxCost: number; maxTokens: number; documentCacheBytes: number };
  /** Answer queries over plain lists with one SQL statement that builds the JSON (src/db/compile). */
  compiledQueries: boolean;
  db: { poolMax: number; statementTimeoutMs: number; connectTimeoutMs: number };
  seedOnStart: boolean;
  /** Small groups in partner-visible aggregates are suppressed below this many customers. */
  minGroupSize: number;
  metrics: MetricsConfig;
  ops: {
    /** How long SIGTERM waits for requests in flight. */
    drainTimeoutMs: number;
    /** Retry-After sent with 503s while the database is unavailable. */
    retryAfterSeconds: number;
    /** Shared rate-limit state for several replicas; in-process when unset. */
    redisUrl: string | undefined;
    /** PostgreSQL read replicas for queries; writes stay on DATABASE_URL. */
    readUrls: string[];
    /** A caller who wrote waits this long for a replica to replay its write, then reads from the primary. */
    readYourWritesWaitMs: number;
    /** A replica that failed is left alone (requests go elsewhere) this long before it is probed again. */
    replicaRetryMs: number;
    /**
     * V8 grows the old generation to this percent above the live heap before it collects
     * (0: V8's own factor, up to 300 %). See src/server/heap.ts.
     */
    heapGrowingPercent: number;
  };
  quotas: QuotasConfig;
  keys: {
    /** How long a rotated key's old secret keeps working (rotateApiKey's default). */
    rotationOverlapSeconds: number;
  };
  writes: {
    /** How long an answered Idempotency-Key is kept. */
    idempotencyTtlHours: number;
  };
  /** The access ledger: entries arriving within this many ms share one insert (group commit). */
  ledger: { groupCommitMs: number };
  /** How long the change feed keeps changes; an older cursor gets CURSOR_EXPIRED. */
  changes: { retentionHours: number };
  webhooks: WebhooksConfig;
  /** Persisted operations per partner (src/persisted): how many a partner may keep, and how large each may be. */
  persisted: { maxOperations: number; maxDocumentBytes: number };
  dispatch: DispatchConfig;
  /** Scheduled work on graphile-worker (src/jobs). */
  jobs: {
    enabled: boolean;
    /** Jobs one process runs at once (webhook deliveries wait on partners' servers). */
    concurrency: number;
    /** When the month that just closed gets its quality tiers and their consequences. */
    qualityEvaluationCron: string;
  };
}

/** Dispatch of service requests (src/modules/dispatch). */
export interface DispatchConfig {
  /** Requests a BRONZE (or not yet rated) partner may accept in a calendar month; it is skipped past this. */
  bronzeMonthlyCap: number;
  /** Minutes from acceptance to arrival (the courtesy-car case: delivered within 30 minutes). */
  arrivalSlaMinutes: number;
  /** Cost-plus pricing: the customer pays the partner's price plus this share (100 -> 120 at 0.2). */
  costPlusMarkup: number;
  /** Recent offers count toward a partner's turn over this many days (rotation within a tier). */
  rotationDays: number;
  /** A rule fires for orders that crossed its threshold at most this long ago (older ones are history). */
  ruleLookbackHours: number;
  /** How often the dispatch rules are evaluated and overdue offers swept (a cron expression). */
  tickCron: string;
}

/** Webhooks (src/webhooks): where deliveries may go, how long they wait, when an endpoint is disabled. */
export interface WebhooksConfig {
  /** Loopback, private, link-local and CGNAT targets are refused unless this is set (tests, on-premises receivers). */
  allowPrivateTargets: boolean;
  /** Hosts endpoints may use ("partner.example.com", "*.example.com"); empty: any public host. */
  allowedHosts: string[];
  /** An endpoint is disabled after this many failed attempts in a row (and minFailingHours of failing). */
  maxConsecutiveFailures: number;
  /** ...and only once its failures have lasted this long (0: the count alone decides). */
  minFailingHours: number;
  /** One attempt waits this long for the answer. */
  timeoutMs: number;
  /** Attempts per delivery, the first included (graphile-worker's backoff between them). */
  maxAttempts: number;
  /** Finished deliveries are kept this long in the delivery log. */
  logRetentionDays: number;
}

/** Quota budgets in cost units (src/server/quotas); null: unlimited. */
export interface QuotaBudget {
  perMinute: number | null;
  perDay: number | null;
}

export interface QuotasConfig {
  /** Defaults by role; a partner's agreement in force may set its own. */
  byRole: Record<'ADMIN' | 'OPERATOR' | 'ANALYST' | 'DASHBOARD' | 'PARTNER', QuotaBudget>;
  /** Prefix of the counters' keys in Redis (REDIS_URL). */
  redisPrefix: string;
}

/** Every rule threshold of DOMAIN.md, with the documents' values as defaults. */
export interface MetricsConfig {
  quality: {
    goldRating: number;
    goldComplaintRate: number;
    silverRating: number;
    silverComplaintRate: number;
    bronzeRating: number;
    bronzeComplaintRate: number;
    yellowRating: number;
    exitAfterYellowMonths: number;
    minOrders: number;
  };
  /** Partner evaluation score weights: satisfaction, response speed, complaint handling, price. */
  evaluationWeights: { satisfaction: number; responseSpeed: number; complaintHandling: number; price: number };
  /** Evaluation shrinkage: the ecosystem mean counts as this many orders in each component (Bayesian average; 0 = none). */
  evaluationPriorWeight: number;
  /** Candidate screening weights: quality, coverage, cost, integration. */
  screeningWeights: { quality: number; coverage: number; cost: number; integration: number };
  /** Quarterly evolution: share of partners kept (top) and marked for exit (bottom), among those with at least minOrders orders in the quarter. */
  evolution: { keepTopShare: number; exitBottomShare: number; minOrders: number };
  /** Rollups are refreshed at most this long after the data changes. */
  rollupRefreshMs: number;
  /** Metric answers kept per server until the rollups change (src/metrics/cache); 0: none. */
  cacheEntries: number;
  /** ...and at most this many bytes of answers and keys (UTF-16, as the heap holds them). */
  cacheBytes: number;
  /** Monthly settlement terms (src/metrics/settlements/settlement.sql.ts): GOLD's lower commission, a fraction of the rate. */
  settlement: { goldCommissionDiscount: number };
  /**
   * Differential privacy of partners' ecosystem figures (src/metrics/ecosystem/noise.ts): each
   * customer's orders count at most maxOrdersPerCustomerMonth times a month (the first by
   * created_at, id), each order's amount at most maxOrderAmountMinor.
   */
  dp: { maxOrdersPerCustomerMonth: number; maxOrderAmountMinor: number };
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

class Reader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  str(name: string): string | undefined {
    const v = this.env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  }

  int(name: string, def: number, min: number, max: number): number {
    const raw = this.str(name);
    if (raw === undefined) return def;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      this.problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
      return def;
    }
    return n;
  }

  bool(name: string, def: boolean): boolean {
    const raw = this.str(name)?.toLowerCase();
    if (raw === undefined) return def;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    this.problems.push(`${name} must be true or false, got "${raw}"`);
    return def;
  }

  num(name: string, def: number, min: number, max: number): number {
    const raw = this.str(name);
    if (raw === undefined) return def;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max) {
      this.problems.push(`${name} must be a number from ${min} to ${max}, got "${raw}"`);
      return def;
    }
    return n;
  }

  oneOf<T extends string>(name: string, values: readonly T[], def: T): T {
    const raw = this.str(name);
    if (raw === undefined) return def;
    if ((values as readonly string[]).includes(raw)) return raw as T;
    this.problems.push(`${name} must be one of ${values.join(', ')}, got "${raw}"`);
    return def;
  }
}

function dpBounds(r: Reader): MetricsConfig['dp'] {
  return {
    maxOrdersPerCustomerMonth: r.int('DP_MAX_ORDERS_PER_CUSTOMER_MONTH', 5, 1, 1_000),
    // Minor units; CNY 4,350.00 is about the 99.9th percentile of the seeded order amounts (the largest: 4,446.57).
    maxOrderAmountMinor: r.int('DP_MAX_ORDER_AMOUNT', 435_000, 1, 1_000_000_000),
  };
}

/** The contribution bounds alone, for the rollup refresh (which runs without the server's config). */
export function dpBoundsFromEnv(env: Env = process.env): MetricsConfig['dp'] {
  return dpBounds(new Reader(env));
}

export const PROJECT_ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');

export function loadConfig(env: Env = process.env): Config {
  const r = new Reader(env);
  const nodeEnv = r.oneOf('NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const databaseUrl = r.str('DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    r.problems.push('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const secret = r.str('ECOGRAPH_SECRET');
  if (secret !== undefined && secret.length < 32) {
    r.problems.push('ECOGRAPH_SECRET must be at least 32 characters');
  }
  if (nodeEnv === 'production' && secret === undefined && databaseUrl !== undefined) {
    r.problems.push('ECOGRAPH_SECRET is required in production with an external database');
  }
  const adminKey = r.str('ECOGRAPH_ADMIN_KEY');
  if (adminKey !== undefined && adminKey.length < 16) {
    r.problems.push('ECOGRAPH_ADMIN_KEY must be at least 16 characters');
  }
  const maxPageSize = r.int('MAX_PAGE_SIZE', 100, 1, 10_000);
  /** A budget: a whole number of units, or "unlimited". */
  const budget = (name: string, def: number | null): number | null => {
    const raw = r.str(name);
    if (raw === undefined) return def;
    if (raw.toLowerCase() === 'unlimited') return null;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 2_000_000_000) {
      r.problems.push(`${name} must be a whole number from 1 to 2000000000, or "unlimited", got "${raw}"`);
      return def;
    }
    return n;
  };
  const config: Config = {
    nodeEnv,
    host: r.str('HOST') ?? '0.0.0.0',
    port: r.int('PORT', 4000, 0, 65_535),
    databaseUrl,
    dataDir: path.resolve(PROJECT_ROOT, r.str('ECOGRAPH_DATA_DIR') ?? '.data'),
    embeddedPgPort: r.int('EMBEDDED_PG_PORT', 54329, 1024, 65_535),
    adminKey,
    secret,
    logLevel: r.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    pagination: { defaultPageSize: Math.min(20, maxPageSize), maxPageSize },
    limits: {
      bodyBytes: r.int('BODY_LIMIT_BYTES', 1_000_000, 1_000, 100_000_000),
      maxDepth: r.int('MAX_QUERY_DEPTH', 10, 2, 50),
      maxAliases: r.int('MAX_ALIASES', 30, 1, 1_000),
      maxCost: r.int('MAX_QUERY_COST', 50_000, 100, 10_000_000),
      // Tokens in one document (names, values, punctuation). The default passes any persisted
      // document of the default size (PERSISTED_DOCUMENT_MAX_BYTES; a token is at least one
      // byte), and alias and directive floods of 5,000 (35,003 tokens) reach the rules that
      // refuse them with their own codes. GraphiQL's introspection query is about 200 tokens.
      maxTokens: r.int('MAX_QUERY_TOKENS', 50_000, 1_000, 1_000_000),
      documentCacheBytes: r.int('DOCUMENT_CACHE_MB', 16, 1, 4_096) * 1024 * 1024,
    },
    compiledQueries: r.bool('COMPILED_QUERIES', true),
    db: {
      poolMax: r.int('DB_POOL_MAX', 10, 1, 200),
      statementTimeoutMs: r.int('DB_STATEMENT_TIMEOUT_MS', 5_000, 100, 3_600_000),
      connectTimeoutMs: r.int('DB_CONNECT_TIMEOUT_MS', 5_000, 100, 120_000),
    },
    seedOnStart: r.bool('SEED_ON_START', true),
    minGroupSize: r.int('MIN_GROUP_SIZE', 10, 1, 1_000_000),
    metrics: {
      quality: {
        goldRating: r.num('QUALITY_GOLD_RATING', 4.8, 0, 5),
        goldComplaintRate: r.num('QUALITY_GOLD_COMPLAINT_RATE', 0.005, 0, 1),
        silverRating: r.num('QUALITY_SILVER_RATING', 4.5, 0, 5),
        silverComplaintRate: r.num('QUALITY_SILVER_COMPLAINT_RATE', 0.01, 0, 1),
        bronzeRating: r.num('QUALITY_BRONZE_RATING', 4.0, 0, 5),
        bronzeComplaintRate: r.num('QUALITY_BRONZE_COMPLAINT_RATE', 0.02, 0, 1),
        yellowRating: r.num('QUALITY_YELLOW_RATING', 4.0, 0, 5),
        exitAfterYellowMonths: r.int('QUALITY_EXIT_AFTER_YELLOW_MONTHS', 3, 1, 24),
        minOrders: r.int('QUALITY_MIN_RATED_ORDERS', 20, 0, 1_000_000),
      },
      evaluationWeights: {
        satisfaction: r.num('EVALUATION_WEIGHT_SATISFACTION', 0.4, 0, 1),
        responseSpeed: r.num('EVALUATION_WEIGHT_RESPONSE_SPEED', 0.25, 0, 1),
        complaintHandling: r.num('EVALUATION_WEIGHT_COMPLAINT_HANDLING', 0.2, 0, 1),
        price: r.num('EVALUATION_WEIGHT_PRICE', 0.15, 0, 1),
      },
      evaluationPriorWeight: r.num('EVALUATION_PRIOR_WEIGHT', 5, 0, 1_000_000),
      screeningWeights: {
        quality: r.num('SCREENING_WEIGHT_QUALITY', 0.4, 0, 1),
        coverage: r.num('SCREENING_WEIGHT_COVERAGE', 0.25, 0, 1),
        cost: r.num('SCREENING_WEIGHT_COST', 0.2, 0, 1),
        integration: r.num('SCREENING_WEIGHT_INTEGRATION', 0.15, 0, 1),
      },
      evolution: {
        keepTopShare: r.num('EVOLUTION_KEEP_TOP_SHARE', 0.2, 0, 1),
        exitBottomShare: r.num('EVOLUTION_EXIT_BOTTOM_SHARE', 0.1, 0, 1),
        minOrders: r.int('EVOLUTION_MIN_ORDERS', 5, 0, 1_000_000),
      },
      rollupRefreshMs: r.int('ROLLUP_REFRESH_MS', 5_000, 100, 3_600_000),
      cacheEntries: r.int('METRICS_CACHE_ENTRIES', 1_000, 0, 1_000_000),
      cacheBytes: r.int('METRICS_CACHE_MB', 32, 1, 4_096) * 1024 * 1024,
      settlement: { goldCommissionDiscount: r.num('SETTLEMENT_GOLD_COMMISSION_DISCOUNT', 0.2, 0, 1) },
      dp: dpBounds(r),
    },
    ops: {
      drainTimeoutMs: r.int('DRAIN_TIMEOUT_MS', 10_000, 0, 600_000),
      retryAfterSeconds: r.int('RETRY_AFTER_SECONDS', 5, 1, 3_600),
      redisUrl: r.str('REDIS_URL'),
      readUrls: (r.str('DATABASE_READ_URLS') ?? '').split(',').map((s) => s.trim()).filter(Boolean),
      readYourWritesWaitMs: r.int('READ_YOUR_WRITES_WAIT_MS', 200, 0, 10_000),
      replicaRetryMs: r.int('REPLICA_RETRY_MS', 5_000, 100, 600_000),
      heapGrowingPercent: r.int('HEAP_GROWING_PERCENT', 50, 0, 400),
    },
    quotas: {
      byRole: {
        ADMIN: { perMinute: budget('QUOTA_ADMIN_PER_MINUTE', null), perDay: budget('QUOTA_ADMIN_PER_DAY', null) },
        OPERATOR: { perMinute: budget('QUOTA_OPERATOR_PER_MINUTE', 120_000), perDay: budget('QUOTA_OPERATOR_PER_DAY', null) },
        ANALYST: { perMinute: budget('QUOTA_ANALYST_PER_MINUTE', 120_000), perDay: budget('QUOTA_ANALYST_PER_DAY', null) },
        DASHBOARD: { perMinute: budget('QUOTA_DASHBOARD_PER_MINUTE', 60_000), perDay: budget('QUOTA_DASHBOARD_PER_DAY', null) },
        PARTNER: { perMinute: budget('QUOTA_PARTNER_PER_MINUTE', 60_000), perDay: budget('QUOTA_PARTNER_PER_DAY', 2_000_000) },
      },
      redisPrefix: r.str('QUOTA_REDIS_PREFIX') ?? 'ecograph:quota:',
    },
    keys: { rotationOverlapSeconds: r.int('KEY_ROTATION_OVERLAP_SECONDS', 86_400, 0, 30 * 86_400) },
    writes: { idempotencyTtlHours: r.int('IDEMPOTENCY_TTL_HOURS', 24, 1, 24 * 365) },
    changes: { retentionHours: r.int('CHANGE_RETENTION_HOURS', 168, 1, 24 * 3_650) },
    webhooks: {
      allowPrivateTargets: r.bool('WEBHOOK_ALLOW_PRIVATE_TARGETS', false),
      allowedHosts: (r.str('WEBHOOK_ALLOWED_HOSTS') ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean),
      maxConsecutiveFailures: r.int('WEBHOOK_MAX_CONSECUTIVE_FAILURES', 10, 1, 100_000),
      minFailingHours: r.num('WEBHOOK_DISABLE_MIN_FAILING_HOURS', 24, 0, 24 * 30),
      timeoutMs: r.int('WEBHOOK_TIMEOUT_MS', 5_000, 100, 120_000),
      maxAttempts: r.int('WEBHOOK_MAX_ATTEMPTS', 20, 1, 100),
      logRetentionDays: r.int('WEBHOOK_LOG_RETENTION_DAYS', 30, 1, 3_650),
    },
    persisted: {
      maxOperations: r.int('PERSISTED_OPERATIONS_MAX', 2_000, 1, 1_000_000),
      maxDocumentBytes: r.int('PERSISTED_DOCUMENT_MAX_BYTES', 32_768, 100, 10_000_000),
    },
    ledger: { groupCommitMs: r.int('LEDGER_GROUP_COMMIT_MS', 0, 0, 1_000) },
    dispatch: {
      bronzeMonthlyCap: r.int('DISPATCH_BRONZE_MONTHLY_CAP', 50, 0, 1_000_000),
      arrivalSlaMinutes: r.int('DISPATCH_ARRIVAL_SLA_MINUTES', 30, 1, 10_080),
      costPlusMarkup: r.num('DISPATCH_COST_PLUS_MARKUP', 0.2, 0, 10),
      rotationDays: r.int('DISPATCH_ROTATION_DAYS', 7, 1, 365),
      ruleLookbackHours: r.int('DISPATCH_RULE_LOOKBACK_HOURS', 24, 1, 720),
      tickCron: r.str('DISPATCH_TICK_CRON') ?? '* * * * *',
    },
    jobs: {
      enabled: r.bool('JOBS_ENABLED', true),
      concurrency: r.int('JOBS_CONCURRENCY', 4, 1, 50),
      // 03:00 UTC on the 2nd: the previous month has closed in Asia/Shanghai.
      qualityEvaluationCron: r.str('QUALITY_EVALUATION_CRON') ?? '0 3 2 * *',
    },
  };
  const sumOf = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
  for (const [name, weights] of [['EVALUATION_WEIGHT_*', config.metrics.evaluationWeights], ['SCREENING_WEIGHT_*', config.metrics.screeningWeights]] as const) {
    if (Math.abs(sumOf(weights) - 1) > 1e-9) r.problems.push(`${name} must add up to 1, they add up to ${sumOf(weights)}`);
  }
  for (const u of config.ops.readUrls) if (!/^postgres(ql)?:\/\//.test(u)) r.problems.push('DATABASE_READ_URLS must be comma-separated postgres:// URLs');
  if (config.ops.redisUrl !== undefined && !/^rediss?:\/\//.test(config.ops.redisUrl)) r.problems.push('REDIS_URL must start with redis:// or rediss://');
  if (!/^[\w.:-]{1,100}$/.test(config.quotas.redisPrefix)) r.problems.push('QUOTA_REDIS_PREFIX must be 1 to 100 letters, digits or . : _ -');
  try {
    parseCrontab(`${config.jobs.qualityEvaluationCron} quality_evaluation`);
  } catch {
    r.problems.push(`QUALITY_EVALUATION_CRON must be a cron schedule of five fields, e.g. "0 3 2 * *", got "${config.jobs.qualityEvaluationCron}"`);
  }
  for (const h of config.webhooks.allowedHosts) if (!/^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(h)) r.problems.push(`WEBHOOK_ALLOWED_HOSTS must be comma-separated host names ("partner.example.com", "*.example.com"), got "${h}"`);
  if (config.embeddedPgPort === 5432) r.problems.push('EMBEDDED_PG_PORT must not be 5432 (a system PostgreSQL may listen there)');
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return config;
}
