// Imports inventory documents (or stores the local probe's one) as a snapshot:
// bytes -> SHA-256 -> already imported? -> validate -> record -> identify -> resolve -> store.
//
// - A document already imported by a complete snapshot (same bytes) is skipped: importing a folder
//   again is a no-op, and when nothing is new no snapshot is made at all.
// - A document that does not validate is reported by file and field; the others still import.
// - The snapshot is begun at the first new valid document (so taking the lock) and marked complete
//   last, like a scan; its kind ('import' or 'local') tells inventoryAsOf that its absences mean
//   nothing: an import never makes network assets missing (see store/inventory-store.ts).
// - A record's seen_at is when the machine was probed (collectedAt), not when it was imported.
//
// Throughput: the main thread reads files and hashes them a chunk at a time (the next chunk is read
// while the current one is handled) and asks the store which hashes it knows in one query. New
// documents are parsed, validated, identified and serialised (prepare-document.ts) by worker
// threads when deps.workers > 0 (import-pool.ts), else here, one after another. The main thread
// handles the outcomes strictly in the sources' order, so the snapshot (asset ids, which document
// of a machine wins, the reported failures) is the same whatever the workers' timing; it only
// resolves identities and writes, in large transactions (import-writer.ts).
//
// Memory stays flat in the number of documents: at most IN_FLIGHT batches are read and not yet
// written (the reading waits when they are), and a committed batch leaves only per-asset stubs.
import { createHash } from 'node:crypto';
import { buildAssetIndex } from '../inventory/identity.js';
import type { SnapshotCounts, SnapshotKind, SnapshotStatus } from '../model/index.js';
import { MAX_DOCUMENT_BYTES } from '../scan/local/index.js';
import type { InventoryStore } from '../store/inventory-store.js';
import { DocumentPool, type PoolDocument } from './import-pool.js';
import { ImportWriter } from './import-writer.js';
import { prepareDocumentSafely, type PreparedOutcome } from './prepare-document.js';
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
  /** Worker threads that parse and validate documents; 0 or absent: this thread does. */
  workers?: number;
  /** The workers' script (tests running the sources point it at the built one). */
  workerScript?: URL;
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
/** Documents read at once: their reads overlap, and their hashes are looked up in one query. */
const CHUNK = 64;
/** Documents per message to a worker. */
const BATCH = 16;
/** Batches read and not yet handled, per worker: enough to keep every worker busy, and a bound. */
const IN_FLIGHT_PER_WORKER = 4;

/** One document, in the sources' order, and what the reading decided about it. */
type Item =
  | { file: string | null; verdict: 'failed'; issues: string[] }
  | { file: string | null; verdict: 'unchanged' }
  /** New: its outcome is the batch's outcomes[at]. */
  | { file: string | null; verdict: 'new'; sha256: string; at: number };

/** Consecutive documents of the sources, with the outcomes of those that were new. */
interface Batch {
  items: Item[];
  outcomes: () => Promise<PreparedOutcome[]>;
}

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

