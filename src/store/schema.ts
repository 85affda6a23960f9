// Table types for kysely. JSON columns are stored as TEXT and parsed at the edge of the store.
import type { Generated } from 'kysely';

export interface SnapshotsTable {
  id: Generated<number>;
  started_at: string;
  finished_at: string | null;
  status: string;
  kind: Generated<string>;
  label: string | null;
  targets: string;
  scanners: string;
  options: string;
  counts: string;
  tool_version: string;
  pid: number | null;
  host: string | null;
  /** When `netcensus prune` removed this snapshot's records (schema 3); null = intact. */
  pruned_at: Generated<string | null>;
}

export interface AssetsTable {
  id: number;
  created_snapshot_id: number;
  created_at: string;
}

export interface RecordsTable {
  id: Generated<number>;
  snapshot_id: number;
  asset_id: number;
  seen_at: string;
  address: string;
  address_num: number | null;
  addresses: string;
  macs: string;
  hostname: string | null;
  vendor: string | null;
  model: string | null;
  serial: string | null;
  type: string | null;
  os: string | null;
  firmware: string | null;
  smbios_uuid: string | null;
  snmp_engine_id: string | null;
  open_ports: string;
  facts: string;
  statuses: string;
  evidence: string;
  conflicts: string;
}

export interface RecordMacsTable {
  record_id: number;
  snapshot_id: number;
  asset_id: number;
  mac: string;
}

export interface ImportedDocumentsTable {
  sha256: string;
  snapshot_id: number;
  asset_id: number;
  collected_at: string;
  file: string | null;
  imported_at: string;
}

/** Per asset and view, its first and latest record (migration 4; kept by commitBatch). */
export interface AssetViewsTable {
  asset_id: number;
  /** 1: the network view (scan snapshots); 0: the document view (local probes, imports). */
  is_scan: number;
  first_snapshot_id: number;
  first_seen_at: string;
  last_snapshot_id: number;
  last_record_id: number;
}

export interface Database {
  snapshots: SnapshotsTable;
  assets: AssetsTable;
  records: RecordsTable;
  record_macs: RecordMacsTable;
  imported_documents: ImportedDocumentsTable;
  asset_views: AssetViewsTable;
}
