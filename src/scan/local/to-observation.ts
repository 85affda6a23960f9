// An inventory document as an Observation: the same shape as what any scanner reports, so that it
// goes through merge, identify, identity and the store like a network sighting. Pure.
//
// The record's address is where the machine said it lives: the first IPv4 of its default interface,
// else of any non-loopback interface, else an IPv6, else its host name (a machine with no address
// is still an asset). Each fact keeps the source its document section names.
import type { DeviceRecord, DeviceType, Facts, NetInterface, Observation, Sourced } from '../../model/index.js';
import type { InventoryDocument } from './document.js';

/** SMBIOS chassis types (DMTF DSP0134 7.4.1) that say what kind of machine this is. */
const WORKSTATION_CHASSIS = [
  'desktop',
  'low profile desktop',
  'pizza box',
  'mini tower',
  'tower',
  'portable',
  'laptop',
  'notebook',
  'hand held',
  'all in one',
  'sub notebook',
  'space-saving',
  'lunch box',
  'sealed-case pc',
  'tablet',
  'convertible',
  'detachable',
  'mini pc',
  'stick pc',
];
const SERVER_CHASSIS = ['main server chassis', 'rack mount chassis', 'multi-system chassis', 'blade', 'blade enclosure'];

export function chassisDeviceType(chassis: string | undefined): DeviceType | null {
  const c = chassis?.trim().toLowerCase();
  if (!c) return null;
  if (SERVER_CHASSIS.includes(c)) return 'server';
  if (WORKSTATION_CHASSIS.includes(c)) return 'workstation';
  return null;
}

const isLoopback = (a: string): boolean => a.startsWith('127.') || a === '::1';
const isLinkLocal = (a: string): boolean => a.startsWith('169.254.') || /^fe[89ab][0-9a-f]:/i.test(a);

/** Addresses of the machine worth recording: not loopback, not link-local; default interface first. */
export function documentAddresses(doc: InventoryDocument): string[] {
  const ifaces = [...(doc.network?.interfaces ?? [])].sort((a, b) => Number(Boolean(b.default)) - Number(Boolean(a.default)));
  const v4 = ifaces.flatMap((i) => i.ipv4).filter((a) => !isLoopback(a) && !isLinkLocal(a));
  const v6 = ifaces.flatMap((i) => i.ipv6).filter((a) => !isLoopback(a) && !isLinkLocal(a));
  return [...new Set([...v4, ...v6])];
}

/** The name the machine gives itself: its FQDN when it knows one, else its host name, lower-case. */
export function documentHostname(doc: InventoryDocument): string {
  const fqdn = doc.os.fqdn?.trim();
  const name = fqdn && fqdn.includes('.') && !fqdn.startsWith('localhost') ? fqdn : doc.os.hostname.trim();
  return name.toLowerCase().replace(/\.$/, '');
}

const nonBlank = (s: string | undefined): string | undefined => {
  const t = s?.trim();
  return t ? t : undefined;
};

