// Imports inventory documents (or stores the local probe's one) as a snapshot:
// bytes -> SHA-256 -> already imported? -> validate -> record -> identify -> resolve -> store.
//
// - A document already imported by a complete snapshot (same bytes) is skipped: importing a folder
//   again is a no-op, and when nothing is new no snapshot is made at all.
// - A document that does not validate is reported by file and field; the others still import.
// - The snapshot is begun at the first new valid document (so taking the lock) and marked complete
//   last, like a scan; its kind ('import' or 'local') tells inventoryAsOf that its absences mean
//   nothing: an import never makes network assets missing (see store/inventory-store.ts).
// - Documents are read and written one after another in batches: memory stays flat in the number
//   of documents (the snapshot writer keeps summaries only once a batch is committed).
// - A record's seen_at is when the machine was probed (collectedAt), not when it was imported.
import { createHash } from 'node:crypto';
import { identify } from '../identify/index.js';
import { buildAssetIndex } from '../inventory/identity.js';
import type { SnapshotCounts, SnapshotKind, SnapshotStatus } from '../model/index.js';
import { documentRecord, MAX_DOCUMENT_BYTES, parseDocument, type InventoryDocument } from '../scan/local/index.js';
import type { InventoryStore } from '../store/inventory-store.js';
import { SnapshotWriter } from './snapshot-writer.js';
import { VERSION } from './version.js';

/** One document to import: its bytes, or how to read them, and the file it came from. */
export interface DocumentSource {
  file: string | null;
  read(): Promise<Buffer | string>;
}

export interface ImportInput {
  kind: Extract<SnapshotKind, 'import' | 'local'>;
  sources: Iterable<DocumentSource> | AsyncIterable<DocumentSource>;
  /** What the user named (files, folders), stored as the snapshot's targets. */
  targetTexts: string[];
  label: string | null;
}

