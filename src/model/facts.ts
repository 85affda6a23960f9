// What a scanner saw, field by field. Every value carries where it came from, so that
// `netcensus asset ID` can explain each answer ("SNMPv2-MIB::sysName.0", "dns:PTR", "tcp:connect").

export interface Sourced<T> {
  value: T;
  /** Where the value came from: an OID name, a probe, a file. */
  source: string;
  /** For derived classification: the rule that chose the value ("cisco.json model[0]"). */
  rule?: string;
}

export const DEVICE_TYPES = [
  'printer',
  'switch',
  'router',
  'firewall',
  'ups',
  'pdu',
  'nas',
  'ap',
  'server',
  'workstation',
  'bmc',
  'camera',
  'phone',
  'other',
] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

export interface OpenPort {
  port: number;
  protocol: 'tcp' | 'udp';
  service?: string;
}

/** How a host proved it was alive, with the round-trip time of that proof. */
export interface Liveness {
  /** e.g. "icmp", "tcp:445", "snmp", "arp" */
  method: string;
  rttMs?: number;
}

/**
 * A typed partial record of what is known about a device. Scanners fill the parts they can;
 * `inventory/merge` combines observations into one Facts per device.
 */
export interface Facts {
  // identifiers
  macs?: Sourced<string>[];
  serial?: Sourced<string>;
  smbiosUuid?: Sourced<string>;
  snmpEngineId?: Sourced<string>;
  /** Host names by source (dns:PTR, SNMPv2-MIB::sysName.0, local hostname). */
  hostnames?: Sourced<string>[];
  // classification
  vendor?: Sourced<string>;
  model?: Sourced<string>;
  type?: Sourced<DeviceType>;
  os?: Sourced<string>;
  firmware?: Sourced<string>;
  // details
  liveness?: Liveness[];
  openPorts?: Sourced<OpenPort[]>;
  macVendor?: Sourced<string>;
  location?: Sourced<string>;
  description?: Sourced<string>;
  // SNMP (scan/snmp): raw identification data and what each MIB collector found
  snmp?: SnmpFacts;
  entities?: Sourced<PhysicalEntity[]>;
  interfaces?: Sourced<NetInterface[]>;
  printer?: Sourced<PrinterDetails>;
  ups?: Sourced<UpsDetails>;
  hostResources?: Sourced<HostResources>;
  forwardingTable?: Sourced<ForwardingEntry[]>;
  neighbors?: Sourced<Neighbor[]>;
  arpEntries?: Sourced<ArpEntry[]>;
  // Local probes (scan/local, `netcensus local` and imported documents). System maker, model, serial
  // and SMBIOS UUID use vendor, model, serial and smbiosUuid above; BIOS version is also `firmware`.
  bios?: Sourced<BiosInfo>;
  /** SMBIOS chassis type as reported ("Notebook", "Desktop", "Rack Mount Chassis"). */
  chassis?: Sourced<string>;
  cpu?: Sourced<CpuInfo>;
  memory?: Sourced<MemoryInfo>;
  disks?: Sourced<DiskInfo[]>;
  osDetails?: Sourced<OsDetails>;
  domain?: Sourced<string>;
  loggedInUsers?: Sourced<number>;
  /** Installed software from the platform's package database (dpkg, rpm, registry, system_profiler). */
  software?: Sourced<SoftwarePackage[]>;
  /** What the probe could not read, and why ("needs root", "no package database on this platform"). */
  unavailable?: UnavailableFact[];
}

export interface BiosInfo {
  vendor?: string;
  version?: string;
  /** As reported, usually YYYY-MM-DD. */
  releaseDate?: string;
}

export interface CpuInfo {
  manufacturer?: string;
  /** "Intel(R) Core(TM) i7-1185G7", "AMD EPYC 7302P". */
  model: string;
  cores?: number;
  physicalCores?: number;
  sockets?: number;
  speedGHz?: number;
}

export interface MemoryModule {
  sizeBytes: number;
  slot?: string;
  type?: string;
  speedMHz?: number;
  manufacturer?: string;
  partNumber?: string;
  serial?: string;
}

