// What `scan` says on stderr while it runs, in one of three forms:
//   - text on a TTY: a progress bar (probed, alive, interrogated, stored, ETA), then the summary;
//   - text elsewhere (cron, pipes): nothing but the one-line summary at the end, and warnings;
//   - `--log-format json`: newline-delimited JSON events for log collectors, one object a line:
//       {"event":"start",...} {"event":"progress",...} (every 10 s) {"event":"summary",...}
//       {"event":"warning","message":...} {"event":"error","message":...,"exitCode":N}
// Data never goes here (stdout has it). Secrets never do: events carry counts, ids and messages
// that already leave them out.
import type { Output } from './output.js';
import type { HostOutcomes, ScanProgress } from './run-scan.js';

export type LogFormat = 'text' | 'json';

export interface ScanEventLog {
  start(info: { snapshotId: number; targets: string[]; profile: string | null; interruptedEarlier: number[]; maxDurationMs: number | null }): void;
  progress(p: ScanProgress): void;
  warning(message: string): void;
  /** A named target (hostname, single address) that did not resolve or answer. */
  failedTarget(target: string, reason: string): void;
  /** Called with the final summary object (already JSON-safe). */
  summary(summary: Record<string, unknown>): void;
  error(message: string, exitCode: number): void;
  done(): void;
}

const JSON_PROGRESS_EVERY_MS = 10_000;

/** NDJSON events to stderr. `now` is passed in so tests can pin it. */
export function jsonEventLog(output: Output, now: () => Date = () => new Date()): ScanEventLog {
  let lastProgress = 0;
  const emit = (event: string, fields: Record<string, unknown>): void => {
    output.err(JSON.stringify({ event, at: now().toISOString(), ...fields }) + '\n');
  };
  return {
    start: (info) => emit('start', info),
    progress(p) {
      const t = now().getTime();
      if (t - lastProgress < JSON_PROGRESS_EVERY_MS) return;
      lastProgress = t;
      emit('progress', { total: p.total, probed: p.probed, alive: p.alive, interrogated: p.interrogated, stored: p.stored, outcomes: p.outcomes });
    },
    warning: (message) => emit('warning', { message }),
    failedTarget: (target, reason) => emit('warning', { target, message: `${target}: ${reason}` }),
    summary: (summary) => emit('summary', summary),
    error: (message, exitCode) => emit('error', { message, exitCode }),
    done: () => undefined,
  };
}

/** Text: a progress bar on a TTY (unless quiet), otherwise silence until the summary. */
export function textEventLog(output: Output, options: { quiet: boolean; json: boolean }): ScanEventLog {
  const bar = !options.quiet && output.stderrIsTTY ? progressBar(output) : undefined;
  return {
    start: () => undefined,
    progress: (p) => bar?.update(p),
    warning: (message) => {
      if (!options.quiet) output.err(`netcensus: warning: ${message}\n`);
    },
    failedTarget: (target, reason) => {
      if (!options.quiet) output.err(`netcensus: ${target}: ${reason}\n`);
    },
    // --json prints the summary on stdout (scan.ts); the text line is for everything else.
    summary: (summary) => {
      if (!options.json && !options.quiet) output.err(summaryLine(summary as unknown as SummaryFields) + '\n');
    },
    // The top-level catch prints errors in text form.
    error: () => undefined,
    done: () => bar?.done(),
  };
}

interface SummaryFields {
  snapshotId: number;
  status: string;
  durationMs: number;
  counts: { probed: number; alive: number; records: number; newAssets: number };
  interruptedEarlier: number[];
  outcomes?: HostOutcomes;
  stoppedBy?: string;
  pruned?: { snapshots: number[] };
}

export function summaryLine(s: SummaryFields): string {
  const secs = (s.durationMs / 1000).toFixed(1);
  const earlier = s.interruptedEarlier.length > 0 ? `; marked earlier run(s) ${s.interruptedEarlier.join(', ')} interrupted` : '';
  const stopped = s.stoppedBy ? ` (stopped by ${s.stoppedBy})` : '';
  const outcomes = s.outcomes ? outcomeText(s.outcomes) : '';
  const pruned = s.pruned && s.pruned.snapshots.length > 0 ? `; pruned ${s.pruned.snapshots.length} old snapshot(s)` : '';
  return (
    `snapshot ${s.snapshotId} ${s.status}${stopped}: ${s.counts.probed} probed, ${s.counts.alive} alive, ` +
    `${s.counts.records} stored (${s.counts.newAssets} new) in ${secs} s${outcomes}${earlier}${pruned}`
  );
}

/** "; 12 identified; snmp: 3 ok, 9 timeout, 1 auth-failed" (DNS and discovery are left out: noise). */
export function outcomeText(o: HostOutcomes): string {
  const parts = [`${o.identified} identified`];
  for (const [scanner, byStatus] of Object.entries(o.byScanner)) {
    if (scanner !== 'snmp') continue;
    const counts = Object.entries(byStatus)
      .filter(([, n]) => (n ?? 0) > 0)
      .sort(([a], [b]) => (a === 'ok' ? -1 : b === 'ok' ? 1 : a < b ? -1 : a > b ? 1 : 0))
      .map(([status, n]) => `${n} ${status}`);
    if (counts.length > 0) parts.push(`${scanner}: ${counts.join(', ')}`);
  }
  return `; ${parts.join('; ')}`;
}

function progressBar(output: Output): { update: (p: ScanProgress) => void; done: () => void } {
  const started = Date.now();
  let last = 0;
  let shown = false;
  return {
    update(p) {
      const now = Date.now();
      if (now - last < 100 && p.probed < p.total) return;
      last = now;
      shown = true;
      const elapsed = (now - started) / 1000;
      const eta = p.probed > 0 && p.probed < p.total ? ` · ETA ${Math.ceil((elapsed / p.probed) * (p.total - p.probed))} s` : '';
      output.err(`\r\x1b[Kprobed ${p.probed}/${p.total} · alive ${p.alive} · interrogated ${p.interrogated} · stored ${p.stored}${eta}`);
    },
    done() {
      if (shown) output.err('\r\x1b[K');
    },
  };
}
