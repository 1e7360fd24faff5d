// Entry point: configuration -> database -> server; graceful shutdown on SIGTERM/SIGINT.
import 'reflect-metadata';
import { ConfigError, loadConfig } from './config';
import { loggableError } from './server/errors';
import { createLogger } from './server/logger';
import { startServer } from './server/start';
import { tuneHeap } from './server/heap';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config);
  tuneHeap(config.ops.heapGrowingPercent);
  const started = Date.now();
  const running = await startServer(config, log);
  log.info({ url: running.url, seconds: (Date.now() - started) / 1000 }, 'ecograph is listening');

  const lines = [
    '',
    `  Ecograph is ready: ${running.url}/graphql`,
    `  GraphiQL:          ${running.url}/graphiql`,
  ];
  if (running.firstAdminKey) {
    lines.push(
      '',
      '  First start: an admin key was created. It is shown this once; store it now.',
      `    ${running.firstAdminKey}`,
      '  Paste it into the key field at the top of GraphiQL, or send it as',
      '    Authorization: Bearer <key>',
      '  More keys: npm run cli -- keys create --role admin|analyst|dashboard|partner',
    );
  } else if (config.adminKey) {
    lines.push('  Admin key: the value of ECOGRAPH_ADMIN_KEY (send it as "Authorization: Bearer <key>")');
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);

  // Graceful shutdown (docs/operations.md): /readyz fails at once, no new connections, the
  // requests in flight finish (at most DRAIN_TIMEOUT_MS), the access ledger is written, the
  // pool closed, the embedded database stopped; then exit 0. A second signal exits at once.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      log.warn({ signal }, 'second signal while shutting down: exiting now');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal, drainTimeoutMs: config.ops.drainTimeoutMs }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.ops.drainTimeoutMs + 20_000);
    force.unref();
    running.close().then(
      () => {
        log.flush();
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err: loggableError(err) }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', () => stop('SIGHUP'));
  // A stray rejected promise is a bug to log, not a reason to drop every request in flight.
  process.on('unhandledRejection', (reason) => {
    log.error({ err: loggableError(reason) }, 'unhandled promise rejection');
  });
}

main().catch((err: unknown) => {
  const e = err as { code?: string; message?: string };
  console.error(`ecograph failed to start: ${e?.message ?? String(err)}${e?.code ? ` [${e.code}]` : ''}`);
  process.exit(1);
});
