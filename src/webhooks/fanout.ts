// From the change feed to deliveries. For each ACTIVE endpoint, in one short transaction per
// page: lock the endpoint, read the feed as its partner (the partner's policy now, from the
// endpoint's cursor, its event types only), insert one delivery per event with its payload,
// enqueue a delivery job per delivery, and move the cursor, all committed together. A crash
// before the commit loses nothing (the cursor did not move); after it, every delivery has its
// job. An endpoint whose partner has no access now (exited, no agreement in force) is left as
// it is until it has.
import { GraphQLError } from 'graphql';
import type pg from 'pg';
import { AuthFailure, principalForPartner } from '../auth/authenticate';
import { readFeed } from '../changes/feed.service';
import { viewOf } from '../changes/views';
import { Executor } from '../db/executor';
import { sql } from '../db/sql';
import type { Services } from '../server/context';
import type { Logger } from '../server/logger';
import { inTransaction, partnerContext } from './context';
import { buildPayload } from './payload';
import { enqueueDeliveries } from './queue';
import { newMessageId } from './signature';
import { WebhookDisabledBy, WebhookEndpointStatus } from './webhook.enums';

/** Pages one fanout job reads per endpoint before it lets other jobs run (it then comes back). */
const MAX_PAGES = 10;

interface EndpointRow {
  id: number;
  partner_id: number;
  cursor: string;
  event_types: string[] | null;
  status: WebhookEndpointStatus;
}

async function fanoutPage(pool: pg.Pool, services: Services, log: Logger, endpointId: number): Promise<{ more: boolean; inserted: number }> {
  return inTransaction(pool, async (client) => {
    const exec = new Executor(client);
    const [ep] = await exec.rows<EndpointRow>(sql`select id, partner_id, cursor, event_types, status from webhook_endpoint where id = ${endpointId} for update`);
    const none = { more: false, inserted: 0 };
    if (!ep || ep.status !== WebhookEndpointStatus.ACTIVE) return none;
    let principal;
    try {
      principal = await principalForPartner(exec, ep.partner_id);
    } catch (err) {
      if (!(err instanceof AuthFailure)) throw err;
      log.debug({ endpointId, partnerId: ep.partner_id, code: err.code }, 'webhook endpoint paused: its partner has no access now');
      return none;
    }
    const ctx = partnerContext(principal, exec, services, `webhook:${endpointId}`);
    let page;
    try {
      page = await readFeed(ctx, { after: ep.cursor, first: Math.min(100, services.config.pagination.maxPageSize), types: ep.event_types });
    } catch (err) {
      if (!(err instanceof GraphQLError) || err.extensions.code !== 'CURSOR_EXPIRED') throw err;
      const reason = `Events were not delivered for longer than the change feed keeps them (CHANGE_RETENTION_HOURS=${services.config.changes.retentionHours}): take a snapshot, then enable the endpoint again`;
      await exec.rows(sql`update webhook_endpoint set status = 'DISABLED', disabled_at = now(), disabled_by = ${WebhookDisabledBy.SYSTEM}, disabled_reason = ${reason} where id = ${endpointId}`);
      log.warn({ alert: 'webhook_endpoint_disabled', endpointId, partnerId: ep.partner_id, cause: 'CURSOR_EXPIRED' }, 'webhook endpoint disabled');
      return none;
    }
    let inserted = 0;
    if (page.events.length > 0) {
      const at = new Date();
      const view = viewOf(principal);
      const rows = page.events.map((e) => ({
        messageId: newMessageId(),
        type: e.type,
        op: e.op,
        id: e.id,
        // The real id of an UPSERT's row, to check at each attempt that it is still visible.
        rowId: e.node ? Number(e.node.$id ?? e.node.id) : null,
        cursor: e.cursor,
        payload: JSON.stringify(buildPayload(e, principal, at)),
      }));
      const ids = await exec.rows<{ id: number }>(sql`insert into webhook_delivery
          (endpoint_id, partner_id, message_id, event_type, event_op, event_id, row_id, feed_cursor, view, payload, status, attempts, next_attempt_at, created_at)
        select ${endpointId}::int, ${ep.partner_id}::int, x.m, x.t, x.o, x.i, x.r, x.c, ${view}::text, x.p, 'PENDING', 0, ${at}::timestamptz, ${at}::timestamptz
          from unnest(${rows.map((r) => r.messageId)}::text[], ${rows.map((r) => r.type)}::text[], ${rows.map((r) => r.op)}::text[],
                      ${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.rowId)}::int[], ${rows.map((r) => r.cursor)}::text[],
                      ${rows.map((r) => r.payload)}::jsonb[]) with ordinality as x(m, t, o, i, r, c, p, n)
         order by x.n
        returning id`);
      await enqueueDeliveries(exec, ids.map((d) => ({ id: Number(d.id), endpointId })), services.config.webhooks.maxAttempts);
      inserted = ids.length;
    }
    if (page.endCursor !== ep.cursor) await exec.rows(sql`update webhook_endpoint set cursor = ${page.endCursor} where id = ${endpointId}`);
    return { more: page.hasNextPage, inserted };
  });
}

/**
 * Every ACTIVE endpoint brought up to date, a bounded amount each. `more`: some endpoint has
 * more to read, or changes have committed that the feed cannot hand out yet (an older
 * transaction is still running): the caller schedules another fanout soon.
 */
export async function fanout(pool: pg.Pool, services: Services, log: Logger): Promise<{ more: boolean; deliveries: number }> {
  const endpoints = await pool.query<{ id: number }>(`select id from webhook_endpoint where status = 'ACTIVE' order by id`);
  if (endpoints.rowCount === 0) return { more: false, deliveries: 0 };
  let more = false;
  let deliveries = 0;
  for (const { id } of endpoints.rows) {
    for (let pages = 1; ; pages++) {
      const page = await fanoutPage(pool, services, log, id);
      deliveries += page.inserted;
      if (!page.more) break;
      if (pages >= MAX_PAGES) {
        more = true;
        break;
      }
    }
  }
  const pending = await pool.query<{ pending: boolean }>(`select exists (select 1 from change_log where txid >= pg_snapshot_xmin(pg_current_snapshot())) as pending`);
  return { more: more || pending.rows[0]!.pending, deliveries };
}
