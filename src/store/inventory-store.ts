// The store's interface: what the commands need from persistence. SQLite implements it today; a
// shared PostgreSQL store (many sites feeding one inventory) can implement it later without
// touching scanners or the pure core.
import type {
  DeviceSummary,
  Evidence,
  Facts,
  IdentityConflict,
  InventoryEntry,
  ScanStatus,
  Snapshot,
  SnapshotCounts,
  SnapshotStatus,
} from '../model/index.js';

export interface NewSnapshot {
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
  statuses: Record<string, ScanStatus>;
  evidence: Evidence[];
  conflicts: IdentityConflict[];
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
  commitBatch(snapshotId: number, inserts: RecordRow[], updates?: RecordRow[]): Promise<void>;
  finishSnapshot(id: number, status: SnapshotStatus, counts: SnapshotCounts, finishedAt: string): Promise<void>;
  listSnapshots(): Promise<Snapshot[]>;
  getSnapshot(id: number): Promise<Snapshot | null>;
  /** The N-th latest complete snapshot (0 = latest). */
  latestComplete(offset: number): Promise<Snapshot | null>;
  /** The last complete snapshot started before `isoInstant`. */
  lastCompleteBefore(isoInstant: string): Promise<Snapshot | null>;
  /**
   * The inventory as of a snapshot: every asset known by then (in complete snapshots, or this
   * one), in its latest state up to it, marked seen in it or missing since its last sighting.
   */
  inventoryAsOf(snapshotId: number, filter?: InventoryFilter, options?: { withFacts?: boolean }): Promise<InventoryEntry[]>;
  assetHistory(assetId: number): Promise<AssetSighting[]>;
  assetExists(assetId: number): Promise<boolean>;
  close(): Promise<void>;
}
