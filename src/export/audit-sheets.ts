// The audit workbook as plain data (pure): which sheets, their columns, and their rows built from
// the inventory, the changes and the details the facts hold. write-xlsx.ts turns this into a file;
// nothing here touches the disk, the clock or the store.
//
// Values keep their types: numbers stay numbers, times are Dates (written as real Excel dates, in
// UTC), and strings are the raw text (the writer sanitises every one of them). A sheet with nothing
// to show gets a one-row note saying why, never an empty grid.
import type {
  Change,
  Facts,
  ForwardingEntry,
  InventoryEntry,
  NetInterface,
  Neighbor,
  PrinterDetails,
  Snapshot,
  SoftwarePackage,
} from '../model/index.js';
import { compareAddresses } from '../model/compare-addresses.js';
import { assetStatus } from './asset-rows.js';
import { buildConnectionMap, connectionOf, normalizeMacText, portName, type NetworkDeviceFacts, type SwitchPort } from './connections.js';
import { redactSecrets } from './redact-secrets.js';

export type CellValue = string | number | Date | null;
export type ColumnKind = 'text' | 'number' | 'date' | 'percent';
export type SheetRow = Record<string, CellValue>;

export interface SheetColumn {
  key: string;
  header: string;
  width: number;
  kind: ColumnKind;
}

export interface SheetSpec {
  name: string;
  columns: SheetColumn[];
  rows: Iterable<SheetRow> | AsyncIterable<SheetRow>;
  /** The one row a sheet without rows shows instead. */
  emptyNote: string;
}

// ---------------------------------------------------------------------------------------------
// Tallies and details, gathered while the inventory streams past

export interface InventoryTally {
  known: number;
  seen: number;
  missing: number;
  /** Seen, with a vendor or a type known. */
  identified: number;
  byType: [string, number][];
  byVendor: [string, number][];
  bySubnet: [string, number][];
}

export class InventoryTallier {
  private known = 0;
  private seen = 0;
  private identified = 0;
  private readonly byType = new Map<string, number>();
  private readonly byVendor = new Map<string, number>();
  private readonly bySubnet = new Map<string, number>();

  add(e: InventoryEntry): void {
    this.known++;
    if (e.seen) {
      this.seen++;
      if (e.vendor || e.type) this.identified++;
    }
    bump(this.byType, e.type ?? '(unknown)');
    bump(this.byVendor, e.vendor ?? '(unknown)');
    bump(this.bySubnet, subnetOf(e.address));
  }

  result(): InventoryTally {
    const byCount = (m: Map<string, number>): [string, number][] =>
      [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    return {
      known: this.known,
      seen: this.seen,
      missing: this.known - this.seen,
      identified: this.identified,
      byType: byCount(this.byType),
      byVendor: byCount(this.byVendor),
      bySubnet: [...this.bySubnet].sort((a, b) => compareAddresses(a[0].split('/')[0]!, b[0].split('/')[0]!)),
    };
  }
}

function bump(m: Map<string, number>, key: string): void {
  m.set(key, (m.get(key) ?? 0) + 1);
}

/** The /24 of an IPv4 address, the /64 of an IPv6 one, else the text itself. */
export function subnetOf(address: string): string {
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.\d+$/.exec(address);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  if (address.includes(':')) {
    const groups = address.split('::')[0]!.split(':').slice(0, 4);
    return `${groups.join(':')}::/64`;
  }
  return address;
}

export interface PrinterFacts {
  entry: InventoryEntry;
  printer: PrinterDetails;
}

export interface SoftwareFacts {
  entry: InventoryEntry;
  packages: SoftwarePackage[];
}

export interface AuditDetails {
  printers: PrinterFacts[];
  network: NetworkDeviceFacts[];
  software: SoftwareFacts[];
  connections: Map<string, SwitchPort>;
  /** The switch port stored on an asset's record by the scan (facts.attachment), by asset id. */
  attached?: Map<number, SwitchPort>;
  /** sysLocation (or the machine's own word) per asset id, where known. */
  locations: Map<number, string>;
}

/** Keeps, of each entry streaming past (with facts), only what the detail sheets need. */
export class AuditDetailsCollector {
  private readonly printers: PrinterFacts[] = [];
  private readonly network: NetworkDeviceFacts[] = [];
  private readonly software: SoftwareFacts[] = [];
  private readonly locations = new Map<number, string>();
  private readonly attached = new Map<number, SwitchPort>();

