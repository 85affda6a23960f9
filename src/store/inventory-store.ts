// The store's interface: what the commands need from persistence. SQLite implements it today; a
// shared PostgreSQL store (many sites feeding one inventory) can implement it later without
// touching scanners or the pure core.
import type {
  DeviceSummary,
  Evidence,
  FactKey,
  Facts,
  IdentityConflict,
  InventoryEntry,
  ScanStatus,
  Snapshot,
  SnapshotCounts,
  SnapshotKind,
  SnapshotStatus,
} from '../model/index.js';

export interface NewSnapshot {
  /** Default 'scan'. */
  kind?: SnapshotKind;
  startedAt: string;
  label: string | null;
  targets: string[];
  scanners: string[];
  options: Record<string, unknown>;
  toolVersion: string;
  pid: number;
  host: string;
}

export interface BegunSnapshot {
  id: number;
  /** Snapshots of dead runs that this call marked interrupted. */
  interrupted: number[];
}

/** One device record ready to write, already resolved to an asset by inventory/identity. */
export interface RecordRow {
  assetId: number;
  /** True when the identity resolution created this asset in this run. */
  newAsset: boolean;
  seenAt: string;
  summary: DeviceSummary;
  facts: Facts;
  /**
   * The facts already serialised, as they are stored; when set, it is what is written and `facts`
   * is not read (the snapshot writer of an import keeps its pending rows' facts as text only, so
   * that big documents do not stay in the heap as objects until their batch is committed).
   */
  factsJson?: string;
  statuses: Record<string, ScanStatus>;
  evidence: Evidence[];
  conflicts: IdentityConflict[];
}

/** An inventory document written with the records of an import, so that importing it again is a no-op. */
export interface ImportedDocument {
  sha256: string;
  assetId: number;
  /** When the machine was probed (the document's collectedAt). */
  collectedAt: string;
  file: string | null;
  importedAt: string;
}

/** One record of a snapshot with some of its facts (InventoryStore.snapshotRecordFacts). */
export interface SnapshotRecordFacts {
  assetId: number;
  summary: DeviceSummary;
  facts: Facts;
}

/** Facts to set on one record of a snapshot (InventoryStore.updateSnapshotFacts). */
export interface SnapshotFactsUpdate {
  assetId: number;
  facts: Facts;
}

/** An asset's latest known state, for identity resolution. */
export type KnownAssetRow = DeviceSummary & { id: number };

/** One sighting of an asset, for `netcensus asset ID`. */
export interface AssetSighting {
  snapshot: Snapshot;
  seenAt: string;
  summary: DeviceSummary;
  facts: Facts;
  statuses: Record<string, ScanStatus>;
  evidence: Evidence[];
  conflicts: IdentityConflict[];
}

export interface InventoryFilter {
  type?: string;
  vendor?: string;
  /** Case-insensitive substring over address, hostname, vendor, model, serial, MACs. */
  search?: string;
}

export interface InventoryOptions {
  /** Include the full merged facts of each entry. */
  withFacts?: boolean;
  /** With withFacts: keep only these facts (what a diff compares), to hold less in memory. */
  factKeys?: readonly FactKey[];
}

export interface PairOptions extends InventoryOptions {
  /** Leave out assets whose state is the same on both sides (see streamInventoryPairs). */
  skipUnchanged?: boolean;
  /**
   * Only the assets whose id is in this range (both ends included; an end left out is open), so
   * that parts of one diff can be read apart (a thread each) and together give the whole.
   */
  assetIds?: { from?: number; to?: number };
}

/** The ids of the assets known as of a snapshot (a record in it or before, of any status): lowest, highest. */
export interface AssetIdSpan {
  lowest: number;
  highest: number;
}

