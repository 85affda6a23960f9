// JSON of the full inventory as of a snapshot: the snapshot, then one object per asset.
import type { Writable } from 'node:stream';
import type { InventoryEntry, Snapshot } from '../model/index.js';
import { assetStatus } from './asset-rows.js';

export async function writeInventoryJson(snapshot: Snapshot, entries: InventoryEntry[], out: Writable): Promise<void> {
  const write = (text: string): Promise<void> =>
    new Promise((resolve, reject) => {
      out.write(text, (error) => (error ? reject(error) : resolve()));
    });
  const { pid: _pid, host: _host, ...snap } = snapshot;
  await write(`{"snapshot":${JSON.stringify(snap)},"assets":[`);
  let first = true;
  for (const entry of entries) {
    await write((first ? '\n' : ',\n') + JSON.stringify({ ...entry, status: assetStatus(entry) }));
    first = false;
  }
  await write('\n]}\n');
}
