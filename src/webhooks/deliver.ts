// One attempt of one delivery (a graphile-worker job). Before sending, the partner's CURRENT
// policy is applied again: nothing goes out while the partner has no access (exited, no
// agreement in force); a payload rendered under another grant or suspension, or an UPSERT of
// a row the partner may no longer see, is SKIPPED (the feed restates it: resync events, or a
// DELETE). Then one signed POST, no database connection held while it waits, and the outcome
// recorded with the endpoint's failure count, and in the access ledger as what the partner
// received, in one transaction. A failure throws, and
// graphile-worker retries with its exponential backoff, until the last attempt (FAILED).
import crypto from 'node:crypto';
import type pg from 'pg';
import { AuthFailure, principalForPartner } from '../auth/authenticate';
import { feedMetaByName, typeVisible } from '../changes/feed-types';
import { viewOf } from '../changes/views';
import { specOf } from '../db/loaders';
import { rowsByIds } from '../db/list-query';
import { Executor } from '../db/executor';
import { sql } from '../db/sql';
import type { Services } from '../server/context';
import type { Logger } from '../server/logger';
import { inTransaction, partnerContext } from './context';
import { fieldsByTier } from './payload';
import { failuresReason, shouldDisable } from './disable';
import { openSecret } from './secret-box';
import { postWebhook, type AttemptResult } from './send';
import { webhookHeaders } from './signature';
import { WebhookDeliveryStatus, WebhookDisabledBy, WebhookEndpointStatus } from './webhook.enums';

interface DeliveryRow {
  id: number;
  endpoint_id: number;
  partner_id: number;
  message_id: string;
  event_type: string;
  event_op: 'UPSERT' | 'DELETE';
  row_id: number | null;
  view: string;
  payload: unknown;
  status: WebhookDeliveryStatus;
  url: string;
  secret: string;
  endpoint_status: WebhookEndpointStatus;
}

export interface JobAttempt {
  /** graphile-worker's attempt number of this job (1 on the first run). */
  attempt: number;
  maxAttempts: number;
  signal?: AbortSignal;
}

/** Thrown to have graphile-worker retry the job later. */
export class RetryLater extends Error {}

/** graphile-worker's delay before the next run after `attempt` failed runs. */
export function backoffSeconds(attempt: number): number {
  return Math.exp(Math.min(attempt, 10));
}

/** Why a delivery must not go out under the partner's policy now (undefined: it may). */
async function refusal(pool: pg.Pool, services: Services, d: DeliveryRow): Promise<{ skip: string } | { wait: string } | undefined> {
  let principal;
  try {
    principal = await principalForPartner(pool, d.partner_id);
  } catch (err) {
    if (err instanceof AuthFailure) return { wait: `not sent: ${err.code} (${err.message})` };
    throw err;
  }
  if (viewOf(principal) !== d.view) {
    return { skip: 'not sent: your data access changed since the event (agreement or suspension); the rows are restated under the new terms by later events' };
  }
  if (d.event_op === 'UPSERT') {
    const meta = feedMetaByName(d.event_type);
    const ctx = partnerContext(principal, pool, services, `webhook-delivery:${d.id}`);
    const visible = meta && typeVisible(meta, principal) && d.row_id !== null && (await rowsByIds(specOf(meta.cls, ctx), [d.row_id], ctx)).size > 0;
    if (!visible) return { skip: 'not sent: the row is no longer yours to see (a DELETE event follows)' };
  }
  return undefined;
}

export async function deliverOnce(pool: pg.Pool, services: Services, log: Logger, deliveryId: number, job: JobAttempt): Promise<WebhookDeliveryStatus | 'PARKED' | 'GONE'> {
  const cfg = services.config.webhooks;
  const found = await pool.query<DeliveryRow>(
    `select d.id, d.endpoint_id, d.partner_id, d.message_id, d.event_type, d.event_op, d.row_id, d.view, d.payload, d.status,
            e.url, e.secret, e.status as endpoint_status
       from webhook_delivery d join webhook_endpoint e on e.id = d.endpoint_id where d.id = $1`,
    [deliveryId],
  );
  const d = found.rows[0];
  // Deleted with its endpoint, or settled already (a job enqueued twice).
  if (!d) return 'GONE';
  if (d.status !== WebhookDeliveryStatus.PENDING) return d.status;
  // A disabled endpoint keeps its deliveries PENDING without a job: enabling it enqueues them.
  if (d.endpoint_status !== WebhookEndpointStatus.ACTIVE) {
    await pool.query(`update webhook_delivery set next_attempt_at = null where id = $1 and status = 'PENDING'`, [d.id]);
    return 'PARKED';
  }
  const final = job.attempt >= job.maxAttempts;
  const next = final ? null : new Date(Date.now() + backoffSeconds(job.attempt) * 1000);

  const refused = await refusal(pool, services, d);
  if (refused && 'skip' in refused) {
    await pool.query(`update webhook_delivery set status = 'SKIPPED', last_error = $2, next_attempt_at = null where id = $1 and status = 'PENDING'`, [d.id, refused.skip]);
    return WebhookDeliveryStatus.SKIPPED;
  }
  if (refused) {
    // Not the receiver's fault: no attempt is counted against the endpoint.
    const status = final ? WebhookDeliveryStatus.FAILED : WebhookDeliveryStatus.PENDING;
    await pool.query(`update webhook_delivery set status = $2, last_error = $3, next_attempt_at = $4 where id = $1 and status = 'PENDING'`, [d.id, status, refused.wait, next]);
    if (final) return status;
    throw new RetryLater(refused.wait);
  }

  const body = JSON.stringify(d.payload);
  const headers = webhookHeaders(openSecret(d.secret, services.secretKey), d.message_id, body);
  const started = performance.now();
  const result = await postWebhook(d.url, headers, body, { timeoutMs: cfg.timeoutMs, policy: cfg, signal: job.signal });
  if (!result.ok && job.signal?.aborted) throw new RetryLater('shutting down');
  const outcome = await record(pool, log, cfg, d, result, final, next, Math.round(performance.now() - started));
  if (outcome === WebhookDeliveryStatus.PENDING) throw new RetryLater(result.error ?? 'failed');
  return outcome;
}