const NO_OUTCOMES = (): Promise<PreparedOutcome[]> => Promise.resolve([]);
const text = (bytes: Buffer | string): string => (typeof bytes === 'string' ? bytes : bytes.toString('utf8'));

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
  let writer: ImportWriter | null = null;
  let snapshotId: number | null = null;
  const workers = deps.workers ?? 0;
  // Started at the first new document: importing a folder again parses nothing and starts none.
  let pool: DocumentPool | null = null;

  const begin = async (): Promise<ImportWriter> => {
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
    return new ImportWriter(deps.store, begun.id, buildAssetIndex(await deps.store.knownAssets()), await deps.store.nextAssetId(), counts);
  };

  const fail = (file: string | null, issues: string[]): void => {
    summary.failed.push({ file, issues });
    progress.failed++;
  };

  /** New documents' outcomes: from a worker (sent now), or prepared here when the batch is handled. */
  const prepare = (documents: PoolDocument[]): (() => Promise<PreparedOutcome[]>) => {
    if (documents.length === 0) return NO_OUTCOMES;
    if (workers === 0) return async () => documents.map((d) => prepareDocumentSafely(text(d.bytes), input.kind));
    pool ??= new DocumentPool(workers, input.kind, deps.workerScript);
    const outcomes = pool.prepare(documents);
    outcomes.catch(() => undefined); // awaited in order later; a failure must not count as unhandled meanwhile
    return () => outcomes;
  };

  // Reads a chunk of files at once (their I/O overlaps), asks the store about their hashes in one
  // query, decides in order what each one is, and sends the new ones to be prepared.
  const load = async (chunk: DocumentSource[]): Promise<Batch[]> => {
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
    const batches: Batch[] = [];
    for (let i = 0; i < loaded.length; i += BATCH) {
      const items: Item[] = [];
      const documents: PoolDocument[] = [];
      for (const { source, bytes, sha256, error } of loaded.slice(i, i + BATCH)) {
        if (error !== null) {
          items.push({ file: source.file, verdict: 'failed', issues: [error] });
        } else if (bytes.length > MAX_DOCUMENT_BYTES) {
          items.push({ file: source.file, verdict: 'failed', issues: [`${bytes.length} bytes is more than an inventory document may hold (${MAX_DOCUMENT_BYTES})`] });
        } else if (seenHashes.has(sha256) || known.has(sha256)) {
          seenHashes.add(sha256);
          items.push({ file: source.file, verdict: 'unchanged' });
        } else {
          seenHashes.add(sha256);
          items.push({ file: source.file, verdict: 'new', sha256, at: documents.length });
          documents.push({ file: source.file, bytes });
        }
      }
      batches.push({ items, outcomes: prepare(documents) });
    }
    return batches;
  };

  const handle = async (batch: Batch): Promise<void> => {
    const outcomes = await batch.outcomes();
    for (const item of batch.items) {
      summary.documents++;
      progress.read++;
      if (item.verdict === 'failed') fail(item.file, item.issues);
      else if (item.verdict === 'unchanged') {
        summary.unchanged++;
        progress.skipped++;
      } else {
        const outcome = outcomes[item.at]!;
        if (!outcome.ok) fail(item.file, outcome.issues);
        else {
          writer ??= await begin();
          const assetId = await writer.add(outcome, { sha256: item.sha256, collectedAt: outcome.seenAt, file: item.file, importedAt: deps.now().toISOString() });
          summary.imported++;
          progress.imported++;
          if (summary.assets.length < LISTED_ASSETS) summary.assets.push({ file: item.file, assetId, hostname: outcome.hostname });
        }
      }
      deps.onProgress?.(progress);
    }
  };

  let status: SnapshotStatus = 'complete';
  try {
    const sources = chunks(input.sources, CHUNK)[Symbol.asyncIterator]();
    const next = (): Promise<Batch[] | null> | null => {
      if (deps.signal.aborted) return null;
      const loading = sources.next().then((n) => (n.done ? null : load(n.value)));
      loading.catch(() => undefined); // awaited below; may settle while a batch is being written
      return loading;
    };
    // Batches in the sources' order. The next chunk is read while the batches before it are
    // handled; reading waits while `limit` batches are waiting (the bounded queue).
    const queue: Batch[] = [];
    const limit = Math.max(1, workers * IN_FLIGHT_PER_WORKER);
    let loading = next();
    for (;;) {
      while (loading !== null && queue.length < limit) {
        const batches = await loading;
        if (batches === null) loading = null;
        else {
          queue.push(...batches);
          loading = next();
        }
      }
      const batch = queue.shift();
      if (batch === undefined) break;
      await handle(batch);
    }
    if (deps.signal.aborted) status = 'interrupted';
  } catch (error) {
    if (writer !== null && snapshotId !== null) {
      const w: ImportWriter = writer;
      await w.flush().catch(() => undefined);
      await deps.store.finishSnapshot(snapshotId, 'failed', counts, deps.now().toISOString()).catch(() => undefined);
    }
    throw error;
  } finally {
    await (pool as DocumentPool | null)?.close();
  }
  counts.probed = summary.documents;
  counts.alive = summary.imported + summary.unchanged;
  counts.failedTargets = summary.failed.length;
  if (writer !== null && snapshotId !== null) {
    const w: ImportWriter = writer;
    await w.flush();
    await deps.store.finishSnapshot(snapshotId, status, counts, deps.now().toISOString());
    summary.status = status;
  }
  summary.durationMs = deps.now().getTime() - started.getTime();
  return summary;
}
