// `npm run soak`: a bounded loopback soak at a fixed request rate against a production-mode
// Ecograph on its own embedded database, reporting errors and RSS over time. A benchmark, not
// a test: it prints figures and writes bench/results/<time>-soak.json.
//
//   npm run soak                      # 3 minutes at 40 requests/s
//   npm run soak -- --minutes 10 --rate 80
//   npm run soak -- --crash [--seconds 120]   # kills the server and PostgreSQL under load (bench/lib/crash-soak.ts)
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { crashSoak } from './lib/crash-soak';

const root = path.resolve(__dirname, '..', '..');
const flag = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : def;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
};
const minutes = flag('minutes', 3);
const rate = flag('rate', 40);
const port = flag('port', 4799);
const adminKey = 'soak-admin-key-0123456789abcdef';
const env: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: 'production',
  PORT: String(port),
  HOST: '127.0.0.1',
  ECOGRAPH_DATA_DIR: path.join(root, '.data', 'soak'),
  EMBEDDED_PG_PORT: String(flag('pg-port', 54349)),
  ECOGRAPH_ADMIN_KEY: adminKey,
  LOG_LEVEL: 'warn',
  // The soak measures the server, not the quotas (those answer 429 by design: test/ops/quotas).
  QUOTA_PARTNER_PER_MINUTE: 'unlimited',
  QUOTA_PARTNER_PER_DAY: 'unlimited',
  QUOTA_DASHBOARD_PER_MINUTE: 'unlimited',
};
delete env.DATABASE_URL;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const url = `http://127.0.0.1:${port}`;

function rssMb(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const server = spawn(process.execPath, [path.join(root, 'dist', 'src', 'main.js')], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
  const stop = () => server.kill('SIGTERM');
  process.on('SIGINT', () => {
    stop();
    process.exit(130);
  });
  try {
    for (let i = 0; ; i++) {
      if (i > 240) throw new Error('the server did not become ready in 2 minutes');
      const ok = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
      if (ok) break;
      await sleep(500);
    }
    const cli = (...args: string[]) => execFileSync(process.execPath, [path.join(root, 'dist', 'src', 'cli', 'main.js'), ...args], { cwd: root, env, encoding: 'utf8' });
    const slug = 'dianping';
    const partnerKey = cli('keys', 'create', '--role', 'partner', '--partner', slug, '--label', 'soak').trim().split('\n').at(-1)!;
    const dashboardKey = cli('keys', 'create', '--role', 'dashboard', '--label', 'soak').trim().split('\n').at(-1)!;
    const mix = [
      { key: partnerKey, query: '{ customers(first: 20) { nodes { id ageBand orders(first: 3) { nodes { amount createdAt } } } } }' },
      { key: partnerKey, query: '{ serviceOrders(first: 50) { pageInfo { endCursor } nodes { id amount status } } }' },
      { key: dashboardKey, query: '{ ecosystemMetrics(from: "2024-11-01", to: "2026-11-01", groupBy: CATEGORY) { series { key points { gmv } } } }' },
      { key: adminKey, query: '{ partners(first: 20) { totalCount nodes { slug qualityTier } } }' },
    ];
    // The partner's agreement may grant PUBLIC only: then its pull cannot name customers.
    const probe = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${partnerKey}` },
      body: JSON.stringify({ query: mix[0].query }),
    }).then((r) => r.json() as Promise<{ errors?: unknown[] }>);
    if (probe.errors) mix[0] = mix[1];
    const windows: { minute: number; sent: number; ok: number; statuses: Record<string, number>; p50: number; p99: number; rssMb?: number }[] = [];
    const end = Date.now() + minutes * 60_000;
    let n = 0;
    let inFlight = 0;
    let current = { sent: 0, ok: 0, statuses: {} as Record<string, number>, latencies: [] as number[] };
    const flush = () => {
      const l = current.latencies.sort((a, b) => a - b);
      const pct = (p: number) => (l.length ? Math.round(l[Math.min(l.length - 1, Math.floor(l.length * p))] * 10) / 10 : 0);
      windows.push({ minute: windows.length + 1, sent: current.sent, ok: current.ok, statuses: current.statuses, p50: pct(0.5), p99: pct(0.99), rssMb: rssMb(server.pid!) });
      const w = windows[windows.length - 1];
      console.log(`minute ${w.minute}: ${w.sent} sent, ${w.ok} ok, statuses ${JSON.stringify(w.statuses)}, p50 ${w.p50} ms, p99 ${w.p99} ms, RSS ${w.rssMb} MB`);
      current = { sent: 0, ok: 0, statuses: {}, latencies: [] };
    };
    const minuteTimer = setInterval(flush, 60_000);
    const interval = 1000 / rate;
    const started = Date.now();
    while (Date.now() < end) {
      // Open loop: requests leave on schedule whether or not earlier ones have answered.
      const due = started + n * interval;
      if (due > Date.now()) await sleep(due - Date.now());
      const { key, query } = mix[n % mix.length];
      n++;
      current.sent++;
      inFlight++;
      const t = performance.now();
      const w = current;
      void fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query }),
        signal: AbortSignal.timeout(10_000),
      })
        .then(async (r) => {
          const body = (await r.json()) as { errors?: unknown[] };
          const status = body.errors ? `${r.status}+errors` : String(r.status);
          w.statuses[status] = (w.statuses[status] ?? 0) + 1;
          if (r.status === 200 && !body.errors) w.ok++;
        })
        .catch((e: Error) => {
          w.statuses[e.name] = (w.statuses[e.name] ?? 0) + 1;
        })
        .finally(() => {
          inFlight--;
          w.latencies.push(performance.now() - t);
        });
    }
    clearInterval(minuteTimer);
    while (inFlight > 0) await sleep(50);
    if (current.sent > 0) flush();
    const rss = windows.map((w) => w.rssMb ?? 0);
    const summary = {
      minutes,
      rate,
      requests: windows.reduce((a, w) => a + w.sent, 0),
      failures: windows.reduce((a, w) => a + (w.sent - w.ok), 0),
      rssFirstMb: rss[0],
      rssLastMb: rss[rss.length - 1],
      rssMaxMb: Math.max(...rss),
      rssDriftMb: rss[rss.length - 1] - rss[0],
      windows,
    };
    console.log(`\nsoak: ${summary.requests} requests at ${rate}/s over ${minutes} min, ${summary.failures} failures; RSS ${summary.rssFirstMb} -> ${summary.rssLastMb} MB (max ${summary.rssMaxMb}, drift ${summary.rssDriftMb} MB)`);
    const out = path.join(root, 'bench', 'results', `${new Date().toISOString().replace(/[:.]/g, '').slice(0, 15)}Z-soak.json`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify(summary, null, 2)}\n`);
    console.log(`wrote ${path.relative(root, out)}`);
    if (summary.failures > 0) process.exitCode = 1;
  } finally {
    stop();
  }
}

if (process.argv.includes('--crash')) {
  // The crash soak (kills and restarts under load): bench/lib/crash-soak.ts.
  crashSoak(root, process.argv).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`crash soak failed: ${(err as Error).message}`);
      process.exit(1);
    },
  );
} else {
  main().catch((err: unknown) => {
    console.error(`soak failed: ${(err as Error).message}`);
    process.exit(1);
  });
}
