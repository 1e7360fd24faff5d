// The crash soak's report: Markdown tables (pasted as they are into docs/operations.md) and the
// full figures as bench/results/<time>-crash-soak.json.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ChaosCounts } from './crash-chaos';
import type { Journal } from './crash-client';
import type { CrashOptions } from './crash-args';
import { passed, type Verification, type WriteCheck } from './crash-verify';

export interface CrashRun {
  startedAt: Date;
  options: CrashOptions;
  database: string;
  crashable: boolean;
  loadSeconds: number;
  totalSeconds: number;
  loadAverage: number[];
  cpus: number;
  counts: ChaosCounts;
  unexpectedServerExits: { at: Date; how: string; tail: string }[];
  failedServerStarts: number;
  journal: Journal;
  verification: Verification;
}

const n = (x: number) => x.toLocaleString('en');

function breakdown(m: Map<string, number>, filter: (k: string) => boolean = () => true): string {
  const parts = [...m].filter(([k]) => filter(k)).sort((a, b) => b[1] - a[1]);
  return parts.map(([k, v]) => `${k} ${n(v)}`).join(', ');
}

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : 0;
}

function writeRows(label: string, w: WriteCheck): string[][] {
  return [
    [`${label}: logical writes (one Idempotency-Key each)`, n(w.logical), ''],
    [`${label}: acknowledged`, `${n(w.acknowledged)} (${n(w.acknowledgedByReplay)} by a replayed answer, ${n(w.acknowledgedWhileSettling)} while settling)`, ''],
    [`${label}: acknowledged and found`, n(w.rowsFound), n(w.acknowledged)],
    [`${label}: acknowledged but missing`, n(w.missing.length), '0'],
    [`${label}: duplicated (two rows for one key)`, n(w.duplicated.length), '0'],
    [`${label}: row id other than the answer's`, n(w.idMismatch.length), '0'],
    [`${label}: rows without their mutation record / records without a row / records twice`, `${w.rowsWithoutRecord.length} / ${w.recordsWithoutRow.length} / ${w.recordsTwice.length}`, '0 / 0 / 0'],
    [`${label}: unfinished at the end (committed)`, `${n(w.unfinished)} (${n(w.unfinishedCommitted)})`, ''],
    ...(w.refused ? [[`${label}: refused with a 4xx (the soak's mistake)`, n(w.refused), '0']] : []),
  ];
}

export function renderReport(r: CrashRun): string {
  const c = r.counts;
  const j = r.journal;
  const v = r.verification;
  const outages = c.events.map((e) => e.outageMs);
  const faults = table(
    ['faults', 'count'],
    [
      ['server SIGKILLed (alone)', n(c.serverKills)],
      [r.crashable ? 'PostgreSQL crashed (immediate shutdown, alone)' : 'PostgreSQL crashed (DATABASE_URL: not ours, never)', n(c.databaseCrashes)],
      ['both at the same moment', n(c.both)],
      ['server restarts / PostgreSQL restarts', `${n(c.serverRestarts)} / ${n(c.databaseRestarts)}`],
      ['server exits nobody caused', n(r.unexpectedServerExits.length)],
      ['outage per fault, median / max (until /readyz 200)', outages.length ? `${(median(outages) / 1000).toFixed(1)} s / ${(Math.max(...outages) / 1000).toFixed(1)} s` : '-'],
    ],
  );
  const other = breakdown(j.statuses, (k) => !k.startsWith('200') && !k.startsWith('503'));
  const requests = table(
    ['requests', 'count'],
    [
      ['sent (every attempt)', n(j.sent)],
      ['answered 200 with data', `${n(j.answeredIds.length)} (reads ${n(j.answeredReads)}, writes ${n(j.answeredWrites)} of which replayed ${n(j.replays)})`],
      ['503', `${n(j.count('503'))}${j.count('503') ? ` (${breakdown(j.statuses, (k) => k.startsWith('503'))})` : ''}`],
      ['other statuses', other || '0'],
      ['connection errors (refused, reset, cut, timed out)', `${n(j.errorCount())}${j.errorCount() ? ` (${breakdown(j.errors)})` : ''}`],
    ],
  );
  const checks = table(
    ['check', 'found', 'expected'],
    [
      ['answers with data: ledger rows found', n(v.answeredWithRow), n(v.answered)],
      ['answers without their ledger row', n(v.unrecorded.length), '0'],
      ['answers recorded twice', n(v.recordedTwice.length), '0'],
      ["ledger rows of the soak's keys (also answers lost to a kill)", n(v.ledgerRowsOfKeys), `≥ ${n(v.answered)}`],
      ...writeRows('service points (partner)', v.writes.servicePoint),
      ...writeRows('complaints (operator)', v.writes.complaint),
    ],
  );
  const lines = [
    `Crash soak, ${r.startedAt.toISOString()}: ${r.options.seconds} s of load and faults (${r.totalSeconds.toFixed(0)} s in all), --seed ${r.options.seed}, ` +
      `${r.options.readers} readers + ${r.options.writers} writers, think ${r.options.thinkMs} ms, ${n(r.options.orders)} orders; ${r.database}; ` +
      `${r.cpus} CPUs, load average ${r.loadAverage.map((x) => x.toFixed(2)).join(' ')}`,
    '',
    faults,
    '',
    requests,
    '',
    checks,
    '',
    `verdict: ${passed(v) ? 'PASS: every acknowledged write present once, every answer recorded' : 'FAIL: see below'}`,
    ...(r.unexpectedServerExits.length
      ? [`finding: the server exited ${r.unexpectedServerExits.length} time(s) without being killed (a crash of its own; exit code 2 when nothing else failed)`]
      : []),
  ];
  for (const [what, list] of [
    ['unrecorded answers', v.unrecorded],
    ['answers recorded twice', v.recordedTwice],
    ['missing service points', v.writes.servicePoint.missing],
    ['duplicated service points', v.writes.servicePoint.duplicated],
    ['service point id mismatches', v.writes.servicePoint.idMismatch],
    ['missing complaints', v.writes.complaint.missing],
    ['duplicated complaints', v.writes.complaint.duplicated],
    ['complaint id mismatches', v.writes.complaint.idMismatch],
  ] as const) {
    if (list.length) lines.push(`${what} (${list.length}): ${list.slice(0, 20).join(', ')}${list.length > 20 ? ', …' : ''}`);
  }
  for (const e of r.unexpectedServerExits) lines.push(`server exit nobody caused at ${e.at.toISOString()} (${e.how}):\n${e.tail}`);
  return lines.join('\n');
}

export function writeResults(root: string, r: CrashRun): string {
  const file = path.join(root, 'bench', 'results', `${r.startedAt.toISOString().replace(/[-:]/g, '').slice(0, 15)}Z-crash-soak.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const { journal: j, ...rest } = r;
  const out = {
    ...rest,
    passed: passed(r.verification),
    requests: {
      sent: j.sent,
      answered: j.answeredIds.length,
      answeredReads: j.answeredReads,
      answeredWrites: j.answeredWrites,
      replays: j.replays,
      statuses: Object.fromEntries(j.statuses),
      errors: Object.fromEntries(j.errors),
    },
  };
  fs.writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
  return file;
}