export interface InventoryStore {
  readonly path: string;
  /**
   * The scan lock and the start of a run, in one exclusive transaction: a `running` snapshot whose
   * process is alive means another scan holds the database (LockHeldError); one whose process is
   * gone is marked `interrupted`. Then this run's snapshot row is written as `running`.
   */
  beginSnapshot(snapshot: NewSnapshot, isRunAlive: (pid: number, host: string) => boolean): Promise<BegunSnapshot>;
  /** The id the next new asset gets (ids are handed out by the scan that holds the lock). */
  nextAssetId(): Promise<number>;
  knownAssets(): Promise<KnownAssetRow[]>;
  /**
   * Writes new records (and the assets they create) and replaces records already written in this
   * snapshot (a device found again at another address), in one transaction.
   */
  commitBatch(snapshotId: number, inserts: RecordRow[], updates?: RecordRow[], documents?: ImportedDocument[]): Promise<void>;
  /** This snapshot's record of an asset, if written. */
  snapshotRecord(snapshotId: number, assetId: number): Promise<RecordRow | null>;
  /**
   * This snapshot's records, each with its summary and only the named facts: what a pass over a
   * finished scan needs (inventory/attach-to-switch-ports), without parsing every record's facts.
   */
  snapshotRecordFacts(snapshotId: number, factKeys: readonly FactKey[]): Promise<SnapshotRecordFacts[]>;
  /**
   * Sets facts on records already written in this snapshot (merged into their stored facts, other
   * facts untouched), all in one transaction. Only facts that no indexed column derives from: the
   * summary columns are not recomputed.
   */
  updateSnapshotFacts(snapshotId: number, updates: readonly SnapshotFactsUpdate[]): Promise<void>;
  /** Which of these document hashes were imported by a complete snapshot already. */
  importedHashes(sha256s: readonly string[]): Promise<Set<string>>;
  /** Marks a snapshot finished; `details` (what the run found out about itself) join its options. */
  finishSnapshot(id: number, status: SnapshotStatus, counts: SnapshotCounts, finishedAt: string, details?: Record<string, unknown>): Promise<void>;
  listSnapshots(): Promise<Snapshot[]>;
  getSnapshot(id: number): Promise<Snapshot | null>;
  /** The N-th latest complete snapshot (0 = latest). */
  latestComplete(offset: number): Promise<Snapshot | null>;
  /** The last complete snapshot started before `isoInstant`. */
  lastCompleteBefore(isoInstant: string): Promise<Snapshot | null>;
  /**
   * The inventory as of a snapshot: every asset known by then (in complete snapshots, or this
   * one), in its latest state up to it, marked seen in it or missing since its last sighting.
   * The state combines the latest network record and the latest document record (store/combine-views);
   * an asset is missing only when a network scan after its last sighting (up to this snapshot) did
   * not see it: local probes and imports never make other assets missing, and an asset known only
   * from documents is never missing.
   */
  inventoryAsOf(snapshotId: number, filter?: InventoryFilter, options?: InventoryOptions): Promise<InventoryEntry[]>;
  /**
   * `inventoryAsOf` one entry at a time, same entries in the same order, so exports of any size
   * run in flat memory. Finish or break out of one stream before starting another query.
   */
  streamInventoryAsOf(snapshotId: number, filter?: InventoryFilter, options?: InventoryOptions): AsyncIterable<InventoryEntry>;
  /**
   * Two snapshots' inventories (as `inventoryAsOf` gives them) side by side, asset by asset in
   * ascending asset id: [before, after], null on the side that does not know the asset. A diff
   * then holds only its changes. With `skipUnchanged`, assets whose state is the same on both sides
   * (seen or missing on both; of each view the same record, or records equal in every field a diff
   * compares and in the facts read) are left out: they can hold no change. Finish or break out of
   * it before starting another query.
   */
  streamInventoryPairs(fromId: number, toId: number, options?: PairOptions): AsyncIterable<[InventoryEntry | null, InventoryEntry | null]>;
  /**
   * The lowest and highest asset id known as of the snapshot (null when none is): asset ids are
   * handed out one after another, so the span says about how many assets there are, and where to
   * cut streamInventoryPairs into parts of about the same size (PairOptions.assetIds).
   */
  assetIdSpan(snapshotId: number): Promise<AssetIdSpan | null>;
  /** Size and churn of the inventory at each of the last `limit` complete snapshots up to this one. */
  snapshotHistory(snapshotId: number, limit: number): Promise<SnapshotHistoryPoint[]>;
  assetHistory(assetId: number): Promise<AssetSighting[]>;
  assetExists(assetId: number): Promise<boolean>;
  close(): Promise<void>;
}

/** One point of the report's history charts. */
export interface SnapshotHistoryPoint {
  snapshotId: number;
  startedAt: string;
  kind: string;
  label: string | null;
  /** Assets known as of this snapshot (seen in it or missing). */
  known: number;
  /** Records in this snapshot. */
  seen: number;
  /** Assets first seen in it. */
  added: number;
  /** Seen in the previous complete scan, not in this one (scans only). */
  removed: number;
  /** Seen in both with a field changed, or back after an absence (scans only). */
  changed: number;
}
