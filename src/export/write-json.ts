// JSON of the full inventory as of a snapshot: the snapshot, then one object per asset with its
// full facts, streamed; with --since, the changes too. Secrets never appear: keys that name one are
// dropped from the snapshot options and the facts (redact-secrets).
import type { Writable } from 'node:stream';
import type { Change, InventoryEntry, Snapshot } from '../model/index.js';
import { assetStatus } from './asset-rows.js';
import { redactSecrets } from './redact-secrets.js';

export interface JsonExtras {
  since?: Snapshot | null;
  changes?: readonly Change[];
}

export async function writeInventoryJson(
  snapshot: Snapshot,
  entries: Iterable<InventoryEntry> | AsyncIterable<InventoryEntry>,
  out: Writable,
  extras: JsonExtras = {},
): Promise<number> {
  const write = (text: string): Promise<void> =>
    new Promise((resolve, reject) => {
      out.write(text, (error) => (error ? reject(error) : resolve()));
    });
  const publicSnapshot = (s: Snapshot) => {
    const { pid: _pid, host: _host, ...rest } = s;
    return redactSecrets(rest);
  };
  await write(`{"snapshot":${JSON.stringify(publicSnapshot(snapshot))},`);
  if (extras.changes) {
    await write(`"since":${JSON.stringify(extras.since ? publicSnapshot(extras.since) : null)},"changes":[`);
    let firstChange = true;
    for (const c of extras.changes) {
      await write((firstChange ? '\n' : ',\n') + JSON.stringify(redactSecrets(c)));
      firstChange = false;
    }
    await write('\n],');
  }
  await write('"assets":[');
  let first = true;
  let count = 0;
  let pending = '';
  for await (const entry of entries) {
    pending += (first ? '\n' : ',\n') + JSON.stringify(redactSecrets({ ...entry, status: assetStatus(entry) }));
    first = false;
    count++;
    // Fewer, larger writes: one callback per 64 KiB rather than per asset.
    if (pending.length > 65_536) {
      await write(pending);
      pending = '';
    }
  }
  await write(pending + '\n]}\n');
  return count;
}