export interface ImportDeps {
  store: InventoryStore;
  now: () => Date;
  signal: AbortSignal;
  pid: number;
  host: string;
  isRunAlive: (pid: number, host: string) => boolean;
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportProgress {
  read: number;
  imported: number;
  skipped: number;
  failed: number;
}

export interface ImportedOne {
  file: string | null;
  assetId: number;
  hostname: string;
}

export interface ImportSummary {
  /** Null when nothing new was found: no snapshot was made. */
  snapshotId: number | null;
  status: SnapshotStatus | null;
  documents: number;
  imported: number;
  /** Already imported (same bytes), or given twice in this run. */
  unchanged: number;
  failed: { file: string | null; issues: string[] }[];
  counts: SnapshotCounts;
  interruptedEarlier: number[];
  durationMs: number;
  /** The first few imported documents and their assets (all of them for `local`). */
  assets: ImportedOne[];
}

const LISTED_ASSETS = 20;
/** Documents read at once. */
const CHUNK = 64;

async function* chunks<T>(items: Iterable<T> | AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let chunk: T[] = [];
  for await (const item of items) {
    chunk.push(item);
    if (chunk.length >= size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

export async function runImport(input: ImportInput, deps: ImportDeps): Promise<ImportSummary> {
  const started = deps.now();
  const counts: SnapshotCounts = { probed: 0, alive: 0, records: 0, newAssets: 0, failedTargets: 0 };
  const summary: ImportSummary = {
    snapshotId: null,
    status: null,
    documents: 0,
    imported: 0,
    unchanged: 0,
    failed: [],
    counts,
    interruptedEarlier: [],
    durationMs: 0,
    assets: [],
  };
  const progress: ImportProgress = { read: 0, imported: 0, skipped: 0, failed: 0 };
  const seenHashes = new Set<string>();
  let writer: SnapshotWriter | null = null;
  let snapshotId: number | null = null;

  const begin = async (): Promise<SnapshotWriter> => {
    const begun = await deps.store.beginSnapshot(
      {
        kind: input.kind,
        startedAt: started.toISOString(),
        label: input.label,
        targets: input.targetTexts,
        scanners: [input.kind],
        options: {},
        toolVersion: VERSION,
        pid: deps.pid,
        host: deps.host,
      },
      deps.isRunAlive,
    );
    snapshotId = begun.id;
    summary.snapshotId = begun.id;
    summary.interruptedEarlier = begun.interrupted;
    return new SnapshotWriter(
      deps.store,
      begun.id,
      buildAssetIndex(await deps.store.knownAssets()),
      await deps.store.nextAssetId(),
      counts,
      { preferNewer: true, factsAsText: true },
    );
  };

  const fail = (file: string | null, issues: string[]): void => {
    summary.failed.push({ file, issues });
    progress.failed++;
  };

  let status: SnapshotStatus = 'complete';
  try {
    for await (const chunk of chunks(input.sources, CHUNK)) {
      if (deps.signal.aborted) break;
      // Read a chunk of files at once (their I/O overlaps) and ask the store about their hashes in
      // one query; then handle them one by one, in order.
      const loaded = await Promise.all(
        chunk.map(async (source) => {
          try {
            const bytes = await source.read();
            return { source, bytes, sha256: createHash('sha256').update(bytes).digest('hex'), error: null };
          } catch (error) {
            return { source, bytes: '', sha256: '', error: `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
          }
        }),
      );
      const known = await deps.store.importedHashes(loaded.filter((l) => l.error === null).map((l) => l.sha256));
      for (const { source, bytes, sha256, error } of loaded) {
        summary.documents++;
        progress.read++;
        if (error !== null) {
          fail(source.file, [error]);
          continue;
        }
        if (bytes.length > MAX_DOCUMENT_BYTES) {
          fail(source.file, [`${bytes.length} bytes is more than an inventory document may hold (${MAX_DOCUMENT_BYTES})`]);
          continue;
        }
        if (seenHashes.has(sha256) || known.has(sha256)) {
          seenHashes.add(sha256);
          summary.unchanged++;
          progress.skipped++;
          deps.onProgress?.(progress);
          continue;
        }
        seenHashes.add(sha256);
        const parsed = parseDocument(typeof bytes === 'string' ? bytes : bytes.toString('utf8'));
        if (!parsed.ok) {
          fail(source.file, parsed.issues);
          deps.onProgress?.(progress);
          continue;
        }
        writer ??= await begin();
        const doc: InventoryDocument = parsed.document;
        const record = documentRecord(doc, input.kind);
        const seenAt = new Date(doc.collectedAt).toISOString();
        const assetId = await writer.add({ ...record, facts: identify(record.facts) }, seenAt, {
          sha256,
          collectedAt: seenAt,
          file: source.file,
          importedAt: deps.now().toISOString(),
        });
        summary.imported++;
        progress.imported++;
        if (summary.assets.length < LISTED_ASSETS) summary.assets.push({ file: source.file, assetId, hostname: record.facts.hostnames?.[0]?.value ?? record.address });
        deps.onProgress?.(progress);
      }
    }
    if (deps.signal.aborted) status = 'interrupted';
  } catch (error) {
    if (writer !== null && snapshotId !== null) {
      const w: SnapshotWriter = writer;
      await w.flush().catch(() => undefined);
      await deps.store.finishSnapshot(snapshotId, 'failed', counts, deps.now().toISOString()).catch(() => undefined);
      w.stop();
    }
    throw error;
  }
  counts.probed = summary.documents;
  counts.alive = summary.imported + summary.unchanged;
  counts.failedTargets = summary.failed.length;
  if (writer !== null && snapshotId !== null) {
    const w: SnapshotWriter = writer;
    w.stop();
    await w.flush();
    await deps.store.finishSnapshot(snapshotId, status, counts, deps.now().toISOString());
    summary.status = status;
  }
  summary.durationMs = deps.now().getTime() - started.getTime();
  return summary;
}