/** The attempt's outcome on the delivery, and on its endpoint's run of failures, together. */
async function record(
  pool: pg.Pool,
  log: Logger,
  cfg: Services['config']['webhooks'],
  d: DeliveryRow,
  r: AttemptResult,
  final: boolean,
  next: Date | null,
  durationMs: number,
): Promise<WebhookDeliveryStatus | 'PARKED'> {
  return inTransaction(pool, async (client) => {
    const exec = new Executor(client);
    const [ep] = await exec.rows<{ consecutive_failures: number; failing_since: Date | null; status: WebhookEndpointStatus }>(
      sql`select consecutive_failures, failing_since, status from webhook_endpoint where id = ${d.endpoint_id} for update`,
    );
    const code = r.status ?? null;
    // What left for the partner, in the access ledger like any answer it receives (unless the
    // URL policy stopped the request before it was made).
    if (!r.forbidden) {
      const used = fieldsByTier(d.payload);
      await exec.rows(sql`insert into access_ledger (at, request_id, role, key_id, partner_id, operation_name, operation_hash, public_fields,
          anonymized_fields, sensitive_fields, filter_fields, row_count, duration_ms, error_codes)
        values (now(), ${`webhook:${d.message_id}`}, 'PARTNER', null, ${d.partner_id}, ${`webhook ${(d.payload as { type?: string }).type ?? d.event_type}`},
          ${crypto.createHash('sha256').update(`webhook:${d.event_type}`).digest('hex')}, ${used.PUBLIC}::text[], ${used.ANONYMIZED}::text[],
          ${used.SENSITIVE}::text[], '{}', ${d.event_op === 'UPSERT' ? 1 : 0}, ${durationMs}, ${r.ok ? [] : [code ? `HTTP_${code}` : 'NO_ANSWER']}::text[])`);
    }
    if (r.ok) {
      await exec.rows(sql`update webhook_delivery set status = 'SUCCEEDED', attempts = attempts + 1, last_status_code = ${code}, last_error = null,
          last_attempt_at = now(), delivered_at = now(), next_attempt_at = null where id = ${d.id}`);
      await exec.rows(sql`update webhook_endpoint set consecutive_failures = 0, failing_since = null where id = ${d.endpoint_id} and (consecutive_failures <> 0 or failing_since is not null)`);
      return WebhookDeliveryStatus.SUCCEEDED;
    }
    const error = (r.error ?? 'failed').slice(0, 1_000);
    const now = new Date();
    const failures = (ep?.consecutive_failures ?? 0) + 1;
    const since = ep?.failing_since ?? now;
    // 410 Gone: the receiver asks for no more (Standard Webhooks): disabled at once.
    const gone = code === 410;
    const disable = ep?.status === WebhookEndpointStatus.ACTIVE && (gone || shouldDisable(failures, since, now, cfg));
    const status = gone || final ? WebhookDeliveryStatus.FAILED : WebhookDeliveryStatus.PENDING;
    await exec.rows(sql`update webhook_delivery set status = ${status}, attempts = attempts + 1, last_status_code = ${code}, last_error = ${error},
        last_attempt_at = now(), next_attempt_at = ${status === WebhookDeliveryStatus.PENDING && !disable ? next : null} where id = ${d.id}`);
    await exec.rows(sql`update webhook_endpoint set consecutive_failures = ${failures}, failing_since = ${since} where id = ${d.endpoint_id}`);
    if (disable) {
      const reason = gone ? 'Disabled: the endpoint answered 410 Gone (it asks for no more webhooks); enableWebhookEndpoint to resume' : failuresReason(failures, since, error);
      await exec.rows(sql`update webhook_endpoint set status = 'DISABLED', disabled_at = now(), disabled_by = ${WebhookDisabledBy.SYSTEM}, disabled_reason = ${reason} where id = ${d.endpoint_id}`);
      // The alert: a stable message and fields to match on (metrics alerts are computed rules, not events).
      log.warn({ alert: 'webhook_endpoint_disabled', endpointId: d.endpoint_id, partnerId: d.partner_id, cause: gone ? 'GONE' : 'CONSECUTIVE_FAILURES', failures }, 'webhook endpoint disabled');
      // This delivery waits, PENDING, for the endpoint to be enabled again.
      if (status === WebhookDeliveryStatus.PENDING) return 'PARKED';
    }
    return status;
  });
}
