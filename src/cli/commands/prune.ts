// `netcensus prune`: retention. The rules and what is kept are in store/prune-snapshots.ts.
import { parseDuration } from '../../config/duration.js';
import { UsageError } from '../../model/index.js';
import { pruneSnapshots, type PrunePolicy } from '../../store/prune-snapshots.js';
import { openExistingStore, type GlobalOptions } from '../context.js';
import { EXIT } from '../exit-codes.js';
import type { Output } from '../output.js';

export interface PruneFlags extends GlobalOptions {
  keepLast?: number;
  olderThan?: string;
  dryRun?: boolean;
}

export async function pruneCommand(flags: PruneFlags, output: Output): Promise<number> {
  if (flags.keepLast === undefined && flags.olderThan === undefined) {
    throw new UsageError('say what to keep: --keep-last N (e.g. 30) or --older-than DURATION (e.g. 90d, 12w), or both');
  }
  const policy: PrunePolicy = {
    ...(flags.keepLast !== undefined ? { keepLast: flags.keepLast } : {}),
    ...(flags.olderThan !== undefined ? { olderThanMs: parseDuration(flags.olderThan, '--older-than') } : {}),
  };
  const store = openExistingStore(flags);
  try {
    const result = await pruneSnapshots(store, policy, { now: new Date(), dryRun: Boolean(flags.dryRun) });
    if (flags.json) {
      output.out(JSON.stringify(result, null, 2) + '\n');
      return EXIT.ok;
    }
    if (result.pruned.length === 0 && result.recordsDeleted === 0) {
      output.err('nothing to prune\n');
      return EXIT.ok;
    }
    const ids = compactIds(result.pruned);
    const verb = result.dryRun ? 'would prune' : 'pruned';
    output.err(
      `${verb} ${result.pruned.length} snapshot(s)${ids ? ` (${ids})` : ''}: ${result.recordsDeleted} record(s) ${result.dryRun ? 'to remove' : 'removed'}, ` +
        `${result.recordsKept} kept as first or latest sightings\n`,
    );
    if (result.vacuumed) output.err(`database ${mb(result.bytesBefore)} -> ${mb(result.bytesAfter)}\n`);
    if (result.vacuumSkipped) output.err(`netcensus: warning: VACUUM skipped: ${result.vacuumSkipped}\n`);
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

/** "1-4, 7, 9-12". */
export function compactIds(ids: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < ids.length; i++) {
    let j = i;
    while (j + 1 < ids.length && ids[j + 1] === ids[j]! + 1) j++;
    parts.push(j > i ? `${ids[i]}-${ids[j]}` : String(ids[i]));
    i = j;
  }
  return parts.join(', ');
}

function mb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} kB`;
}
