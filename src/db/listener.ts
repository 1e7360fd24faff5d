// A dedicated connection that LISTENs on some channels and comes back after a failure (a
// PostgreSQL restart, a network cut) after a growing pause. What listens says what to do with a
// notification, and what holds while the connection is up or down.
import pg from 'pg';
import type { Logger } from '../server/logger';

const FIRST_RECONNECT_MS = 500;
const MAX_RECONNECT_MS = 30_000;

export interface ListenOptions {
  /** For the logs and PostgreSQL's application_name. */
  name: string;
  channels: string[];
  log: Logger;
  onNotification(channel: string, payload: string | undefined): void;
  /** The connection listens (again): notifications missed while it was down may exist. */
  onUp?(): void;
  /** The connection failed: notifications may be missed until onUp. */
  onDown?(): void;
}

export interface Listener {
  stop(): Promise<void>;
}

export function listen(databaseUrl: string, opts: ListenOptions): Listener {
  let client: pg.Client | undefined;
  let stopped = false;
  let reconnect: NodeJS.Timeout | undefined;
  let delay = FIRST_RECONNECT_MS;

  const connect = async () => {
    if (stopped) return;
    const c = new pg.Client({ connectionString: databaseUrl, application_name: `ecograph-${opts.name}`, keepAlive: true });
    c.on('error', (err) => {
      opts.log.warn({ err: err.message }, `${opts.name}: the listener lost its connection; reconnecting`);
      retry(c);
    });
    c.on('end', () => retry(c));
    c.on('notification', (msg) => {
      if (opts.channels.includes(msg.channel)) opts.onNotification(msg.channel, msg.payload);
    });
    try {
      await c.connect();
      for (const channel of opts.channels) await c.query(`listen ${pg.escapeIdentifier(channel)}`);
      if (stopped) {
        await c.end().catch(() => undefined);
        return;
      }
      client = c;
      delay = FIRST_RECONNECT_MS;
      opts.onUp?.();
    } catch (err) {
      opts.log.warn({ err: (err as Error).message }, `${opts.name}: the listener could not connect; retrying`);
      retry(c);
    }
  };

  const retry = (c: pg.Client) => {
    opts.onDown?.();
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
      clearTimeout(reconnect);
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}