  /** Returns the entry without its facts. */
  add(entryWithFacts: InventoryEntry): InventoryEntry {
    const facts: Facts = entryWithFacts.facts ?? {};
    const { facts: _f, ...entry } = entryWithFacts;
    const location = facts.location?.value?.trim();
    if (location) this.locations.set(entry.assetId, location);
    const link = connectionOf({ macs: [], facts }, new Map());
    if (link) this.attached.set(entry.assetId, link);
    if (facts.printer?.value) this.printers.push({ entry, printer: facts.printer.value });
    const interfaces = facts.interfaces?.value ?? [];
    const forwarding = facts.forwardingTable?.value ?? [];
    const neighbors = facts.neighbors?.value ?? [];
    if (forwarding.length > 0 || neighbors.length > 0 || (interfaces.length > 0 && isNetworkType(entry.type))) {
      this.network.push({ entry, interfaces, forwarding, neighbors });
    }
    const packages = facts.software?.value ?? [];
    if (packages.length > 0) this.software.push({ entry, packages });
    return entry;
  }

  result(): AuditDetails {
    return {
      printers: this.printers,
      network: this.network,
      software: this.software,
      connections: buildConnectionMap(this.network),
      attached: this.attached,
      locations: this.locations,
    };
  }
}

function isNetworkType(type: string | null): boolean {
  return type === 'switch' || type === 'router' || type === 'firewall' || type === 'ap';
}

// ---------------------------------------------------------------------------------------------
// The sheets

export interface ChangeCountsLike {
  byKind: Record<string, number>;
  byTag: Record<string, number>;
  total: number;
}

export interface AuditInput {
  snapshot: Snapshot;
  /** The snapshot the changes are counted from; null when there is none before. */
  since: Snapshot | null;
  /** What the user asked for with --since, for the sheet names and notes. */
  sinceText: string | null;
  tally: InventoryTally;
  changes: Change[];
  changeCounts: ChangeCountsLike;
  missing: InventoryEntry[];
  details: AuditDetails;
  /** Page counts per printer asset as of `since`. */
  pagesAtSince: Map<number, number>;
  /** Every asset in listing order (type, then address); facts are not needed (see details). */
  assets: Iterable<InventoryEntry> | AsyncIterable<InventoryEntry>;
}

/** Excel refuses : \\ / ? * [ ] in a sheet name and more than 31 characters. */
export function sheetName(text: string): string {
  return text.replace(/[:\\/?*[\]]/g, '-').slice(0, 31);
}

const col = (key: string, header: string, width: number, kind: ColumnKind = 'text'): SheetColumn => ({ key, header, width, kind });

export const date = (iso: string | null | undefined): Date | null => {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
};

export function auditSheets(input: AuditInput): SheetSpec[] {
  const sinceLabel = input.since ? input.since.startedAt.slice(0, 10) : input.sinceText ?? 'previous';
  return [
    summarySheet(input),
    assetsSheet(input),
    changesSheet(input, sinceLabel),
    missingSheet(input),
    printersSheet(input, sinceLabel),
    networkSheet(input),
    softwareSheet(input),
    softwareTitlesSheet(input),
  ];
}

function summarySheet(input: AuditInput): SheetSpec {
  const { snapshot: s, since, tally, changeCounts: cc } = input;
  const rows: SheetRow[] = [];
  const add = (section: string, item: string, value: CellValue, note: string | null = null): void => {
    rows.push({ section, item, value, note });
  };
  add('Snapshot', 'Snapshot id', s.id);
  add('Snapshot', 'Started (UTC)', date(s.startedAt));
  add('Snapshot', 'Finished (UTC)', date(s.finishedAt));
  add('Snapshot', 'Status', s.status);
  if (s.label) add('Snapshot', 'Label', s.label);
  add('Snapshot', 'Targets', s.targets.join(' '));
  add('Snapshot', 'Scanners', s.scanners.join(' '));
  const options = redactSecrets(s.options);
  for (const [k, v] of Object.entries(options)) add('Snapshot', `Option ${k}`, Array.isArray(v) ? v.join(' ') : typeof v === 'object' && v !== null ? JSON.stringify(v) : (v as CellValue));
  add('Snapshot', 'netcensus version', s.toolVersion);
  add('Coverage', 'Addresses probed', s.counts.probed);
  add('Coverage', 'Addresses alive', s.counts.alive);
  add('Coverage', 'Devices stored', s.counts.records);
  add('Coverage', 'Identified (vendor or type known)', tally.identified);
  add('Coverage', 'Assets known', tally.known);
  add('Coverage', 'Assets seen in this snapshot', tally.seen);
  add('Coverage', 'Assets missing (known before, not seen)', tally.missing);
  if (since) {
    add('Changes', 'Compared with snapshot', since.id, `started ${since.startedAt.slice(0, 19).replace('T', ' ')} UTC`);
    for (const [kind, n] of Object.entries(cc.byKind)) add('Changes', kind, n);
    for (const [tag, n] of Object.entries(cc.byTag)) if (tag !== 'replaced') add('Changes', `of which ${tag}`, n);
  } else {
    add('Changes', 'Compared with snapshot', null, 'no complete snapshot before this one');
  }
  for (const [type, n] of tally.byType) add('By type', type, n);
  for (const [vendor, n] of tally.byVendor) add('By vendor', vendor, n);
  for (const [subnet, n] of tally.bySubnet) add('By subnet', subnet, n);
  return {
    name: 'Summary',
    columns: [col('section', 'Section', 14), col('item', 'Item', 40), col('value', 'Value', 28), col('note', 'Note', 40)],
    rows,
    emptyNote: '',
  };
}

export const ASSET_SHEET_COLUMNS: SheetColumn[] = [
  col('asset_id', 'Asset ID', 10, 'number'),
  col('type', 'Type', 13),
  col('vendor', 'Vendor', 16),
  col('model', 'Model', 22),
  col('serial', 'Serial', 18),
  col('hostname', 'Hostname', 30),
  col('address', 'Address', 16),
  col('addresses', 'All addresses', 20),
  col('macs', 'MACs', 20),
  col('os_firmware', 'OS or firmware', 24),
  col('location', 'Location', 22),
  col('switch', 'Switch', 22),
  col('switch_port', 'Port', 12),
  col('first_seen', 'First seen (UTC)', 18, 'date'),
  col('last_seen', 'Last seen (UTC)', 18, 'date'),
  col('status', 'Status', 24),
  col('verified', 'Verified', 10),
  col('verified_by', 'By', 12),
  col('note', 'Note', 30),
];

function assetsSheet(input: AuditInput): SheetSpec {
  const { connections, locations, attached } = input.details;
  async function* rows(): AsyncGenerator<SheetRow> {
    for await (const e of input.assets) {
      const link = attached?.get(e.assetId) ?? connectionOf(e, connections);
      yield {
        asset_id: e.assetId,
        type: e.type,
        vendor: e.vendor,
        model: e.model,
        serial: e.serial,
        hostname: e.hostname,
        address: e.address,
        addresses: e.addresses.join(' '),
        macs: e.macs.join(' '),
        os_firmware: [e.os, e.firmware].filter(Boolean).join(' / ') || null,
        location: locations.get(e.assetId) ?? null,
        switch: link?.switchName ?? null,
        switch_port: link?.port ?? null,
        first_seen: date(e.firstSeenAt),
        last_seen: date(e.lastSeenAt),
        status: assetStatus(e),
        verified: null,
        verified_by: null,
        note: null,
      };
    }
  }
  return { name: 'Assets', columns: ASSET_SHEET_COLUMNS, rows: rows(), emptyNote: 'No assets in this snapshot.' };
}

function show(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (Array.isArray(value)) return value.length === 0 ? null : value.join(' ');
  return String(value);
}

export function changeRows(changes: readonly Change[]): SheetRow[] {
  const rows: SheetRow[] = [];
  for (const c of changes) {
    const e = (c.after ?? c.before)!;
    const base: SheetRow = {
      change: c.kind,
      tags: c.tags.join(' ') || null,
      asset_id: c.assetId,
      replaced_asset_id: c.replacedAssetId ?? null,
      type: e.type,
      vendor: e.vendor,
      model: e.model,
      hostname: e.hostname,
      address: e.address,
      field: null,
      before: null,
      after: null,
      last_seen: c.kind === 'removed' ? date((c.after ?? c.before)!.lastSeenAt) : null,
    };
    const fieldRows: SheetRow[] = c.fields.map((f) => ({ ...base, field: f.field, before: show(f.before), after: show(f.after) }));
    const sw = c.software;
    if (sw) {
      for (const p of sw.installed) fieldRows.push({ ...base, field: 'software installed', before: null, after: [p.name, p.version].filter(Boolean).join(' ') });
      for (const p of sw.removed) fieldRows.push({ ...base, field: 'software removed', before: [p.name, p.version].filter(Boolean).join(' '), after: null });
      for (const p of sw.upgraded) fieldRows.push({ ...base, field: `software ${p.name}`, before: p.before, after: p.after });
    }
    if (fieldRows.length === 0) rows.push(base);
    else rows.push(...fieldRows);
  }
  return rows;
}

function changesSheet(input: AuditInput, sinceLabel: string): SheetSpec {
  return {
    name: sheetName(`Changes since ${sinceLabel}`),
    columns: [
      col('change', 'Change', 10),
      col('tags', 'Tags', 16),
      col('asset_id', 'Asset ID', 10, 'number'),
      col('replaced_asset_id', 'Replaces asset', 12, 'number'),
      col('type', 'Type', 13),
      col('vendor', 'Vendor', 16),
      col('model', 'Model', 22),
      col('hostname', 'Hostname', 30),
      col('address', 'Address', 16),
      col('field', 'Field', 14),
      col('before', 'Before', 28),
      col('after', 'After', 28),
      col('last_seen', 'Last seen (UTC)', 18, 'date'),
    ],
    rows: changeRows(input.changes),
    emptyNote: input.since
      ? `No changes between snapshot ${input.since.id} and snapshot ${input.snapshot.id}.`
      : 'Nothing to compare with: there is no complete snapshot before this one (or none on or before --since).',
  };
}

function missingSheet(input: AuditInput): SheetSpec {
  const at = date(input.snapshot.startedAt)!.getTime();
  return {
    name: 'Missing',
    columns: [
      col('asset_id', 'Asset ID', 10, 'number'),
      col('type', 'Type', 13),
      col('vendor', 'Vendor', 16),
      col('model', 'Model', 22),
      col('serial', 'Serial', 18),
      col('hostname', 'Hostname', 30),
      col('address', 'Last address', 16),
      col('macs', 'MACs', 20),
      col('last_seen', 'Last seen (UTC)', 18, 'date'),
      col('days', 'Days missing', 12, 'number'),
    ],
    rows: input.missing.map((e) => ({
      asset_id: e.assetId,
      type: e.type,
      vendor: e.vendor,
      model: e.model,
      serial: e.serial,
      hostname: e.hostname,
      address: e.address,
      macs: e.macs.join(' '),
      last_seen: date(e.lastSeenAt),
      days: Math.max(0, Math.floor((at - date(e.lastSeenAt)!.getTime()) / 86_400_000)),
    })),
    emptyNote: 'No missing assets: every asset known before was seen in this snapshot.',
  };
}

function printersSheet(input: AuditInput, sinceLabel: string): SheetSpec {
  const rows: SheetRow[] = [];
  for (const { entry: e, printer } of input.details.printers) {
    const before = input.pagesAtSince.get(e.assetId);
    const pages = printer.pageCount ?? null;
    const base: SheetRow = {
      asset_id: e.assetId,
      hostname: e.hostname,
      address: e.address,
      vendor: e.vendor,
      model: e.model,
      serial: e.serial,
      pages,
      pages_before: before ?? null,
      pages_since: pages !== null && before !== undefined && pages >= before ? pages - before : null,
      supply: null,
      supply_type: null,
      colour: null,
      level: null,
    };
    if (printer.supplies.length === 0) rows.push(base);
    for (const s of printer.supplies) {
      rows.push({
        ...base,
        supply: s.description,
        supply_type: s.type ?? null,
        colour: s.color ?? null,
        level: s.percent !== undefined ? s.percent / 100 : null,
      });
    }
  }
  return {
    name: 'Printers',
    columns: [
      col('asset_id', 'Asset ID', 10, 'number'),
      col('hostname', 'Hostname', 30),
      col('address', 'Address', 16),
      col('vendor', 'Vendor', 14),
      col('model', 'Model', 22),
      col('serial', 'Serial', 18),
      col('pages', 'Page count', 12, 'number'),
      col('pages_before', `Page count ${sinceLabel}`.slice(0, 40), 16, 'number'),
      col('pages_since', `Pages since ${sinceLabel}`.slice(0, 40), 16, 'number'),
      col('supply', 'Supply', 26),
      col('supply_type', 'Supply type', 12),
      col('colour', 'Colour', 10),
      col('level', 'Level', 8, 'percent'),
    ],
    rows,
    emptyNote: 'No printer counters or supplies in this snapshot: they come from printers that answer SNMP (Printer-MIB).',
  };
}

function networkSheet(input: AuditInput): SheetSpec {
  const { network } = input.details;
  // Which asset a MAC belongs to, for naming what is connected.
  const rows: SheetRow[] = [];
  for (const d of [...network].sort((a, b) => compareAddresses(a.entry.address, b.entry.address))) {
    const byPort = new Map<string, { iface?: NetInterface; macs: Set<string>; neighbors: Neighbor[] }>();
    const slot = (port: string) => {
      let s = byPort.get(port);
      if (!s) byPort.set(port, (s = { macs: new Set(), neighbors: [] }));
      return s;
    };
    for (const i of d.interfaces) slot(i.name ?? i.descr ?? `ifIndex ${i.index}`).iface = i;
    for (const f of d.forwarding as ForwardingEntry[]) slot(portName(f, d.interfaces)).macs.add(normalizeMacText(f.mac));
    for (const n of d.neighbors) slot(n.localPort ?? '?').neighbors.push(n);
    for (const [port, s] of byPort) {
      if (s.macs.size === 0 && s.neighbors.length === 0 && s.iface?.operStatus !== 'up') continue;
      rows.push({
        asset_id: d.entry.assetId,
        device: d.entry.hostname ?? d.entry.address,
        address: d.entry.address,
        type: d.entry.type,
        port,
        alias: s.iface?.alias ?? null,
        status: s.iface?.operStatus ?? null,
        speed: s.iface?.speedMbps ?? null,
        mac_count: s.macs.size,
        macs: [...s.macs].slice(0, 20).join(' ') + (s.macs.size > 20 ? ' …' : ''),
        neighbor: s.neighbors.map((n) => [n.protocol.toUpperCase(), n.sysName ?? n.chassisId, n.portId ?? n.portDescr, n.address].filter(Boolean).join(' ')).join('; ') || null,
      });
    }
  }
  return {
    name: 'Network',
    columns: [
      col('asset_id', 'Asset ID', 10, 'number'),
      col('device', 'Device', 28),
      col('address', 'Address', 16),
      col('type', 'Type', 10),
      col('port', 'Port', 16),
      col('alias', 'Port description', 24),
      col('status', 'Status', 10),
      col('speed', 'Speed (Mb/s)', 12, 'number'),
      col('mac_count', 'MACs learnt', 12, 'number'),
      col('macs', 'MACs', 40),
      col('neighbor', 'LLDP/CDP neighbour', 40),
    ],
    rows,
    emptyNote: 'No switch or router ports in this snapshot: they come from devices that answer SNMP (IF-MIB, BRIDGE-MIB, LLDP/CDP).',
  };
}

function softwareSheet(input: AuditInput): SheetSpec {
  const rows: SheetRow[] = [];
  for (const { entry: e, packages } of input.details.software) {
    for (const p of [...packages].sort((a, b) => a.name.localeCompare(b.name))) {
      rows.push({ asset_id: e.assetId, hostname: e.hostname, address: e.address, title: p.name, version: p.version ?? null, publisher: p.publisher ?? null });
    }
  }
  return {
    name: 'Software',
    columns: [
      col('asset_id', 'Asset ID', 10, 'number'),
      col('hostname', 'Hostname', 30),
      col('address', 'Address', 16),
      col('title', 'Title', 36),
      col('version', 'Version', 18),
      col('publisher', 'Publisher', 24),
    ],
    rows,
    emptyNote: 'No software inventories: they come from "netcensus local" on a machine, or "netcensus import" of its file.',
  };
}

function softwareTitlesSheet(input: AuditInput): SheetSpec {
  const titles = new Map<string, { title: string; publisher: string | null; machines: Set<number>; versions: Set<string> }>();
  for (const { entry, packages } of input.details.software) {
    for (const p of packages) {
      const key = p.name.toLowerCase();
      let t = titles.get(key);
      if (!t) titles.set(key, (t = { title: p.name, publisher: p.publisher ?? null, machines: new Set(), versions: new Set() }));
      t.machines.add(entry.assetId);
      if (p.version) t.versions.add(p.version);
    }
  }
  return {
    name: 'Software titles',
    columns: [col('title', 'Title', 36), col('publisher', 'Publisher', 24), col('machines', 'Machines', 10, 'number'), col('versions', 'Versions', 40)],
    rows: [...titles.values()]
      .sort((a, b) => b.machines.size - a.machines.size || a.title.localeCompare(b.title))
      .map((t) => ({ title: t.title, publisher: t.publisher, machines: t.machines.size, versions: [...t.versions].sort().join(' ') })),
    emptyNote: 'No software inventories: they come from "netcensus local" on a machine, or "netcensus import" of its file.',
  };
}

