// Results: the JSON shape, the Markdown tables, and their place in docs/performance.md.
import * as fs from 'node:fs';
import type { RoundResult } from './load';
import { SCENARIO_TITLES, type ScenarioId, type TargetId } from './scenarios';

export interface Row {
  target: TargetId;
  server: string;
  valid: boolean;
  notes: string[];
  rps?: number;
  p50?: number;
  p99?: number;
  responses?: number;
  /** Median time of one answer alone (sequential probe), ms. */
  singleMs?: number;
  connections?: number;
  roundSeconds?: number;
  /** Dashboard (Ecograph): one connection, one round: latency without queueing. */
  oneConnection?: { rps: number; p50: number; p99: number; responses: number; failures: number };
  /** Dashboard (Ecograph): one round at each of a few lower concurrencies. */
  byConnections?: { connections: number; rps: number; p50: number; p99: number; responses: number; failures: number }[];
  rssIdleMB?: number;
  rssPeakMB?: number;
  /** The server's own count (x-sql-statements), mean over the probe requests. */
  headerStatements?: number;
  /** pg_stat_statements calls per request in the probe: everything, and without transaction control. */
  pgStatements?: number;
  pgQueries?: number;
  statementLog?: Array<{ calls: number; meanMs: number; query: string }>;
  rounds?: MeasuredRound[];
  failures?: number;
  /** pullwrites: dispatch cycles completed per second during its rounds (mean of the rounds). */
  writesPerSecond?: number;
}

/** One measured round of one server, with the machine's 1-minute load average around it. */
export interface MeasuredRound extends RoundResult {
  /** Which round (1-based): the servers of a scenario take their rounds in turn, A B C A B C … */
  round?: number;
  /** os.loadavg()[0] just before and just after the round. */
  load1Before?: number;
  load1After?: number;
  /** pullwrites: dispatch cycles completed per second during the round. */
  writesPerSecond?: number;
}

/** A ratio of two servers' req/s, read round by round (both measured in the same turn). */
export interface RatioStat {
  name: string;
  a: TargetId;
  b: TargetId;
  /** a.rps / b.rps of each round both took (round order). */
  perRound: number[];
  median: number;
  min: number;
  max: number;
  /** Quartiles of the per-round ratios (linear interpolation). */
  q1: number;
  q3: number;
}

export interface TargetCheck {
  name: string;
  goal: string;
  measured: string;
  reached: 'yes' | 'no' | 'n/a' | 'invalid';
  note?: string;
}

export interface BenchResult {
  startedAt: string;
  finishedAt: string;
  quick: boolean;
  options: Record<string, unknown>;
  machine: { cpu: string; cores: number; memoryGiB: number; kernel: string; loadAverage: { start: number; end: number } };
  versions: {
    node: string;
    nodePostgraphile: string;
    postgres: string;
    postgresSettings: Record<string, string>;
    ecographCommit: string;
    postgraphile: string;
    pgAggregates: string;
    autocannon: string;
  };
  dataset: { label: string; orders: number; counts: Record<string, number>; seededThisRun: boolean; seedSeconds: number; database: string };
  partner?: { slug: string; customers: number };
  pgStatStatements: boolean;
  scenarios: Record<string, Row[]>;
  pageSizes: Array<{ target: TargetId; first: number; statements: number | undefined }>;
  crossChecks: string[];
  /** Per scenario: the ratios between servers as medians of the per-round ratios. */
  ratios?: Record<string, RatioStat[]>;
  /** The rows the small requests ask for. */
  smallRequests?: { customerPseudonym: string; customerId: string; orderId: string; partnerSlug: string };
  /** Servers that stopped answering during the run and were started again. */
  restarts: string[];
  /** pullwrites: the write load over the whole scenario (warm-up and rounds). */
  writeLoad?: { rate: number; maxInFlight: number; seconds: number; completed: number; failed: number; skipped: number; unfinished: number; errors: string[] };
  targets: TargetCheck[];
}

const TARGET_LABELS: Record<TargetId, string> = {
  'ecograph-admin': 'Ecograph (admin key)',
  'ecograph-partner': 'Ecograph (partner key, ANONYMIZED)',
  'ecograph-dashboard': 'Ecograph (dashboard key)',
  postgraphile: 'PostGraphile 5 (amber + pg-aggregates)',
  floor: 'floor (node:http + one SQL)',
};

