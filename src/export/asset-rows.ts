// The rows of an inventory listing or export, built from plain data (pure). Column order is part of
// the file format users script against: add columns at the end.
import type { InventoryEntry } from '../model/index.js';
import { connectionOf, type SwitchPort } from './connections.js';

export interface AssetRow {
  asset_id: number;
  status: string;
  type: string;
  vendor: string;
  model: string;
  serial: string;
  hostname: string;
  address: string;
  addresses: string;
  macs: string;
  os: string;
  firmware: string;
  open_ports: string;
  first_seen: string;
  last_seen: string;
  snapshot_id: number;
}

/** The default CSV columns, in order. */
export const ASSET_COLUMNS: readonly (keyof AssetRow)[] = [
  'asset_id',
  'status',
  'type',
  'vendor',
  'model',
  'serial',
  'hostname',
  'address',
  'addresses',
  'macs',
  'os',
  'firmware',
  'open_ports',
  'first_seen',
  'last_seen',
  'snapshot_id',
];

/** Columns read from the full facts and the switches' forwarding tables: CSV gives them on request. */
export interface AssetDetailRow {
  location: string;
  switch: string;
  switch_port: string;
}

export type AssetCsvColumn = keyof AssetRow | keyof AssetDetailRow;

export const DETAIL_COLUMNS: readonly (keyof AssetDetailRow)[] = ['location', 'switch', 'switch_port'];
export const ALL_ASSET_COLUMNS: readonly AssetCsvColumn[] = [...ASSET_COLUMNS, ...DETAIL_COLUMNS];

/** "seen", or "missing since <date of last sighting>". */
export function assetStatus(entry: InventoryEntry): string {
  return entry.seen ? 'seen' : `missing since ${entry.lastSeenAt.slice(0, 10)}`;
}

export function assetRow(entry: InventoryEntry): AssetRow {
  return {
    asset_id: entry.assetId,
    status: assetStatus(entry),
    type: entry.type ?? '',
    vendor: entry.vendor ?? '',
    model: entry.model ?? '',
    serial: entry.serial ?? '',
    hostname: entry.hostname ?? '',
    address: entry.address,
    addresses: entry.addresses.join(' '),
    macs: entry.macs.join(' '),
    os: entry.os ?? '',
    firmware: entry.firmware ?? '',
    open_ports: entry.openPorts.join(' '),
    first_seen: entry.firstSeenAt,
    last_seen: entry.lastSeenAt,
    snapshot_id: entry.snapshotId,
  };
}

/** Location (sysLocation, or the machine's own word) and the switch port, when known. */
export function assetDetails(entry: InventoryEntry, connections: ReadonlyMap<string, SwitchPort>): AssetDetailRow {
  const link = connectionOf(entry, connections);
  return {
    location: entry.facts?.location?.value ?? '',
    switch: link?.switchName ?? '',
    switch_port: link?.port ?? '',
  };
}
