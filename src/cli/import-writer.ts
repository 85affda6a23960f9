// Writes an import's (or a local probe's) records as they come: resolves each prepared document to
// an asset, merges a machine met twice in the run into one row, and commits rows, their assets and
// their documents' hashes in large transactions.
//
// Like the scan's SnapshotWriter (snapshot-writer.ts), but for records that arrive already
// prepared (prepare-document.ts): a summary for identity and the facts as stored JSON text, so the
// main thread never parses or serialises a document's facts. Only a machine met twice in one run
// (two documents of it in the folder) has its facts parsed again, to merge them; the newer
// document's facts win (mergeRows below; SnapshotWriter, for scans, keeps the first row's).
//
// Memory stays flat in the number of documents: a batch is bounded in rows and in bytes, and once
// committed only a stub of each row is kept (identity keeps each asset's summary in its index).
//
// Batches end by count and size only, never by the clock: whether a machine's second document finds
// its first one pending or committed decides small things (the asset's created_at), and that must
// not depend on how fast the documents came (the worker threads' timing). At the import's pace a
// batch is committed every second or two.
import { addToIndex, resolveIdentity, type AssetIndex } from '../inventory/identity.js';
import { mergeFacts } from '../inventory/merge-observations.js';
import { summarize } from '../inventory/summarize.js';
import type { DeviceSummary, Evidence, Facts, IdentityConflict, Observation, ScanStatus, SnapshotCounts } from '../model/index.js';
import type { ImportedDocument, InventoryStore, RecordRow } from '../store/inventory-store.js';
import type { PreparedDocument } from './prepare-document.js';

/** A batch is committed when it holds this many rows or this many bytes of facts. */
const BATCH_ROWS = 256;
const BATCH_BYTES = 16 * 1024 * 1024;

/** The document a record came from, written in the records' transaction (idempotent imports). */
export type DocumentRef = Omit<ImportedDocument, 'assetId'>;

/** A committed row without its facts: enough to know it must be read back to merge. */
interface Committed {
  committed: true;
}

export class ImportWriter {
  private readonly claimed = new Set<number>();
  /** This run's row per asset: pending in full (facts as JSON, text or bytes), committed as a stub. */
  private readonly rows = new Map<number, PendingRow | Committed>();
  private pendingInserts: PendingRow[] = [];
  private pendingUpdates = new Set<number>();
  private pendingDocuments: ImportedDocument[] = [];
  private pendingBytes = 0;

  constructor(
    private readonly store: InventoryStore,
    private readonly snapshotId: number,
    private readonly index: AssetIndex,
    private nextId: number,
    private readonly counts: SnapshotCounts,
  ) {}

  /** Resolves and queues one prepared document's record; returns the asset it was written to. */
  async add(doc: PreparedDocument, document: DocumentRef): Promise<number> {
    const identity = resolveIdentity(doc.summary, this.index, { claimed: this.claimed });
    const known = identity.assetId !== null ? this.rows.get(identity.assetId) : undefined;
    let assetId: number;
    if (known !== undefined) {
      // A machine met again in this run: one row per asset and snapshot, the facts merged.
      assetId = identity.assetId as number;
      const existing = 'committed' in known ? await this.store.snapshotRecord(this.snapshotId, assetId) : withFacts(known);
      if (existing === null) throw new Error(`snapshot ${this.snapshotId}: committed record of asset ${assetId} not found`);
      const merged = mergeRows(existing, doc);
      this.rows.set(assetId, merged);
      const at = 'committed' in known ? -1 : this.pendingInserts.indexOf(known);
      if (at >= 0) {
        this.pendingBytes -= (known as PendingRow).bytes;
        this.pendingInserts[at] = merged;
      } else {
        this.pendingUpdates.add(assetId);
      }
      this.pendingBytes += merged.bytes;
      addToIndex(this.index, { id: assetId, ...merged.summary });
    } else {
      const newAsset = identity.assetId === null;
      assetId = identity.assetId ?? this.nextId++;
      const row = new PendingRow(assetId, newAsset, doc.seenAt, doc.summary, doc.factsJson, doc.statuses, identity.evidence, identity.conflicts);
      this.claimed.add(assetId);
      this.rows.set(assetId, row);
      this.pendingInserts.push(row);
      this.pendingBytes += row.bytes;
      addToIndex(this.index, { id: assetId, ...doc.summary });
      this.counts.records++;
      if (newAsset) this.counts.newAssets++;
    }
    this.pendingDocuments.push({ ...document, assetId });
    if (this.pendingInserts.length >= BATCH_ROWS || this.pendingBytes >= BATCH_BYTES) await this.flush();
    return assetId;
  }

