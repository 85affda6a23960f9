// `netcensus local [--out FILE.json]`: inventory this machine. Without --out the document is stored
// as a snapshot of kind 'local' holding this one machine (through the same path as an import); with
// --out it is written as a portable document for `netcensus import` elsewhere ("-" for stdout).
// A file is written to a temporary name beside it and renamed into place, so a collector reading a
// share never sees half a document.
import { rename, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../../model/index.js';
import { localScanner, parseDocument } from '../../scan/local/index.js';
import { openStoreForWriting, type GlobalOptions } from '../context.js';
import { EXIT } from '../exit-codes.js';
import type { Output } from '../output.js';
import { runImport } from '../run-import.js';
import { VERSION } from '../version.js';
import { isRunAlive } from './scan.js';

export interface LocalFlags extends GlobalOptions {
  out?: string;
  label?: string;
  quiet?: boolean;
}

export async function localCommand(flags: LocalFlags, output: Output): Promise<number> {
  const started = Date.now();
  const document = await localScanner.probe({ now: () => new Date(), toolVersion: VERSION });
  const text = JSON.stringify(document, null, 2) + '\n';
  // What is stored or written is exactly what `import` accepts.
  const parsed = parseDocument(text);
  if (!parsed.ok) throw new Error(`the local probe built an invalid document: ${parsed.issues.join('; ')}`);
  const doc = parsed.document;
  if (!flags.quiet) {
    for (const u of doc.unavailable) output.err(`netcensus: ${u.field} unavailable: ${u.reason}\n`);
  }

  if (flags.out !== undefined) {
    if (flags.out === '-') {
      output.out(text);
      return EXIT.ok;
    }
    const target = resolve(flags.out);
    const temp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
    try {
      await writeFile(temp, text);
      await rename(temp, target);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EACCES' || code === 'EROFS' || code === 'ENOSPC' || code === 'EISDIR') {
        throw new UsageError(`cannot write ${target}: ${code}; choose another --out`);
      }
      throw error;
    }
    if (flags.json) output.out(JSON.stringify({ file: target, hostname: doc.os.hostname, unavailable: doc.unavailable }, null, 2) + '\n');
    else if (!flags.quiet) {
      output.err(`wrote ${doc.os.hostname} (${doc.software?.packages.length ?? 0} packages) to ${target} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    }
    return EXIT.ok;
  }

  const store = openStoreForWriting(flags);
  try {
    const summary = await runImport(
      { kind: 'local', sources: [{ file: null, read: async () => text }], targetTexts: [doc.os.hostname], label: flags.label ?? null },
      { store, now: () => new Date(), signal: new AbortController().signal, pid: process.pid, host: hostname(), isRunAlive },
    );
    const asset = summary.assets[0];
    if (flags.json) output.out(JSON.stringify({ ...summary, unavailable: doc.unavailable }, null, 2) + '\n');
    else if (!flags.quiet && asset) {
      output.err(
        `snapshot ${summary.snapshotId} ${summary.status}: ${doc.os.hostname} stored as asset ${asset.assetId}` +
          `${summary.counts.newAssets > 0 ? ' (new)' : ''}, ${doc.software?.packages.length ?? 0} packages, in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
      );
    }
    return EXIT.ok;
  } finally {
    await store.close();
  }
}
