// `netcensus report`: one self-contained HTML file with the summary, charts (inline SVG) of the
// inventory by type and vendor and over the past snapshots, the changes since WHEN and the missing
// assets. The page loads nothing: no script, font or stylesheet from anywhere.
import { extname } from 'node:path';
import { renderReportHtml } from '../../export/report-html.js';
import { UsageError } from '../../model/index.js';
import { openExistingStore, type GlobalOptions } from '../context.js';
import { EXIT } from '../exit-codes.js';
import type { Output } from '../output.js';
import { resolveSnapshot } from '../snapshot-ref.js';
import { gatherAudit, writeFileAtomically } from './export.js';

export interface ReportFlags extends GlobalOptions {
  out: string;
  since?: string;
}

/** Snapshots shown in the history charts. */
const HISTORY_POINTS = 24;

export async function reportCommand(ref: string, flags: ReportFlags, output: Output, now: () => Date = () => new Date()): Promise<number> {
  if (!flags.out || flags.out === '-') throw new UsageError('report writes a file: give --out FILE.html');
  if (!['.html', '.htm'].includes(extname(flags.out).toLowerCase())) {
    throw new UsageError(`report writes HTML: name the file *.html, not ${flags.out}`);
  }
  const store = openExistingStore(flags);
  try {
    const snapshot = await resolveSnapshot(store, ref);
    const audit = await gatherAudit(store, snapshot, flags.since);
    const history = await store.snapshotHistory(snapshot.id, HISTORY_POINTS);
    const html = renderReportHtml({ ...audit, history, generatedAt: now().toISOString() });
    const target = await writeFileAtomically(flags.out, async (out) => {
      await new Promise<void>((resolve, reject) => out.write(html, 'utf8', (error) => (error ? reject(error) : resolve())));
    });
    if (output.stderrIsTTY) output.err(`wrote the report on snapshot ${snapshot.id} to ${target}\n`);
    return EXIT.ok;
  } finally {
    await store.close();
  }
}
