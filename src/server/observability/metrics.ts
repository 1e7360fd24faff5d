// Prometheus metrics for one server (its own registry, so several servers in one process, as
// in the tests, do not collide). Served as text at GET /metrics (see app.ts; no auth: keep it
// on the internal network, docs/operations.md).
//
// Cardinality is bounded: labels are the role (5 values), the HTTP status, the error code
// (a fixed set) and the operation name, which the client chooses, so only names of operations
// that parsed and validated are used, only the first MAX_OPERATION_NAMES distinct ones get
// their own series, and the rest fall into "__other". Requests without an operation name are
// "__anonymous"; requests that never got to a valid operation (bad body, 401, parse or
// validation errors) are "__unknown". Partner ids are not labels (the access ledger has them).
import client from 'prom-client';
import type pg from 'pg';

export const MAX_OPERATION_NAMES = 100;
const NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;

export const OPERATION_ANONYMOUS = '__anonymous';
export const OPERATION_UNKNOWN = '__unknown';
export const OPERATION_OTHER = '__other';

export interface MetricsSources {
  pool: pg.Pool;
  /** Access-ledger entries waiting for their group commit, and entries the database refused. */
  ledger: { readonly depth: number; readonly failed: number };
  isDraining: () => boolean;
}

/** One read replica as /metrics shows it (src/db/read-pools.ts measures it). */
export interface ReplicaLagSample {
  /** Its position in DATABASE_READ_URLS (never the URL: it may hold a password). */
  replica: string;
  up: boolean;
  lagBytes?: number;
}

/** Where a metric query's answer came from (src/metrics/cache). */
export type MetricAnswerSource = 'early' | 'cache' | 'computed';

export interface RequestSample {
  operation: string;
  role: string;
  status: number;
  durationMs: number;
  errorCodes: readonly string[];
}

export class Metrics {
  readonly registry = new client.Registry();
  private readonly names = new Set<string>();
  private readonly requests: client.Counter<'operation' | 'role' | 'status'>;
  private readonly duration: client.Histogram<'operation' | 'role'>;
  private readonly errors: client.Counter<'code'>;
  private readonly authFailures: client.Counter<'code'>;
  private readonly quotaRefusals: client.Counter<'role' | 'code'>;
  private readonly quotaStoreErrors: client.Counter;
  private readonly compiled: client.Counter<'outcome'>;
  private readonly metricAnswers: client.Counter<'source'>;
  private readonly earlyAnswers: client.Counter<'outcome'>;

