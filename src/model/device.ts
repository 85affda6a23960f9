import type { DeviceType, Facts } from './facts.js';
import type { Observation, ScanStatus } from './observation.js';

/**
 * All observations of one device in one snapshot, merged. A router answering on three
 * addresses is one record.
 */
export interface DeviceRecord {
  /** The address the device was first found at in this snapshot; the record's display address. */
  address: string;
  addresses: string[];
  facts: Facts;
  /** Outcome per scanner, e.g. { "discover:tcp": "ok", "dns": "timeout" }. */
  statuses: Record<string, ScanStatus>;
  observations: Observation[];
}

/** The flat, indexed summary of a record: what listings, filters, identity and diff use. */
export interface DeviceSummary {
  address: string;
  addresses: string[];
  macs: string[];
  hostname: string | null;
  vendor: string | null;
  model: string | null;
  serial: string | null;
  type: DeviceType | null;
  os: string | null;
  firmware: string | null;
  smbiosUuid: string | null;
  snmpEngineId: string | null;
  openPorts: number[];
}

/** Why a record was matched to an asset, strongest rule first. */
export type EvidenceRule = 'serial' | 'smbios-uuid' | 'snmp-engine-id' | 'mac' | 'hostname' | 'address';

export interface Evidence {
  rule: EvidenceRule;
  /** The value that matched ("aa:bb:cc:dd:ee:ff", "HP/CN12345"). */
  value: string;
  assetId: number;
}

export interface IdentityConflict {
  rule: EvidenceRule;
  value: string;
  /** The asset the weaker evidence pointed at, which lost. */
  assetId: number;
  note: string;
}

export interface IdentityResult {
  /** The matched asset, or null for a new one. */
  assetId: number | null;
  /** The evidence that decided, strongest first; empty for a new asset. */
  evidence: Evidence[];
  conflicts: IdentityConflict[];
}

/** A device's identity across snapshots, with a stable id. */
export interface Asset extends DeviceSummary {
  id: number;
  firstSeenAt: string;
  lastSeenAt: string;
  firstSnapshotId: number;
  lastSnapshotId: number;
}

/** An asset as of one snapshot: its latest state up to it, seen in it or missing since. */
export interface InventoryEntry extends DeviceSummary {
  assetId: number;
  /** The snapshot the state comes from. */
  snapshotId: number;
  seen: boolean;
  firstSeenAt: string;
  lastSeenAt: string;
  /** The full merged facts, when asked for (JSON export). */
  facts?: Facts;
}
