// One HTTP attempt: POST the body with its headers to the endpoint, connecting only to
// addresses the URL policy allows (checked on this very connection), no redirects followed
// (a 3xx is a failure, as Standard Webhooks advises), and an answer within the timeout.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { addressRefusal, bareHost, parseEndpointUrl, pinnedLookup, TargetForbidden, type TargetPolicy } from './url-policy';

export interface AttemptResult {
  ok: boolean;
  /** The HTTP status, when an answer came. */
  status?: number;
  /** Why it failed, for the delivery log (an HTTP status with the start of the answer, or the network error). */
  error?: string;
  /** The target was refused by the URL policy (no request was sent). */
  forbidden?: boolean;
}

const SNIPPET_BYTES = 500;

export function postWebhook(rawUrl: string, headers: Record<string, string>, body: string, opts: { timeoutMs: number; policy: TargetPolicy; signal?: AbortSignal }): Promise<AttemptResult> {
  let url: URL;
  try {
    url = parseEndpointUrl(rawUrl, opts.policy);
    const host = bareHost(url);
    const why = net.isIP(host) ? addressRefusal(host, opts.policy) : undefined;
    if (why) throw new TargetForbidden(`${host} is ${why}: webhooks go to public addresses only`);
  } catch (err) {
    return Promise.resolve({ ok: false, forbidden: err instanceof TargetForbidden, error: `${(err as { code?: string }).code ?? 'INVALID_URL'}: ${(err as Error).message}` });
  }
  return new Promise((resolve) => {
    let settled = false;
    const finish = (r: AttemptResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const request = url.protocol === 'https:' ? https.request : http.request;
    const req = request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Ecograph-Webhooks/1.0' },
        lookup: pinnedLookup(opts.policy),
        agent: false,
        signal: opts.signal,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => {
          const snippet = Buffer.concat(chunks).subarray(0, SNIPPET_BYTES).toString('utf8').replace(/\s+/g, ' ').trim();
          const ok = status >= 200 && status < 300;
          finish({ ok, status, error: ok ? undefined : `HTTP ${status}${snippet ? `: ${snippet}` : ''}` });
          res.destroy();
        };
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= SNIPPET_BYTES) chunks.push(c);
          else {
            chunks.push(c);
            done();
          }
        });
        res.on('end', done);
        res.on('error', done);
        res.on('close', done);
      },
    );
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    req.on('error', (err: Error & { code?: string }) => {
      const forbidden = err instanceof TargetForbidden;
      finish({ ok: false, forbidden, error: forbidden ? `${err.code}: ${err.message}` : err.message || String(err.code) });
    });
    req.end(body);
  });
}
