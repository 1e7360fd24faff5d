// The only reader of process.env. Every setting is validated and typed here; the rest of the
// code receives a Config and never looks at the environment itself.
import path from 'node:path';

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
  limits: { bodyBytes: number; maxDepth: number; maxAliases: number; maxCost: number };
  db: { poolMax: number; statementTimeoutMs: number; connectTimeoutMs: number };
  seedOnStart: boolean;
  /** Small groups in partner-visible aggregates are suppressed below this many customers. */
  minGroupSize: number;
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

  oneOf<T extends string>(name: string, values: readonly T[], def: T): T {
    const raw = this.str(name);
    if (raw === undefined) return def;
    if ((values as readonly string[]).includes(raw)) return raw as T;
    this.problems.push(`${name} must be one of ${values.join(', ')}, got "${raw}"`);
    return def;
  }
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
    },
    db: {
      poolMax: r.int('DB_POOL_MAX', 10, 1, 200),
      statementTimeoutMs: r.int('DB_STATEMENT_TIMEOUT_MS', 5_000, 100, 3_600_000),
      connectTimeoutMs: r.int('DB_CONNECT_TIMEOUT_MS', 5_000, 100, 120_000),
    },
    seedOnStart: r.bool('SEED_ON_START', true),
    minGroupSize: r.int('MIN_GROUP_SIZE', 10, 1, 1_000_000),
  };
  if (config.embeddedPgPort === 5432) r.problems.push('EMBEDDED_PG_PORT must not be 5432 (a system PostgreSQL may listen there)');
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return config;
}