export interface MemoryInfo {
  totalBytes: number;
  modules: MemoryModule[];
}

export const DISK_KINDS = ['ssd', 'hdd', 'nvme', 'removable', 'virtual', 'unknown'] as const;
export type DiskKind = (typeof DISK_KINDS)[number];

export interface DiskInfo {
  /** "/dev/nvme0n1", "disk0", "PHYSICALDRIVE0". */
  device?: string;
  model?: string;
  serial?: string;
  sizeBytes: number;
  kind: DiskKind;
  /** "SATA", "NVMe", "USB", "virtio". */
  interface?: string;
}

export interface OsDetails {
  /** "linux", "windows", "darwin". */
  platform: string;
  name: string;
  release?: string;
  build?: string;
  codename?: string;
  kernel?: string;
  arch?: string;
}

export interface SoftwarePackage {
  name: string;
  version?: string;
  publisher?: string;
  arch?: string;
}

export interface UnavailableFact {
  /** A document path ("system.serial", "software"). */
  field: string;
  reason: string;
}

/** What an SNMP agent said about itself, kept raw so that identify can apply its definitions. */
export interface SnmpFacts {
  version: 'v1' | 'v2c' | 'v3';
  /** Which configured credential answered ("community #2", "v3 user ops"); never the secret. */
  credential: string;
  sysObjectID: string;
  sysDescr: string;
  /** MIBs the agent answers for: "Printer-MIB", "UPS-MIB", "BRIDGE-MIB", "HOST-RESOURCES-MIB", ... */
  mibs: string[];
  /** ipForwarding.0: 1 = forwarding (a router), 2 = not. */
  ipForwarding?: number;
  /** Values fetched for identification, by numeric OID (no leading dot). */
  values: Record<string, string>;
}

/** One ENTITY-MIB entPhysicalTable row. */
export interface PhysicalEntity {
  index: number;
  /** entPhysicalClass: chassis, module, powerSupply, fan, sensor, port, stack, cpu, ... */
  class: string;
  descr?: string;
  name?: string;
  model?: string;
  serial?: string;
  hardwareRev?: string;
  firmwareRev?: string;
  softwareRev?: string;
  manufacturer?: string;
  fru?: boolean;
}

export interface NetInterface {
  index: number;
  name?: string;
  descr?: string;
  alias?: string;
  /** IANAifType name ("ethernetCsmacd") or number. */
  type?: string;
  mac?: string;
  speedMbps?: number;
  adminStatus?: 'up' | 'down' | 'testing';
  operStatus?: string;
  addresses?: string[];
}

export interface PrinterSupply {
  description: string;
  type?: string;
  color?: string;
  /** Current level; -3 = some remaining, -2 = unknown (Printer-MIB). */
  level?: number;
  capacity?: number;
  /** level / capacity in percent when both are known. */
  percent?: number;
}

export interface PrinterDetails {
  /** Total pages: sum of prtMarkerLifeCount over markers counting impressions/pages. */
  pageCount?: number;
  counters: { marker: number; colorant?: string; count: number; unit?: string }[];
  supplies: PrinterSupply[];
}

export interface UpsDetails {
  batteryStatus?: string;
  secondsOnBattery?: number;
  estimatedMinutesRemaining?: number;
  estimatedChargePercent?: number;
  manufacturer?: string;
  model?: string;
  firmware?: string;
}

export interface HostResources {
  processors?: number;
  memoryBytes?: number;
  storage: { descr: string; type?: string; sizeBytes?: number; usedBytes?: number }[];
  devices: { descr: string; type?: string }[];
}

/** One bridge forwarding table entry: this MAC was learnt on that port (and VLAN). */
export interface ForwardingEntry {
  mac: string;
  port?: number;
  ifIndex?: number;
  ifName?: string;
  vlan?: number;
}

export interface Neighbor {
  protocol: 'lldp' | 'cdp';
  localPort?: string;
  chassisId?: string;
  portId?: string;
  portDescr?: string;
  sysName?: string;
  sysDescr?: string;
  address?: string;
}

export interface ArpEntry {
  ip: string;
  mac: string;
  ifIndex?: number;
}

export type FactKey = keyof Facts;
