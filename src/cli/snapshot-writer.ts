// Writes one snapshot's device records as they come: resolves each record to an asset, merges a
// device met twice in the run into one row, and commits rows in batches (at least once a second).
// Used by `scan` (run-scan.ts); imports have their own writer for prepared documents
// (import-writer.ts), which keeps the newest document's facts where this keeps the first row's.
//
// Memory stays flat in the size of the run: once a batch is committed, the writer keeps only each
// row's summary (for merging and identity); a device met again after its row was committed is
// merged with that row read back from the store.
import { addToIndex, resolveIdentity, type AssetIndex } from '../inventory/identity.js';
import { mergeFacts } from '../inventory/merge-observations.js';
import { summarize } from '../inventory/summarize.js';
import type { DeviceRecord, Observation, SnapshotCounts } from '../model/index.js';
import type { ImportedDocument, InventoryStore, RecordRow } from '../store/inventory-store.js';

const BATCH_ROWS = 200;
const BATCH_MS = 1000;

/** The document a record came from, written in the records' transaction (idempotent imports). */
export type DocumentRef = Omit<ImportedDocument, 'assetId'>;

/** A committed row without its facts: enough for merging decisions and identity. */
interface Committed {
  committed: true;
  seenAt: string;
}

/**
 * Resolves each record to an asset and writes rows in batches. A device found again at a second
 * address in the same run (strong evidence: serial, UUID, engine id, MAC) is merged into the row
 * already written for it, so an asset has one record per snapshot.
 */
export class SnapshotWriter {
  private readonly claimed = new Set<number>();
  /** This run's row per asset: pending in full, committed as a stub. */
  private readonly rows = new Map<number, RecordRow | Committed>();
  private pendingInserts: RecordRow[] = [];
  private pendingUpdates = new Set<number>();
  private pendingDocuments: ImportedDocument[] = [];
  private lastFlush = Date.now();
  private flushing: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly store: InventoryStore,
    private readonly snapshotId: number,
    private readonly index: AssetIndex,
    private nextId: number,
    private readonly counts: SnapshotCounts,
  ) {
    // Commit what has been found at least once a second, even when hosts trickle in.
    this.timer = setInterval(() => void this.flush().catch(() => undefined), BATCH_MS);
    this.timer.unref();
  }

  /** Resolves and queues one record; returns the asset it was written to. */
  async add(record: DeviceRecord, seenAt: string, document?: DocumentRef): Promise<number> {
    const summary = summarize(record);
    const identity = resolveIdentity(summary, this.index, { claimed: this.claimed });
    const known = identity.assetId !== null ? this.rows.get(identity.assetId) : undefined;
    let assetId: number;
    if (known) {
      assetId = identity.assetId as number;
      // Let a pending flush finish first, so a stub's row is in the store when it is read back.
      if ('committed' in known) await this.flushing;
      const existing = 'committed' in known ? await this.store.snapshotRecord(this.snapshotId, assetId) : known;
      if (existing === null) throw new Error(`snapshot ${this.snapshotId}: committed record of asset ${assetId} not found`);
      const merged = mergeRows(existing, record, seenAt);
      this.rows.set(assetId, merged);
      const pendingAt = 'committed' in known ? -1 : this.pendingInserts.indexOf(known);
      if (pendingAt >= 0) {
        this.pendingInserts[pendingAt] = merged;
      } else {
        this.pendingUpdates.add(assetId);
      }
      addToIndex(this.index, { id: assetId, ...merged.summary });
    } else {
      const newAsset = identity.assetId === null;
      assetId = identity.assetId ?? this.nextId++;
      const row: RecordRow = {
        assetId,
        newAsset,
        seenAt,
        summary,
        facts: record.facts,
        statuses: record.statuses,
        evidence: identity.evidence,
        conflicts: identity.conflicts,
      };
      this.claimed.add(assetId);
      this.rows.set(assetId, row);
      this.pendingInserts.push(row);
      addToIndex(this.index, { id: assetId, ...summary });
      this.counts.records++;
      if (newAsset) this.counts.newAssets++;
    }
    if (document) this.pendingDocuments.push({ ...document, assetId });
    if (this.pendingInserts.length >= BATCH_ROWS || Date.now() - this.lastFlush >= BATCH_MS) await this.flush();
    return assetId;
  }

  /** Commits pending rows in one transaction; calls are serialised. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.pendingInserts.length === 0 && this.pendingUpdates.size === 0 && this.pendingDocuments.length === 0) return;
      const inserts = this.pendingInserts;
      const updates = [...this.pendingUpdates].map((id) => this.rows.get(id) as RecordRow);
      const documents = this.pendingDocuments;
      this.pendingInserts = [];
      this.pendingUpdates = new Set();
      this.pendingDocuments = [];
      this.lastFlush = Date.now();
      await this.store.commitBatch(this.snapshotId, inserts, updates, documents);
      for (const row of [...inserts, ...updates]) {
        // Only if nothing replaced it while the batch was being written.
        if (this.rows.get(row.assetId) === row) this.rows.set(row.assetId, { committed: true, seenAt: row.seenAt });
      }
    });
    return this.flushing;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** A device met twice in a scan: the row written first (its first address) keeps precedence. */
function mergeRows(row: RecordRow, record: DeviceRecord, seenAt: string): RecordRow {
  const asObservation = (address: string, facts: RecordRow['facts'], at: string): Observation => ({
    scanner: 'merged',
    address,
    at,
    status: 'ok',
    facts,
  });
  const old = asObservation(row.summary.address, row.facts, row.seenAt);
  const fresh = asObservation(record.address, record.facts, seenAt);
  const facts = mergeFacts([old, fresh]);
  const statuses = { ...record.statuses, ...row.statuses };
  const address = row.summary.address;
  const addresses = [...new Set([address, ...row.summary.addresses, ...record.addresses])];
  const summary = summarize({ address, addresses, facts, statuses, observations: [] });
  return { ...row, facts, statuses, summary };
}
