// `netcensus export`: the inventory as of a snapshot, to a file or stdout. A file is written to a
// temporary name beside it and renamed into place when complete, so a failed export never leaves
// a half-written file where the last good one was.
import { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { writeAssetsCsv } from '../../export/write-csv.js';
import { writeInventoryJson } from '../../export/write-json.js';
import { UsageError } from '../../model/index.js';
import { openExistingStore, type GlobalOptions } from '../context.js';
import { EXIT } from '../exit-codes.js';
import type { Output } from '../output.js';
import { resolveSnapshot } from '../snapshot-ref.js';

export interface ExportFlags extends GlobalOptions {
  format: 'csv' | 'json';
  out?: string;
}

export async function exportCommand(ref: string, flags: ExportFlags, output: Output): Promise<number> {
  const store = openExistingStore(flags);
  try {
    const snapshot = await resolveSnapshot(store, ref);
    const entries = await store.inventoryAsOf(snapshot.id, {}, { withFacts: flags.format === 'json' });
    const write = async (out: Writable): Promise<void> => {
      if (flags.format === 'csv') await writeAssetsCsv(entries, out);
      else await writeInventoryJson(snapshot, entries, out);
    };
    if (!flags.out || flags.out === '-') {
      await write(process.stdout);
      return EXIT.ok;
    }
    const target = resolve(flags.out);
    const temp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
    const file = createWriteStream(temp, { mode: 0o600 });
    try {
      await new Promise<void>((ok, fail) => {
        file.once('open', () => ok());
        file.once('error', fail);
      });
      await write(file);
      file.end();
      await finished(file);
      await rename(temp, target);
    } catch (error) {
      file.destroy();
      await unlink(temp).catch(() => undefined);
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EACCES' || code === 'EROFS' || code === 'ENOSPC' || code === 'EISDIR') {
        throw new UsageError(`cannot write ${target}: ${code}; choose another --out`);
      }
      throw error;
    }
    if (output.stderrIsTTY) output.err(`wrote ${entries.length} assets as of snapshot ${snapshot.id} to ${target}\n`);
    return EXIT.ok;
  } finally {
    await store.close();
  }
}
