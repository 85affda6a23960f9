export const SNAPSHOT_STATUSES = ['running', 'complete', 'interrupted', 'failed'] as const;
export type SnapshotStatus = (typeof SNAPSHOT_STATUSES)[number];

export interface SnapshotCounts {
  /** Addresses probed. */
  probed: number;
  alive: number;
  /** Device records stored. */
  records: number;
  newAssets: number;
  /** Targets (hostnames, specs) that could not be scanned at all. */
  failedTargets: number;
}

export interface Snapshot {
  id: number;
  startedAt: string;
  finishedAt: string | null;
  status: SnapshotStatus;
  label: string | null;
  targets: string[];
  scanners: string[];
  /** Options of the run, without secrets. */
  options: Record<string, unknown>;
  counts: SnapshotCounts;
  toolVersion: string;
  pid: number | null;
  host: string | null;
}