/** The named text fields of `from` that are not blank, trimmed, in the order named. */
function nonBlankFields<K extends string>(from: Partial<Record<K, string>>, keys: readonly K[]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const key of keys) {
    const value = nonBlank(from[key]);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

export function documentToObservation(doc: InventoryDocument, scanner: 'local' | 'import'): Observation {
  return observationOf(doc, scanner, documentAddresses(doc));
}

// Objects are built by assignment in a fixed key order rather than spread from temporary ones: an
// import runs this for every document, and the stored facts keep the same key order either way.
function observationOf(doc: InventoryDocument, scanner: 'local' | 'import', addresses: string[]): Observation {
  const hostname = documentHostname(doc);
  const facts: Facts = {};
  const sys = doc.system;
  const sourced = <T>(value: T, source: string): Sourced<T> => ({ value, source });

  facts.hostnames = [sourced(hostname, doc.os.source)];
  const vendor = nonBlank(sys.manufacturer);
  if (vendor) facts.vendor = sourced(vendor, sys.source);
  const model = nonBlank(sys.model);
  if (model) facts.model = sourced(model, sys.source);
  // Placeholder serials and UUIDs are kept as the machine reports them: identity ignores them
  // (inventory/identity isUsableSerial, isUsableUuid), and an auditor can see what the firmware says.
  const serial = nonBlank(sys.serial);
  if (serial) facts.serial = sourced(serial, sys.source);
  const uuid = nonBlank(sys.uuid);
  if (uuid) facts.smbiosUuid = sourced(uuid.toLowerCase(), sys.source);
  const type = chassisDeviceType(sys.chassisType);
  if (type) facts.type = { value: type, source: sys.source, rule: `chassis type "${sys.chassisType}"` };
  const chassis = nonBlank(sys.chassisType);
  if (chassis) facts.chassis = sourced(chassis, sys.source);

  const os = doc.os;
  const release = nonBlank(os.release);
  const osName = release && !os.name.includes(release) ? `${os.name} ${release}` : os.name;
  facts.os = sourced(osName.trim(), os.source);
  facts.osDetails = sourced({ platform: os.platform, name: os.name, ...nonBlankFields(os, ['release', 'build', 'codename', 'kernel', 'arch']) }, os.source);
  const domain = nonBlank(os.domain) ?? (hostname.includes('.') ? hostname.slice(hostname.indexOf('.') + 1) : undefined);
  if (domain) facts.domain = sourced(domain, os.source);

  if (doc.bios) {
    const b = doc.bios;
    const bios = nonBlankFields(b, ['vendor', 'version', 'releaseDate']);
    if (Object.keys(bios).length > 0) facts.bios = sourced(bios, b.source);
    if (bios.version) facts.firmware = sourced(bios.version, b.source);
  }
  if (doc.cpu) {
    const { source, ...cpu } = doc.cpu;
    facts.cpu = sourced(cpu, source);
  }
  if (doc.memory) {
    const { source, ...memory } = doc.memory;
    facts.memory = sourced(memory, source);
  }
  if (doc.disks) facts.disks = sourced(doc.disks.items, doc.disks.source);
  if (doc.network) {
    const macs: Sourced<string>[] = [];
    const interfaces: NetInterface[] = doc.network.interfaces.map((i, index) => {
      const mac = nonBlank(i.mac)?.toLowerCase();
      if (mac && mac !== '00:00:00:00:00:00' && !macs.some((m) => m.value === mac)) macs.push(sourced(mac, doc.network!.source));
      const iface: NetInterface = { index: index + 1, name: i.name };
      if (mac) iface.mac = mac;
      if (i.speedMbps !== undefined) iface.speedMbps = i.speedMbps;
      if (i.up !== undefined) iface.operStatus = i.up ? 'up' : 'down';
      iface.addresses = i.ipv6.length === 0 ? i.ipv4.slice() : [...i.ipv4, ...i.ipv6];
      return iface;
    });
    if (macs.length > 0) facts.macs = macs;
    facts.interfaces = sourced(interfaces, doc.network.source);
  }
  if (doc.users) facts.loggedInUsers = sourced(doc.users.loggedIn, doc.users.source);
  if (doc.software) facts.software = sourced(doc.software.packages, doc.software.source);
  if (doc.unavailable.length > 0) facts.unavailable = doc.unavailable;

  return {
    scanner,
    address: addresses[0] ?? hostname,
    at: new Date(doc.collectedAt).toISOString(),
    status: 'ok',
    facts,
  };
}

/**
 * The document as one device record (the shape mergeObservations gives), holding every address the
 * machine reported: a machine is one record however many interfaces it has.
 */
export function documentRecord(doc: InventoryDocument, scanner: 'local' | 'import'): DeviceRecord {
  const addresses = documentAddresses(doc);
  const observation = observationOf(doc, scanner, addresses);
  return {
    address: observation.address,
    addresses: addresses.length > 0 ? addresses : [observation.address],
    facts: observation.facts,
    statuses: { [scanner]: 'ok' },
    observations: [observation],
  };
}
