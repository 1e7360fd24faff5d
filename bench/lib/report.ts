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
  rounds?: RoundResult[];
  failures?: number;
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
  /** Servers that stopped answering during the run and were started again. */
  restarts: string[];
  targets: TargetCheck[];
}

const TARGET_LABELS: Record<TargetId, string> = {
  'ecograph-admin': 'Ecograph (admin key)',
  'ecograph-partner': 'Ecograph (partner key, ANONYMIZED)',
  'ecograph-dashboard': 'Ecograph (dashboard key)',
  postgraphile: 'PostGraphile 5 (amber + pg-aggregates)',
  floor: 'floor (node:http + one SQL)',
};

/** 0.28×, 54.2×, 2,206× */
export function ratioText(v: number): string {
  return `${v.toLocaleString('en', { maximumSignificantDigits: v >= 100 ? 4 : 3 })}×`;
}

const n = (v: number | undefined, digits = 1) => (v === undefined || Number.isNaN(v) ? 'n/a' : v.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: 0 }));

export function renderMarkdown(r: BenchResult): string {
  const out: string[] = [];
  const o = r.options as { connections: number; warmupSeconds: number; rounds: number; roundSeconds: number; probeRequests: number };
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
    `- Load: ${o.connections} connections, ${o.warmupSeconds} s warm-up, ${o.rounds} × ${o.roundSeconds} s on 127.0.0.1. req/s = median of the rounds (checked 2xx answers only); ` +
      `p50/p99 over every response of the rounds; peak RSS = highest VmRSS of the server process, sampled every 200 ms during warm-up and rounds. ` +
      `SQL/request: the server's \`x-sql-statements\` header, and pg_stat_statements over ${o.probeRequests} sequential requests (all statements, including key lookup, BEGIN/COMMIT and batched writes / without transaction control).`,
  );
  out.push('');
  for (const [scenario, rows] of Object.entries(r.scenarios)) {
    out.push(`#### ${SCENARIO_TITLES[scenario as ScenarioId]}`);
    out.push('');
    out.push('| server | req/s | p50 ms | p99 ms | one answer alone, ms | peak RSS MB | SQL/request (header) | SQL/request (pg_stat_statements) | valid |');
    out.push('|---|---:|---:|---:|---:|---:|---:|---:|---|');
    for (const row of rows) {
      const pgss = row.pgStatements === undefined ? 'n/a' : `${n(row.pgStatements, 2)} / ${n(row.pgQueries, 2)}`;
      const header = row.headerStatements ?? (row.server === 'floor' ? '—' : 'n/a');
      out.push(
        `| ${TARGET_LABELS[row.target]} | ${n(row.rps, row.rps !== undefined && row.rps < 10 ? 3 : 1)} | ${n(row.p50, 2)} | ${n(row.p99, 2)} | ${n(row.singleMs, 1)} | ${n(row.rssPeakMB, 0)} | ${header} | ${pgss} | ${row.valid ? 'yes' : '**no**'} |`,
      );
    }
    const eco = rows.find((x) => x.server === 'ecograph' && x.target !== 'ecograph-partner');
    const ratios: string[] = [];
    for (const other of rows.filter((x) => x.server !== 'ecograph')) {
      if (eco?.rps && other.rps) ratios.push(`Ecograph / ${other.server}: ${ratioText(eco.rps / other.rps)} req/s`);
    }
    const anon = rows.find((x) => x.target === 'ecograph-partner');
    if (anon?.rps && eco?.rps) ratios.push(`partner / admin: ${ratioText(anon.rps / eco.rps)}`);
    if (ratios.length) out.push('', `Ratios: ${ratios.join('; ')}.`);
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