  /** Commits the pending rows, their new assets and their documents in one transaction. */
  async flush(): Promise<void> {
    if (this.pendingInserts.length === 0 && this.pendingUpdates.size === 0 && this.pendingDocuments.length === 0) return;
    const inserts = this.pendingInserts;
    const updates = [...this.pendingUpdates].map((id) => this.rows.get(id) as PendingRow);
    const documents = this.pendingDocuments;
    this.pendingInserts = [];
    this.pendingUpdates = new Set();
    this.pendingDocuments = [];
    this.pendingBytes = 0;
    await this.store.commitBatch(this.snapshotId, inserts, updates, documents);
    for (const row of inserts) this.rows.set(row.assetId, { committed: true });
    for (const row of updates) this.rows.set(row.assetId, { committed: true });
  }
}

/**
 * A row waiting for its batch: its facts only as stored JSON, text or UTF-8 bytes, which the store
 * reads (RecordRow.factsJson) as it writes the row, so that a batch's facts never sit in the JS
 * heap as strings (a collection would copy them, then promote them) and each is decoded only for
 * the moment it is bound.
 */
class PendingRow implements RecordRow {
  readonly facts: Facts = {};

  constructor(
    readonly assetId: number,
    readonly newAsset: boolean,
    readonly seenAt: string,
    readonly summary: DeviceSummary,
    private readonly json: string | Uint8Array,
    readonly statuses: Record<string, ScanStatus>,
    readonly evidence: Evidence[],
    readonly conflicts: IdentityConflict[],
  ) {}

  get factsJson(): string {
    return typeof this.json === 'string' ? this.json : Buffer.from(this.json.buffer, this.json.byteOffset, this.json.byteLength).toString('utf8');
  }

  /** About how much memory its facts hold, for the batch's bound. */
  get bytes(): number {
    return this.json.length;
  }
}

/** A pending row with its facts as objects again. */
function withFacts(row: PendingRow): RecordRow {
  const { assetId, newAsset, seenAt, summary, statuses, evidence, conflicts } = row;
  return { assetId, newAsset, seenAt, summary, facts: JSON.parse(row.factsJson) as Facts, statuses, evidence, conflicts };
}

const factsText = (json: string | Uint8Array): string => (typeof json === 'string' ? json : Buffer.from(json.buffer, json.byteOffset, json.byteLength).toString('utf8'));

/**
 * A row of this run merged with another document of the same machine: the newer document's facts
 * first (the opposite of SnapshotWriter's rule for scans, for this reason: the
 * latest document of a machine is its current state).
 */
function mergeRows(row: RecordRow, doc: PreparedDocument): PendingRow {
  const asObservation = (address: string, facts: Facts, at: string): Observation => ({ scanner: 'merged', address, at, status: 'ok', facts });
  const old = asObservation(row.summary.address, row.facts, row.seenAt);
  const fresh = asObservation(doc.address, JSON.parse(factsText(doc.factsJson)) as Facts, doc.seenAt);
  const newerFirst = doc.seenAt > row.seenAt;
  const facts = mergeFacts(newerFirst ? [fresh, old] : [old, fresh]);
  const statuses: Record<string, ScanStatus> = { ...doc.statuses, ...row.statuses };
  const address = newerFirst ? doc.address : row.summary.address;
  const addresses = [...new Set([address, ...row.summary.addresses, ...doc.addresses])];
  const summary = summarize({ address, addresses, facts, statuses, observations: [] });
  const seenAt = newerFirst ? doc.seenAt : row.seenAt;
  return new PendingRow(row.assetId, row.newAsset, seenAt, summary, JSON.stringify(facts), statuses, row.evidence, row.conflicts);
}
