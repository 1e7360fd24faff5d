// When an endpoint that keeps failing is disabled: after WEBHOOK_MAX_CONSECUTIVE_FAILURES failed
// attempts in a row, once those failures have gone on for WEBHOOK_DISABLE_MIN_FAILING_HOURS
// (a short outage with many events queued fails many attempts quickly, and is not a reason).
import type { WebhooksConfig } from '../config';

export function shouldDisable(consecutiveFailures: number, failingSince: Date, now: Date, config: Pick<WebhooksConfig, 'maxConsecutiveFailures' | 'minFailingHours'>): boolean {
  return consecutiveFailures >= config.maxConsecutiveFailures && now.getTime() - failingSince.getTime() >= config.minFailingHours * 3_600_000;
}

/** The reason shown on the endpoint. */
export function failuresReason(failures: number, since: Date, last: string): string {
  return `Disabled after ${failures} failed attempts in a row since ${since.toISOString()} (last: ${last.slice(0, 300)}); fix the receiver, then enableWebhookEndpoint: the events missed meanwhile follow`;
}
