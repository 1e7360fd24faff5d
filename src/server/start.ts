// Start-up in one place: database (embedded or DATABASE_URL), migrations, first-run seed and
// admin key, the per-role schemas, HTTP. Returns a handle whose close() shuts down in order.
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { Pseudonymizer } from '../anonymisation/pseudonym';
import { Authenticator } from '../auth/authenticate';
import { countKeys, createKey } from '../auth/keys';
import { SCHEMA_KEYS, type SchemaKey } from '../auth/principal';
import { resolveSecret } from '../auth/secret';
import type { Config } from '../config';
import { CursorCodec } from '../db/cursor';
import { migrate, openDatabase } from '../db/database';
import { createPool } from '../db/pool';
import { createReadPools } from '../db/read-pools';
import { fullSchema } from '../graphql/schema';
import { roleSchema } from '../permissions/role-schema';
import { Role } from '../permissions/tier';
import { seedDatabase } from '../../seeds/seed';
import { ledgerPlugin } from '../ledger/ledger.plugin';
import { LedgerWriter } from '../ledger/ledger-writer';
import { RollupRefresher } from '../metrics/rollups/refresher';
import { MetricsCache } from '../metrics/cache/metrics-cache';
import { metricsCachePlugin } from '../metrics/cache/metrics-cache.plugin';
import { cachedAnswers as metricsFastPath } from '../metrics/cache/fast-path';
import { shieldRules } from '../permissions/shield';
import { startCacheInvalidation } from '../metrics/cache/invalidation';
import { createApp } from './app';
import { compiledPlugin } from './compiled/compiled.plugin';
import { earlyAnswers as earlyAnswerHandler } from './early/early-answers';
import { EarlyPlans } from './early/plans';
import { mutationPlugin } from '../writes/mutation.plugin';
import { startJobs } from '../jobs/runner';
import { startFanoutTrigger } from '../webhooks/trigger';
import { createGraphqlHandlers } from './graphql-handlers';
import type { Logger } from './logger';
import { Metrics } from './observability/metrics';
import { createQuotaStore, QuotaGuard } from './quotas';
import type { GraphQLSchema } from 'graphql';

/** While draining, idle keep-alive connections are left open this long (capped by the drain timeout). */
const IDLE_GRACE_MS = 1_000;

export interface RunningServer {
  url: string;
  databaseUrl: string;
  /** Printed once when the first start created it. */
  firstAdminKey?: string;
  ledger: LedgerWriter;
  rollups: RollupRefresher;
  close(): Promise<void>;
}

/**
 * Requests Node's HTTP parser refuses before express sees them (an unknown method, a malformed
 * request line, headers over 16 KB, a request that took too long): a JSON error like every
 * other refusal, instead of Node's empty 400.
 */
function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, code, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'HEADERS_TOO_LARGE', 'The request headers are too large']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'REQUEST_TIMEOUT', 'The request took too long to arrive']
        : err.code === 'HPE_INVALID_METHOD'
          ? [405, 'METHOD_NOT_ALLOWED', 'Unknown HTTP method: use POST with a JSON body, or GET']
          : [400, 'BAD_REQUEST', 'The request is not valid HTTP'];
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\ncontent-type: application/json\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

export function buildRoleSchemas(): Record<SchemaKey, GraphQLSchema> {
  const full = fullSchema();
  return Object.fromEntries(SCHEMA_KEYS.map((k) => [k, k === 'ADMIN' ? full : roleSchema(full, k)])) as Record<SchemaKey, GraphQLSchema>;
}

