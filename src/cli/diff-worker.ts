// The worker thread of a large `netcensus diff --json` (started by diff-pool.ts): takes ranges of
// asset ids as long as any is left, reads each range's pairs on its own read-only connection,
// diffs them and stringifies the changes, and sends them a batch at a time (ChangeBatches), then
// `done`. It writes nothing: no database, no stdout.
import { workerData } from 'node:worker_threads';
import { openSqliteStore } from '../store/sqlite-store.js';
import { ChangeBatches, DIFF_PAIR_OPTIONS } from './diff-part.js';
import { takeRange, type DiffWorkerData, type DiffWorkerMessage } from './diff-pool.js';

async function diffRanges(data: DiffWorkerData): Promise<void> {
  const claims = new Int32Array(data.claims);
  const store = openSqliteStore(data.path, { readonly: true });
  try {
    const batches = new ChangeBatches((batch, transfer) => data.port.postMessage({ batch } satisfies DiffWorkerMessage, transfer));
    for (let range = takeRange(claims, data.ranges, true); range !== null; range = takeRange(claims, data.ranges, true)) {
      await batches.addPairs(store.streamInventoryPairs(data.fromId, data.toId, { ...DIFF_PAIR_OPTIONS, assetIds: range }));
    }
    batches.flush();
  } finally {
    await store.close();
  }
}

const data = workerData as DiffWorkerData | null;
if (data !== null && typeof data === 'object' && 'port' in data) {
  diffRanges(data).then(
    () => data.port.postMessage({ done: true } satisfies DiffWorkerMessage),
    (error: unknown) => {
      const e = error as Error & { code?: unknown };
      data.port.postMessage({
        error: { name: e?.name ?? 'Error', message: e?.message ?? String(error), ...(typeof e?.code === 'string' ? { code: e.code } : {}) },
      } satisfies DiffWorkerMessage);
    },
  );
}
