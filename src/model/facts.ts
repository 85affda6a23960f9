// What a scanner saw, field by field. Every value carries where it came from, so that
// `netcensus asset ID` can explain each answer ("SNMPv2-MIB::sysName.0", "dns:PTR", "tcp:connect").

export interface Sourced<T> {
  value: T;
  /** Where the value came from: an OID name, a probe, a file. */
  source: string;
  /** For derived classification: the rule that chose the value ("cisco.json model[0]"). */
  rule?: string;
  /** For guesses from indirect evidence (identify/classify-device): 0..1. Absent = read, not guessed. */
  confidence?: number;
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
  /** Where the device plugs in: the switch port its MAC was learnt on (after a scan, inventory/attach-to-switch-ports). */
  attachment?: Sourced<SwitchAttachment>;
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
  // Fingerprinting (scan/nmap, scan/fingerprint): raw answers, classified by identify/classify-device.
  nmap?: Sourced<NmapFacts>;
  fingerprint?: Sourced<FingerprintFacts>;
  /** Classification guesses from indirect evidence, strongest first, each with its evidence. */
  guesses?: ClassificationGuess[];
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

/** "Switch X, port Y, VLAN Z": an end device's place on the network. */
export interface SwitchAttachment {
  /** The switch's asset, when it was in the same snapshot. */
  switchAssetId?: number;
  /** The switch's host name, else its address. */
  switchName: string;
  switchAddress: string;
  /** ifName, else ifDescr, else "port N" (bridge port). */
  port: string;
  vlan?: number;
  /** The device's MAC that was found on the port. */
  mac: string;
  /** Distinct MACs learnt on that port (1: only this device). */
  macsOnPort: number;
}

export type FactKey = keyof Facts;

/** What one nmap run (-sV, and -O when privileged) said about a host. */
export interface NmapFacts {
  /** Open ports with what -sV found on them. */
  services: NmapService[];
  /** OS matches, best first (nmap -O). Empty when -O did not run or found nothing. */
  osMatches: NmapOsMatch[];
  /** Why there are no OS matches: "-O needs root (ran as uid 1000)", "no match". */
  osNote?: string;
}

export interface NmapService {
  port: number;
  protocol: 'tcp' | 'udp';
  /** nmap's service name ("ssh", "http", "ipp", "microsoft-ds"). */
  name?: string;
  product?: string;
  version?: string;
  extraInfo?: string;
  /** -sV's device type ("printer", "webcam") and OS type ("Windows", "Linux"), when its probe knows. */
  deviceType?: string;
  osType?: string;
  cpe: string[];
}

export interface NmapOsMatch {
  name: string;
  /** Percent. */
  accuracy: number;
  classes: { type?: string; vendor?: string; family?: string; generation?: string; accuracy: number; cpe: string[] }[];
}

/** Cheap protocol answers (scan/fingerprint): what a host says about itself without credentials. */
export interface FingerprintFacts {
  http?: HttpAnswer[];
  /** DNS-SD service types and instance names a host announced (mDNS). */
  mdns?: { services: string[]; instances: string[]; hostname?: string; txt?: string[] };
  ssdp?: { server?: string; location?: string; deviceType?: string; friendlyName?: string; manufacturer?: string; modelName?: string; modelNumber?: string };
  netbios?: { names: { name: string; suffix: number; group: boolean }[]; mac?: string };
  /** Extra TCP ports the fingerprint probe found open (classification ports the sweep does not try). */
  extraPorts?: number[];
}

export interface HttpAnswer {
  port: number;
  tls: boolean;
  status: number;
  title?: string;
  server?: string;
  /** A redirect's target, recorded, never followed. */
  location?: string;
}

export interface ClassificationGuess {
  field: 'type' | 'os' | 'vendor';
  value: string;
  /** 0..1; several rules agreeing combine as 1 - (1-a)(1-b). */
  confidence: number;
  /** The rules that agreed, and what each saw ("port 9100 open", "HTTP title \"HP LaserJet\""). */
  evidence: string[];
}