export async function startServer(config: Config, log: Logger): Promise<RunningServer> {
  const db = await openDatabase(config, { log: (line) => log.info(line) });
  try {
    const applied = await migrate(db.orm);
    if (applied.length > 0) log.info({ migrations: applied }, 'applied migrations');
  } catch (err) {
    await db.close();
    throw err;
  }
  const pool = createPool(db.url, config, {
    onIdleError: (err) => log.warn({ err: err.message, code: (err as { code?: string }).code }, 'an idle database connection failed; the pool drops it'),
  });
  let firstAdminKey: string | undefined;
  try {
    if (config.seedOnStart) {
      const seeded = await pool.query("select 1 from seed_state where key = 'synthetic'");
      if (seeded.rowCount === 0) {
        log.info('empty database: loading reference data and a small synthetic dataset');
        const report = await seedDatabase(db.url, { log: (line: string) => log.info(line) });
        log.info({ orders: report.synthetic.orders, seconds: report.synthetic.seconds }, 'seeded');
      }
    }
    if (!config.adminKey && (await countKeys(pool)) === 0) {
      firstAdminKey = (await createKey(pool, { role: Role.ADMIN, label: 'first admin key' })).key;
    }
  } catch (err) {
    await pool.end();
    await db.close();
    throw err;
  }

  const secret = resolveSecret(config);
  const services = { config, cursors: new CursorCodec(secret), pseudonyms: new Pseudonymizer(secret), secretKey: secret };
  const ledger = new LedgerWriter(pool, log, { groupCommitMs: config.ledger.groupCommitMs, batchSize: 500 });
  // Metric answers until the rollups change; emptied on every replica by NOTIFY.
  const metricsCache = new MetricsCache(config.metrics.cacheEntries, config.metrics.cacheBytes);
  const cacheInvalidation = startCacheInvalidation(db.url, metricsCache, log);
  // Dashboards read rollups: bring stale months up to date before serving, then keep them so.
  const rollups = new RollupRefresher(pool, log, config.metrics.rollupRefreshMs, () => metricsCache.invalidate());
  await rollups.runOnce();
  rollups.start();
  let draining = false;
  const isDraining = () => draining;
  const metrics = new Metrics({ pool, ledger, isDraining });
  // Per-key quotas: counted in this process, or in Redis when REDIS_URL is set.
  const quotaStore = await createQuotaStore(config, log, () => metrics.quotaStoreFailed());
  const quotas = new QuotaGuard(quotaStore, config, log, metrics);
  const readPools = createReadPools(config, pool, log);
  if (config.ops.readUrls.length > 0) metrics.watchReplicas(() => readPools.lag());
  // Scheduled work (monthly quality consequences, clean-ups), once across replicas.
  // Its own few connections: a busy request pool never starves the jobs, nor the reverse.
  // A connection per concurrent job, graphile-worker's LISTEN and one to spare.
  const jobsPool = createPool(db.url, { db: { ...config.db, poolMax: config.jobs.concurrency + 2 } }, {
    onIdleError: (err) => log.warn({ err: err.message }, 'an idle job connection failed; the pool drops it'),
  });
  // graphile-worker keeps a connection checked out to LISTEN; when PostgreSQL restarts, that
  // client's 'error' event must find a listener, or it would be an uncaught exception.
  jobsPool.on('connect', (client) => {
    client.on('error', (err) => log.warn({ err: err.message }, 'a job connection failed; graphile-worker reconnects'));
  });
  let jobs: Awaited<ReturnType<typeof startJobs>> | undefined;
  try {
    jobs = config.jobs.enabled ? await startJobs(jobsPool, services, log) : undefined;
  } catch (err) {
    await jobsPool.end();
    await rollups.stop();
    await cacheInvalidation.stop();
    await quotaStore.close();
    await readPools.end();
    await pool.end();
    await db.close();
    throw err;
  }
  // Webhooks: a fanout job soon after each captured write (src/webhooks/trigger.ts).
  const webhookTrigger = jobs ? startFanoutTrigger(db.url, jobsPool, log) : undefined;
  // What the compiled path answered, for repeats answered in one statement before Apollo. Only
  // without read replicas: the early answers read where the key is checked, on the primary, and
  // with replicas reads belong on the standbys (a caller's own writes waited for there).
  const earlyPlans = config.ops.readUrls.length === 0 ? new EarlyPlans() : undefined;
  // The compiled path last: its responseForOperation answers only what quotas let through.
  // Mutations after the quota guard too, each in one transaction on the primary (src/writes).
  const plugins = [
    ledgerPlugin(ledger, config.ops.retryAfterSeconds),
    quotas.plugin(),
    mutationPlugin({ pool, log, idempotencyTtlHours: config.writes.idempotencyTtlHours, commit: readPools.commit }),
    metricsCachePlugin(metricsCache, metrics),
    ...(config.compiledQueries ? [compiledPlugin(log, metrics, earlyPlans && ((rc, compiled) => earlyPlans.remember(rc, compiled)))] : []),
  ];
  const handlers = await createGraphqlHandlers(buildRoleSchemas(), (caller) => readPools.forRequest(caller), services, log, plugins);
  const rules = shieldRules(fullSchema());
  const cachedAnswers = metricsFastPath({ cache: metricsCache, ledger, quotas, rules, retryAfterSeconds: config.ops.retryAfterSeconds, observer: metrics });
  const authenticator = new Authenticator(pool, config.adminKey);
  const earlyAnswers = config.compiledQueries && earlyPlans ? earlyAnswerHandler({ plans: earlyPlans, authenticator, pool, ledger, quotas, rules, log, observer: metrics, retryAfterSeconds: config.ops.retryAfterSeconds }) : undefined;
  const listener = createApp({ config, pool, authenticator, handlers, log, metrics, isDraining, quotas, cachedAnswers, earlyAnswers });
  const server = http.createServer(listener);
  server.keepAliveTimeout = 5_000;
  server.on('clientError', answerClientError);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    databaseUrl: db.url,
    firstAdminKey,
    ledger,
    rollups,
    close() {
      closing ??= (async () => {
        // 1. Not ready any more (/readyz answers 503), and every response from now on carries
        //    "connection: close" (app.ts).
        draining = true;
        const started = Date.now();
        log.info({ drainTimeoutMs: config.ops.drainTimeoutMs }, 'draining: no new connections; finishing the requests in flight');
        // 2. Stop accepting connections. net.Server's close, not http.Server's: the latter also
        //    closes idle keep-alive connections at once, and a client that is just sending its
        //    next request on one would see a reset instead of an answer.
        const drained = new Promise<void>((resolve) => net.Server.prototype.close.call(server, () => resolve()));
        // 3. Idle keep-alive connections go after a short grace; requests in flight finish and
        //    their connections close after the response.
        let sweeper: NodeJS.Timeout | undefined;
        const graceTimer = setTimeout(
          () => {
            server.closeIdleConnections();
            sweeper = setInterval(() => server.closeIdleConnections(), 100);
          },
          Math.min(IDLE_GRACE_MS, config.ops.drainTimeoutMs),
        );
        // 4. Bounded by DRAIN_TIMEOUT_MS: then the connections still open are cut.
        let deadline: NodeJS.Timeout | undefined;
        const timedOut = await Promise.race([
          drained.then(() => false),
          new Promise<boolean>((resolve) => {
            deadline = setTimeout(() => resolve(true), config.ops.drainTimeoutMs);
          }),
        ]);
        clearTimeout(graceTimer);
        clearInterval(sweeper);
        clearTimeout(deadline);
        if (timedOut) {
          const open = await new Promise<number>((resolve) => server.getConnections((_err, n) => resolve(n ?? 0)));
          log.warn({ connections: open }, 'drain timeout reached: closing the connections still open');
          server.closeAllConnections();
          await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
        }
        log.info({ ms: Date.now() - started }, 'HTTP drained');
        // 5. Then Apollo, the access ledger (its queue is written now), the rollups, the pool
        //    and the database.
        await handlers.stop();
        await webhookTrigger?.stop();
        await jobs?.stop();
        await jobsPool.end();
        await ledger.stop();
        await rollups.stop();
        await cacheInvalidation.stop();
        await quotaStore.close();
        await readPools.end();
        await pool.end();
        await db.close();
        log.info({ ms: Date.now() - started, ledgerUnwritten: ledger.depth }, 'stopped');
      })();
      return closing;
    },
  };
}
