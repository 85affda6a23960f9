// What a scanner saw, field by field. Every value carries where it came from, so that
// `netcensus asset ID` can explain each answer ("SNMPv2-MIB::sysName.0", "dns:PTR", "tcp:connect").

export interface Sourced<T> {
  value: T;
  /** Where the value came from: an OID name, a probe, a file. */
  source: string;
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
}

export type FactKey = keyof Facts;