  constructor(sources: MetricsSources, opts: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.requests = new client.Counter({
      name: 'ecograph_graphql_requests_total',
      help: 'GraphQL requests answered, by operation name, role and HTTP status',
      labelNames: ['operation', 'role', 'status'],
      registers,
    });
    this.duration = new client.Histogram({
      name: 'ecograph_graphql_request_duration_seconds',
      help: 'Time from receiving a GraphQL request to the end of its response, by operation name and role',
      labelNames: ['operation', 'role'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.errors = new client.Counter({
      name: 'ecograph_graphql_errors_total',
      help: 'Errors returned to clients, by extensions.code (one per code per request)',
      labelNames: ['code'],
      registers,
    });
    this.authFailures = new client.Counter({
      name: 'ecograph_auth_failures_total',
      help: 'Requests refused with 401, by code (UNAUTHENTICATED, INVALID_KEY, KEY_REVOKED, ...)',
      labelNames: ['code'],
      registers,
    });
    this.quotaRefusals = new client.Counter({
      name: 'ecograph_quota_refusals_total',
      help: 'Requests refused with 429 by the per-key quotas, by role and code (RATE_LIMITED, QUOTA_EXCEEDED)',
      labelNames: ['role', 'code'],
      registers,
    });
    this.compiled = new client.Counter({
      name: 'ecograph_compiled_operations_total',
      help: 'Query operations by how they were answered: compiled (one SQL statement), resolvers (not compilable), fallback (the compiled path failed)',
      labelNames: ['outcome'],
      registers,
    });
    this.metricAnswers = new client.Counter({
      name: 'ecograph_metric_answers_total',
      help: 'Answers of metric queries by source: early (the cache, before the GraphQL pipeline), cache (the cache, in it), computed (from the rollups)',
      labelNames: ['source'],
      registers,
    });
    this.earlyAnswers = new client.Counter({
      name: 'ecograph_early_answers_total',
      help: 'Repeats of compiled queries by known keys: answered (one statement, before the GraphQL pipeline), usual (left to it: the key changed, a quota refusal, a database error)',
      labelNames: ['outcome'],
      registers,
    });
    this.quotaStoreErrors = new client.Counter({
      name: 'ecograph_quota_store_errors_total',
      help: 'Quota checks that Redis could not answer, counted in the process instead',
      registers,
    });
    const { pool, ledger, isDraining } = sources;
    const gauge = (name: string, help: string, read: () => number) =>
      new client.Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read());
        },
      });
    gauge('ecograph_db_pool_total', 'Connections in the API pool (idle and in use)', () => pool.totalCount);
    gauge('ecograph_db_pool_idle', 'Idle connections in the API pool', () => pool.idleCount);
    gauge('ecograph_db_pool_waiting', 'Queries waiting for a connection from the API pool', () => pool.waitingCount);
    gauge('ecograph_ledger_queue_depth', 'Access-ledger entries waiting for their group commit (their requests wait too)', () => ledger.depth);
    gauge('ecograph_ledger_entries_failed', 'Access-ledger entries the database refused; their requests were answered 503', () => ledger.failed);
    gauge('ecograph_draining', '1 while the server is shutting down (readiness fails)', () => (isDraining() ? 1 : 0));
    if (opts.defaultMetrics ?? true) client.collectDefaultMetrics({ register: this.registry });
  }

  /** The label for an operation name (undefined: the request never reached a valid operation). */
  operationLabel(name: string | null | undefined, resolved: boolean): string {
    if (!resolved) return OPERATION_UNKNOWN;
    if (!name) return OPERATION_ANONYMOUS;
    if (!NAME.test(name)) return OPERATION_OTHER;
    if (this.names.has(name)) return name;
    if (this.names.size >= MAX_OPERATION_NAMES) return OPERATION_OTHER;
    this.names.add(name);
    return name;
  }

  observe(s: RequestSample): void {
    this.requests.inc({ operation: s.operation, role: s.role, status: String(s.status) });
    this.duration.observe({ operation: s.operation, role: s.role }, s.durationMs / 1000);
    for (const code of new Set(s.errorCodes)) this.errors.inc({ code });
    if (s.status === 401) for (const code of new Set(s.errorCodes)) this.authFailures.inc({ code });
  }

  quotaRefused(role: string, code: string): void {
    this.quotaRefusals.inc({ role, code });
  }

  compiledOutcome(outcome: 'compiled' | 'resolvers' | 'fallback'): void {
    this.compiled.inc({ outcome });
  }

  earlyAnswer(outcome: 'answered' | 'usual'): void {
    this.earlyAnswers.inc({ outcome });
  }

  metricAnswer(source: MetricAnswerSource): void {
    this.metricAnswers.inc({ source });
  }

  /**
   * Read replicas (DATABASE_READ_URLS): whether each is in rotation, and how far its replay
   * trails the primary in WAL bytes, measured on scrape (one measurement for both gauges,
   * bounded in time; a replica that does not answer loses its lag series, the scrape never fails).
   */
  watchReplicas(measure: () => Promise<ReplicaLagSample[]>): void {
    let inflight: Promise<ReplicaLagSample[]> | undefined;
    const sample = () =>
      (inflight ??= measure()
        .catch(() => [])
        .finally(() => {
          inflight = undefined;
        }));
    const registers = [this.registry];
    new client.Gauge({
      name: 'ecograph_replica_up',
      help: 'Read replicas: 1 while in rotation, 0 while taken out after a failure (its reads go to the others or the primary)',
      labelNames: ['replica'],
      registers,
      async collect() {
        const samples = await sample();
        this.reset();
        for (const s of samples) this.set({ replica: s.replica }, s.up ? 1 : 0);
      },
    });
    new client.Gauge({
      name: 'ecograph_replica_lag_bytes',
      help: 'Read replicas: WAL bytes written on the primary and not yet replayed by the replica (absent when it did not answer)',
      labelNames: ['replica'],
      registers,
      async collect() {
        const samples = await sample();
        this.reset();
        for (const s of samples) if (s.lagBytes !== undefined) this.set({ replica: s.replica }, s.lagBytes);
      },
    });
  }

  quotaStoreFailed(): void {
    this.quotaStoreErrors.inc();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