export const SHORT_LABELS: Record<TargetId, string> = {
  'ecograph-admin': 'Ecograph (admin)',
  'ecograph-partner': 'Ecograph (partner)',
  'ecograph-dashboard': 'Ecograph (dashboard)',
  postgraphile: 'PostGraphile',
  floor: 'floor',
};

const quantile = (sorted: number[], q: number): number => {
  if (!sorted.length) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
};

/** The ratio a / b of two rows' req/s: per round (same round number), then median and spread. */
export function ratioStat(a: Row | undefined, b: Row | undefined): RatioStat | undefined {
  if (!a?.rounds?.length || !b?.rounds?.length) return undefined;
  const perRound: number[] = [];
  a.rounds.forEach((ra, i) => {
    const rb = b.rounds!.find((x) => (x.round ?? 0) === (ra.round ?? 0) && x.round !== undefined) ?? b.rounds![i];
    if (rb && ra.rps > 0 && rb.rps > 0) perRound.push(ra.rps / rb.rps);
  });
  if (!perRound.length) return undefined;
  const sorted = [...perRound].sort((x, y) => x - y);
  return {
    name: `${SHORT_LABELS[a.target]} / ${SHORT_LABELS[b.target]}`,
    a: a.target,
    b: b.target,
    perRound: perRound.map((v) => Number(v.toPrecision(4))),
    median: Number(quantile(sorted, 0.5).toPrecision(4)),
    min: Number(sorted[0]!.toPrecision(4)),
    max: Number(sorted[sorted.length - 1]!.toPrecision(4)),
    q1: Number(quantile(sorted, 0.25).toPrecision(4)),
    q3: Number(quantile(sorted, 0.75).toPrecision(4)),
  };
}

/**
 * The ratios of one scenario: Ecograph (the admin or dashboard key; the partner key where it is
 * the only Ecograph row) against each other server, and the partner key against the admin key.
 */
export function scenarioRatios(rows: Row[]): RatioStat[] {
  const eco = rows.find((x) => x.server === 'ecograph' && x.target !== 'ecograph-partner') ?? rows.find((x) => x.server === 'ecograph');
  const out: RatioStat[] = [];
  for (const other of rows.filter((x) => x.server !== 'ecograph')) {
    const r = ratioStat(eco, other);
    if (r) out.push(r);
  }
  const anon = rows.find((x) => x.target === 'ecograph-partner');
  if (anon && eco && anon !== eco) {
    const r = ratioStat(anon, eco);
    if (r) out.push(r);
  }
  return out;
}

/** "1.44× (1.30–1.52)" */
export function ratioWithSpread(r: RatioStat): string {
  return r.perRound.length > 1 ? `${ratioText(r.median)} (${ratioText(r.min).replace('×', '')}–${ratioText(r.max)})` : ratioText(r.median);
}

/** 0.28×, 54.2×, 2,206× */
export function ratioText(v: number): string {
  return `${v.toLocaleString('en', { maximumSignificantDigits: v >= 100 ? 4 : 3 })}×`;
}

const n = (v: number | undefined, digits = 1) => (v === undefined || Number.isNaN(v) ? 'n/a' : v.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: 0 }));

