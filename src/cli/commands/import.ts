// `netcensus import FILE|DIR...`: inventory documents written by `netcensus local --out` on other
// machines, stored as one snapshot. Folders are read recursively for *.json, in name order. Every
// path is checked before the database is opened, so a typo leaves nothing behind.
//
// Exit codes: 0 all documents imported or already there; 3 some documents were invalid (each named
// on stderr with its field); 2 a path does not exist or holds no document.
//
// From WORKERS_FROM documents on, they are parsed and validated by one worker thread per core
// (run-import.ts); fewer are quicker in this thread than the workers take to start.
// NETCENSUS_IMPORT_WORKERS=N sets the number of workers (0: none), for a busy machine and for tests.
import { setMaxListeners } from 'node:events';
import { readFile as readFileWithCallback } from 'node:fs';
import { opendir, stat } from 'node:fs/promises';
import { availableParallelism, hostname } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { UsageError } from '../../model/index.js';
import { openStoreForWriting, type GlobalOptions } from '../context.js';
import { EXIT } from '../exit-codes.js';
import type { Output } from '../output.js';
import { runImport, type DocumentSource, type ImportProgress, type ImportSummary } from '../run-import.js';
import { isRunAlive } from './scan.js';

export interface ImportFlags extends GlobalOptions {
  label?: string;
  quiet?: boolean;
}

export async function importCommand(paths: string[], flags: ImportFlags, output: Output): Promise<number> {
  if (paths.length === 0) throw new UsageError('name the documents to import: netcensus import FILE.json or a folder of them');
  const checked = await Promise.all(paths.map(checkPath));
  // How many documents there are, counted up to WORKERS_FROM.
  let documents = 0;
  for (const c of checked) {
    if (documents >= WORKERS_FROM) break;
    if (c.kind === 'file') documents++;
    else for await (const _ of walk(c.path)) {
      if (++documents >= WORKERS_FROM) break;
    }
  }
  if (documents === 0) throw new UsageError(`no *.json inventory documents in ${paths.join(', ')}; write them with "netcensus local --out FILE.json"`);

  const workers = importWorkers(documents, process.env.NETCENSUS_IMPORT_WORKERS);
  const store = openStoreForWriting(flags);
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  let signalExit = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) process.exit(signal === 'SIGINT' ? EXIT.sigint : EXIT.sigterm);
    signalExit = signal === 'SIGINT' ? EXIT.sigint : EXIT.sigterm;
    if (!flags.quiet) output.err(`\nnetcensus: ${signal}: stopping, keeping what was imported so far\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const progress = !flags.quiet && output.stderrIsTTY ? progressPrinter(output) : undefined;
  let summary: ImportSummary;
  try {
    summary = await runImport(
      { kind: 'import', sources: sources(checked), targetTexts: paths, label: flags.label ?? null },
      {
        store,
        now: () => new Date(),
        signal: controller.signal,
        pid: process.pid,
        host: hostname(),
        isRunAlive,
        workers,
        ...(progress ? { onProgress: progress.update } : {}),
      },
    );
  } finally {
    progress?.done();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await store.close();
  }

  if (flags.json) output.out(JSON.stringify(summary, null, 2) + '\n');
  else if (!flags.quiet) output.err(summaryLine(summary) + '\n');
  // Bad documents are always reported, even with --quiet: they were not imported.
  for (const f of summary.failed) {
    for (const issue of f.issues) output.err(`netcensus: ${displayPath(f.file)}: ${issue}\n`);
  }
  if (signalExit) return signalExit;
  return summary.failed.length > 0 ? EXIT.targetsFailed : EXIT.ok;
}

/** Fewer documents than this are read in this thread: starting the workers would cost more. */
const WORKERS_FROM = 100;
const MAX_WORKERS = 8;

/** Worker threads for an import of at least `documents` documents: one per core, or as the environment says. */
export function importWorkers(documents: number, fromEnv: string | undefined): number {
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    const n = Number(fromEnv);
    if (!Number.isInteger(n) || n < 0 || n > 64) throw new UsageError(`NETCENSUS_IMPORT_WORKERS=${fromEnv}: expected a whole number from 0 to 64`);
    return n;
  }
  return documents >= WORKERS_FROM ? Math.min(MAX_WORKERS, availableParallelism()) : 0;
}

type Checked = { kind: 'file' | 'dir'; path: string };

async function checkPath(path: string): Promise<Checked> {
  const full = resolve(path);
  try {
    const s = await stat(full);
    if (s.isDirectory()) return { kind: 'dir', path: full };
    if (s.isFile()) return { kind: 'file', path: full };
    throw new UsageError(`${path} is neither a file nor a folder`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot import ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** *.json files under a folder, recursively, in name order (folder by folder, without holding a tree). */
async function* walk(dir: string): AsyncGenerator<string> {
  const entries: { name: string; isDir: boolean }[] = [];
  for await (const e of await opendir(dir)) {
    if (e.name.startsWith('.')) continue;
    if (e.isDirectory()) entries.push({ name: e.name, isDir: true });
    else if (e.isFile() && e.name.toLowerCase().endsWith('.json')) entries.push({ name: e.name, isDir: false });
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.isDir) yield* walk(join(dir, e.name));
    else yield join(dir, e.name);
  }
}

// fs.readFile with a callback: it reads a whole file in one request to the thread pool, where
// fs/promises' readFile makes one per step (open, stat, read, close) and costs the main thread
// about three times the CPU per file, which a folder of 10,000 documents notices.
const readFile = promisify(readFileWithCallback);

async function* sources(checked: Checked[]): AsyncGenerator<DocumentSource> {
  for (const c of checked) {
    if (c.kind === 'file') yield { file: c.path, read: () => readFile(c.path) };
    else for await (const file of walk(c.path)) yield { file, read: () => readFile(file) };
  }
}

function displayPath(file: string | null): string {
  if (file === null) return '(document)';
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

function summaryLine(s: ImportSummary): string {
  const secs = (s.durationMs / 1000).toFixed(1);
  const parts = [`${s.documents} document${s.documents === 1 ? '' : 's'}`, `${s.imported} imported (${s.counts.newAssets} new asset${s.counts.newAssets === 1 ? '' : 's'})`];
  if (s.unchanged > 0) parts.push(`${s.unchanged} already imported`);
  if (s.failed.length > 0) parts.push(`${s.failed.length} invalid`);
  const earlier = s.interruptedEarlier.length > 0 ? `; marked earlier run(s) ${s.interruptedEarlier.join(', ')} interrupted` : '';
  if (s.snapshotId === null) return `nothing new: ${parts.join(', ')}; no snapshot made`;
  return `snapshot ${s.snapshotId} ${s.status}: ${parts.join(', ')} in ${secs} s${earlier}`;
}

function progressPrinter(output: Output): { update: (p: ImportProgress) => void; done: () => void } {
  let last = 0;
  let shown = false;
  return {
    update(p) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      shown = true;
      output.err(`\r\x1b[Kread ${p.read} · imported ${p.imported} · already imported ${p.skipped} · invalid ${p.failed}`);
    },
    done() {
      if (shown) output.err('\r\x1b[K');
    },
  };
}
