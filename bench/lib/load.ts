// Load with autocannon (from bench/peers, loaded at run time): fixed connections, a warm-up,
// then timed rounds. Latencies are recorded exactly (every 2xx response time, in ms) so the
// percentiles are not rounded to whole milliseconds.
import { createRequire } from 'node:module';
import * as path from 'node:path';

export interface LoadSpec {
  url: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  seconds: number;
  timeoutSeconds: number;
  verify: (body: string) => boolean;
}

export interface RoundResult {
  seconds: number;
  /** Completed 2xx responses that passed the check, per second. */
  rps: number;
  responses: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  mismatches: number;
}

export interface Round extends RoundResult {
  /** Every 2xx response time of the round in ms, sorted (kept out of the JSON). */
  latencies: number[];
}

type Autocannon = (opts: Record<string, unknown>) => any;

let autocannon: Autocannon | undefined;

export function loadAutocannon(peersDir: string): { version: string } {
  const peerRequire = createRequire(path.join(peersDir, 'package.json'));
  autocannon = peerRequire('autocannon') as Autocannon;
  return { version: (peerRequire('autocannon/package.json') as { version: string }).version };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function drive(spec: LoadSpec): Promise<Round> {
  if (!autocannon) throw new Error('autocannon not loaded');
  const latencies: number[] = [];
  let passed = 0;
  const verifyBody = (body: string) => {
    const ok = spec.verify(body);
    if (ok) passed++;
    return ok;
  };
  return new Promise((resolve, reject) => {
    const instance = autocannon!({
      url: spec.url,
      method: 'POST',
      headers: spec.headers,
      body: spec.body,
      connections: spec.connections,
      pipelining: 1,
      duration: spec.seconds,
      timeout: spec.timeoutSeconds,
      verifyBody,
    });
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
    instance.then(
      (r: any) => {
        latencies.sort((a, b) => a - b);
        const good = Math.min(passed, latencies.length);
        resolve({
          seconds: r.duration,
          rps: good / spec.seconds,
          responses: latencies.length,
          p50: percentile(latencies, 50),
          p90: percentile(latencies, 90),
          p99: percentile(latencies, 99),
          max: latencies.length ? latencies[latencies.length - 1]! : NaN,
          errors: r.errors,
          timeouts: r.timeouts,
          non2xx: r.non2xx,
          mismatches: r.mismatches,
          latencies,
        });
      },
      (err: unknown) => reject(err),
    );
  });
}
