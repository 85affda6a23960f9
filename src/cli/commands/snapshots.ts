import type { Snapshot } from '../../model/index.js';
import { openExistingStore, type GlobalOptions } from '../context.js';
import { EXIT } from '../exit-codes.js';
import type { Output } from '../output.js';
import { renderTable } from '../render-table.js';

export async function snapshotsCommand(opts: GlobalOptions, output: Output): Promise<number> {
  const store = openExistingStore(opts);
  try {
    const snapshots = await store.listSnapshots();
    if (opts.json) {
      output.out(JSON.stringify(snapshots.map(publicSnapshot), null, 2) + '\n');
    } else {
      output.out(
        renderTable(
          snapshots,
          [
            { header: 'ID', value: (s) => s.id, right: true },
            { header: 'STARTED', value: (s) => s.startedAt },
            { header: 'STATUS', value: (s) => (s.prunedAt ? `${s.status}, pruned` : s.status) },
            { header: 'KIND', value: (s) => s.kind },
            { header: 'PROBED', value: (s) => s.counts.probed, right: true },
            { header: 'ALIVE', value: (s) => s.counts.alive, right: true },
            { header: 'RECORDS', value: (s) => s.counts.records, right: true },
            { header: 'NEW', value: (s) => s.counts.newAssets, right: true },
            { header: 'TARGETS', value: (s) => abbreviate(s.targets.join(' '), 40) },
            { header: 'LABEL', value: (s) => s.label ?? '' },
          ],
          output,
        ),
      );
    }
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

/** What listings show of a snapshot: the run's pid and host are for locking only. */
export function publicSnapshot(s: Snapshot): Omit<Snapshot, 'pid' | 'host'> {
  const { pid: _pid, host: _host, ...rest } = s;
  return rest;
}

function abbreviate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