export function renderMarkdown(r: BenchResult): string {
  const out: string[] = [];
  const o = r.options as { connections: number; warmupSeconds: number; rounds: number; roundSeconds: number; probeRequests: number; interleaved?: boolean };
  const counts = r.dataset.counts;
  out.push(`### ${r.dataset.orders.toLocaleString('en')} orders${r.quick ? ' (quick run: smoke figures only)' : ''} — ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC`);
  out.push('');
  out.push(`- Machine: ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB; ${r.machine.kernel}. The load generator, the server under test and PostgreSQL share these cores; 1-minute load average ${r.machine.loadAverage.start} before the servers started, ${r.machine.loadAverage.end} at the end (anything above ~0.5 before the start is other work on the machine).`);
  out.push(
    `- Versions: Ecograph ${r.versions.ecographCommit} on Node ${r.versions.node}; PostGraphile ${r.versions.postgraphile} + @graphile/pg-aggregates ${r.versions.pgAggregates} on Node ${r.versions.nodePostgraphile}; ` +
      `PostgreSQL ${r.versions.postgres} (${r.dataset.database}; ${Object.entries(r.versions.postgresSettings).map(([k, v]) => `${k} ${v}`).join(', ')}); autocannon ${r.versions.autocannon}.`,
  );
  out.push(
    `- Data: ${Object.entries(counts).map(([t, c]) => `${c.toLocaleString('en')} ${t}`).join(', ')}${r.partner ? `; partner key for \`${r.partner.slug}\` (${r.partner.customers.toLocaleString('en')} consenting customers served)` : ''}.`,
  );
  out.push(
    `- Load: ${o.connections} connections, ${o.warmupSeconds} s warm-up, ${o.rounds} × ${o.roundSeconds} s on 127.0.0.1${o.interleaved ? ', the servers of a scenario taking their rounds in turn (A B C A B C …)' : ', one server\'s rounds after another\'s'}. req/s = median of the rounds (checked 2xx answers only); ratios = median of the per-round ratios; ` +
      `p50/p99 over every response of the rounds; peak RSS = highest VmRSS of the server process, sampled every 200 ms during warm-up and rounds. ` +
      `SQL/request: the server's \`x-sql-statements\` header, and pg_stat_statements over ${o.probeRequests} sequential requests (all statements, including key lookup, BEGIN/COMMIT and batched writes / without transaction control).`,
  );
  out.push('');
  for (const [scenario, rows] of Object.entries(r.scenarios)) {
    out.push(`#### ${SCENARIO_TITLES[scenario as ScenarioId]}`);
    out.push('');
    out.push('| server | req/s | p50 ms | p99 ms | one answer alone, ms | peak RSS MB | SQL/request (header) | SQL/request (pg_stat_statements) | 1-min load during its rounds | valid |');
    out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
    for (const row of rows) {
      const pgss = row.pgStatements === undefined ? 'n/a' : `${n(row.pgStatements, 2)} / ${n(row.pgQueries, 2)}`;
      const header = row.headerStatements ?? (row.server === 'floor' ? '—' : 'n/a');
      const loads = (row.rounds ?? []).flatMap((x) => [x.load1Before, x.load1After]).filter((v): v is number => v !== undefined);
      const load = loads.length ? `${n(Math.min(...loads), 2)}–${n(Math.max(...loads), 2)}` : 'n/a';
      out.push(
        `| ${TARGET_LABELS[row.target]} | ${n(row.rps, row.rps !== undefined && row.rps < 10 ? 3 : 1)} | ${n(row.p50, 2)} | ${n(row.p99, 2)} | ${n(row.singleMs, 1)} | ${n(row.rssPeakMB, 0)} | ${header} | ${pgss} | ${load} | ${row.valid ? 'yes' : '**no**'} |`,
      );
    }
    const ratios = r.ratios?.[scenario] ?? scenarioRatios(rows);
    if (ratios.length) {
      const nRounds = Math.max(...ratios.map((x) => x.perRound.length));
      out.push('', `Ratios of req/s: median of the ${nRounds} per-round ratios (each round of one server against the same round of the other), min–max and interquartile range:`, '');
      out.push('| ratio | median | min–max | IQR | per round |', '|---|---:|---:|---:|---|');
      for (const x of ratios) {
        out.push(`| ${x.name} | ${ratioText(x.median)} | ${ratioText(x.min)}–${ratioText(x.max)} | ${ratioText(x.q1)}–${ratioText(x.q3)} | ${x.perRound.map((v) => ratioText(v)).join(', ')} |`);
      }
    }
    const measured = rows.filter((x) => x.rounds?.length);
    const roundNumbers = [...new Set(measured.flatMap((x) => x.rounds!.map((rr, i) => rr.round ?? i + 1)))].sort((a, b) => a - b);
    if (roundNumbers.length && measured.length) {
      const writes = measured.some((x) => x.rounds!.some((rr) => rr.writesPerSecond !== undefined));
      out.push('', `Rounds, in the order taken (req/s; 1-minute load average before the first and after the last server of the round${writes ? '; dispatch cycles completed per second during each server\'s round, in the columns\' order' : ''}):`, '');
      out.push(
        `| round | ${measured.map((x) => SHORT_LABELS[x.target]).join(' | ')} | load before → after |${writes ? ' dispatch cycles/s during the round |' : ''}`,
        `|---:|${measured.map(() => '---:|').join('')}---|${writes ? '---:|' : ''}`,
      );
      for (const k of roundNumbers) {
        const cells = measured.map((x) => x.rounds!.find((rr, i) => (rr.round ?? i + 1) === k));
        const present = cells.filter((c): c is MeasuredRound => c !== undefined);
        const before = present[0]?.load1Before;
        const after = present[present.length - 1]?.load1After;
        const w = writes ? ` ${cells.map((c) => n(c?.writesPerSecond, 1)).join(' / ')} |` : '';
        out.push(`| ${k} | ${cells.map((c) => (c ? n(c.rps, c.rps < 10 ? 3 : 1) : '—')).join(' | ')} | ${before === undefined ? 'n/a' : `${n(before, 2)} → ${n(after, 2)}`} |${w}`);
      }
    }
    const wl = scenario === 'pullwrites' ? r.writeLoad : undefined;
    if (wl) {
      out.push(
        '',
        `Write load (open loop, to Ecograph, from before the first warm-up to after the last round): ${wl.rate} dispatch cycles started per second ` +
          `(openServiceRequest, acceptServiceRequest, reportFulfilment COMPLETED) for ${n(wl.seconds, 0)} s: ${wl.completed.toLocaleString('en')} completed ` +
          `(${n(wl.completed / wl.seconds, 1)}/s), ${wl.failed} failed, ${wl.skipped} skipped (at most ${wl.maxInFlight} in flight)${wl.unfinished ? `, ${wl.unfinished} unfinished` : ''}.`,
      );
    }
    const notes = rows.flatMap((x) => x.notes.map((note) => `${x.target}: ${note}`));
    for (const x of rows) {
      // Where the database time of one request goes (probe, sequential requests): the statements
      // of each server with their mean execution time.
      const heavy = (x.statementLog ?? []).filter((st) => st.meanMs >= 0.05).sort((a, b) => b.calls * b.meanMs - a.calls * a.meanMs).slice(0, 3);
      if (heavy.length) {
        notes.push(
          `${x.target}: SQL per request (pg_stat_statements) ${heavy.map((st) => `${st.calls}× ${st.meanMs} ms \`${st.query.slice(0, 90).replace(/`/g, "'")}…\``).join('; ')}`,
        );
      }
    }
    if (notes.length) out.push('', ...notes.map((note) => `- ${note}`));
    out.push('');
  }
  if (r.pageSizes.length) {
    out.push(
      `Ecograph statements per partner pull by page size (\`x-sql-statements\`): ${r.pageSizes
        .map((p) => `${p.target.replace('ecograph-', '')} first: ${p.first} → ${p.statements ?? 'n/a'}`)
        .join('; ')}.`,
      '',
    );
  }
  if (r.targets.length) {
    out.push('#### Targets', '', '| target | measured | goal | reached |', '|---|---:|---|---|');
    for (const t of r.targets) out.push(`| ${t.name}${t.note ? ` (${t.note})` : ''} | ${t.measured} | ${t.goal} | ${t.reached === 'yes' ? 'yes' : `**${t.reached}**`} |`);
    out.push('');
  }
  if (r.restarts.length) out.push(`Restarts during the run: ${r.restarts.join('; ')}.`, '');
  if (r.crossChecks.length) {
    out.push(`Cross-checks (one answer of each server summarised): ${r.crossChecks.join('; ')}.`, '');
  }
  return out.join('\n');
}

const HEADER = `# Performance

Figures from \`npm run bench\` (code in \`bench/\`); the sections between the bench markers are
written by the harness, one per dataset size.

`;

/** Replaces (or appends) the section `key` of the docs file, keeping everything else. */
export function writeDocs(file: string, key: string, markdown: string): void {
  const start = `<!-- bench:${key}:start -->`;
  const end = `<!-- bench:${key}:end -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : HEADER;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i >= 0 && j > i) {
    text = text.slice(0, i) + block + text.slice(j + end.length);
  } else {
    const anchor = '<!-- bench:results-end -->';
    const k = text.indexOf(anchor);
    text = k >= 0 ? `${text.slice(0, k)}${block}\n\n${text.slice(k)}` : `${text.trimEnd()}\n\n${block}\n`;
  }
  fs.writeFileSync(file, text);
}
