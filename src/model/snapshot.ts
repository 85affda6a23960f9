export const SNAPSHOT_STATUSES = ['running', 'complete', 'interrupted', 'failed'] as const;
export type SnapshotStatus = (typeof SNAPSHOT_STATUSES)[number];

/**
 * What made a snapshot: a network `scan` (its absences mean "missing"), or a `local` probe / an
 * `import` of inventory documents, which speak only for the machines they hold.
 */
export const SNAPSHOT_KINDS = ['scan', 'local', 'import'] as const;
export type SnapshotKind = (typeof SNAPSHOT_KINDS)[number];

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
  kind: SnapshotKind;
  label: string | null;
  targets: string[];
  scanners: string[];
  /** Options of the run, without secrets. */
  options: Record<string, unknown>;
  counts: SnapshotCounts;
  toolVersion: string;
  pid: number | null;
  host: string | null;
  /** Set when `netcensus prune` removed this run's records (all but first and latest sightings). */
  prunedAt?: string;
}
