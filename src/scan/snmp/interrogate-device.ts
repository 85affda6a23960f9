// One device's SNMP interrogation over an open transport: the system group in one GET, the MIBs
// present in one GETNEXT, the identification values the planner asks for, then only the tables the
// device's kind needs. Pure of credentials and sockets, so it runs the same on a recording.
import type { DeviceType, Facts, SnmpFacts, Sourced } from '../../model/index.js';
import { collectArp } from './collect-arp.js';
import { collectForwardingTable, type VlanContexts } from './collect-bridge.js';
import { collectEntities } from './collect-entity.js';
import { collectHostResources, collectHrDevices } from './collect-host-resources.js';
import { collectInterfaces } from './collect-interfaces.js';
import { collectNeighbors } from './collect-neighbors.js';
import { collectPrinter } from './collect-printer.js';
import { collectUps } from './collect-ups.js';
import { walkSubtrees } from './table-rows.js';
import { MIB_ROOTS, OID } from './oids.js';
import { inSubtree, SnmpError, type SnmpTransport, type SnmpValue } from './transport.js';

/** What the planner sees after the first two round trips. */
export interface SnmpSystemInfo {
  sysObjectID: string;
  sysDescr: string;
  mibs: string[];
}

/** What to fetch for identification, and the kind of device the definitions expect. */
export interface SnmpQueryPlan {
  /** Scalars to GET (numeric OIDs). */
  get: string[];
  /** Subtrees to walk (a few values each: the first non-empty one usually decides). */
  walk: string[];
  kind: DeviceType | null;
}

/** Supplied by identify (through the registry), so that scan/ need not import identify/. */
export type SnmpQueryPlanner = (system: SnmpSystemInfo) => SnmpQueryPlan;

/** The system group as one GET. Throws SnmpError when the credential does not work. */
export async function readSystemGroup(transport: SnmpTransport): Promise<SnmpValue[]> {
  return transport.get([OID.sysDescr, OID.sysObjectID, OID.sysUpTime, OID.sysContact, OID.sysName, OID.sysLocation, OID.snmpEngineID, OID.ipForwarding, OID.ifNumber]);
}

const IDENT_WALK_MAX = 32;
const GET_CHUNK = 20;

export async function interrogateDevice(
  transport: SnmpTransport,
  system: SnmpValue[],
  planner: SnmpQueryPlanner,
  meta: {
    version: SnmpFacts['version'];
    credential: string;
    /** The same agent's per-VLAN bridge contexts (Cisco community indexing); absent for a recording. */
    vlanContexts?: VlanContexts;
  },
): Promise<Facts> {
  const value = (oid: string): SnmpValue | undefined => system.find((v) => v.oid === oid);
  const sysDescr = value(OID.sysDescr)?.text ?? '';
  const sysObjectID = (value(OID.sysObjectID)?.text ?? '').replace(/^\./, '');

  // Which MIBs answer: one GETNEXT on each root.
  const next = await transport.getNext(MIB_ROOTS.map((m) => m.root)).catch(() => MIB_ROOTS.map(() => null));
  const mibs = MIB_ROOTS.filter((m, i) => {
    const v = next[i];
    return v !== null && v !== undefined && inSubtree(m.root, v.oid);
  }).map((m) => m.mib);

  const plan = planner({ sysObjectID, sysDescr, mibs });
  const values: Record<string, string> = {};
  const keep = (v: SnmpValue): void => {
    if (v.text !== '') values[v.oid] = v.text;
  };
  for (const v of system) if (v.oid === OID.sysDescr || v.oid === OID.sysObjectID) keep(v);
  const gets = [...new Set(plan.get)];
  for (let i = 0; i < gets.length; i += GET_CHUNK) {
    for (const v of await twice(() => transport.get(gets.slice(i, i + GET_CHUNK)))) keep(v);
  }
  // The identification subtrees walked together, a few values each.
  for (const walked of await walkSubtrees(transport, [...new Set(plan.walk)], IDENT_WALK_MAX)) for (const v of walked) keep(v);

  const kind = plan.kind;
  const facts: Facts = {};
  const snmp: SnmpFacts = { version: meta.version, credential: meta.credential, sysObjectID, sysDescr, mibs, values };
  const forwarding = value(OID.ipForwarding)?.num;
  if (forwarding !== undefined) snmp.ipForwarding = forwarding;
  facts.snmp = snmp;
  if (sysDescr) facts.description = { value: sysDescr, source: 'SNMPv2-MIB::sysDescr.0' };
  const sysName = value(OID.sysName)?.text;
  if (sysName && isPlausibleName(sysName)) facts.hostnames = [{ value: sysName.toLowerCase(), source: 'SNMPv2-MIB::sysName.0' }];
  const location = value(OID.sysLocation)?.text;
  if (location) facts.location = { value: location, source: 'SNMPv2-MIB::sysLocation.0' };
  const engine = value(OID.snmpEngineID)?.bytes;
  if (engine && engine.length >= 5) facts.snmpEngineId = { value: Buffer.from(engine).toString('hex'), source: 'SNMP-FRAMEWORK-MIB::snmpEngineID.0' };

  // Tables: what every kind needs, then what this kind needs.
  const sourced = <T>(v: T, source: string): Sourced<T> => ({ value: v, source });
  const [entities, interfaces, hrDevices] = await Promise.all([
    mibs.includes('ENTITY-MIB') ? collectEntities(transport) : Promise.resolve([]),
    collectInterfaces(transport, value(OID.ifNumber)?.num).catch(() => []),
    mibs.includes('HOST-RESOURCES-MIB') ? collectHrDevices(transport).catch(() => []) : Promise.resolve([]),
  ]);
  if (entities.length > 0) facts.entities = sourced(entities, 'ENTITY-MIB::entPhysicalTable');
  if (interfaces.length > 0) {
    facts.interfaces = sourced(interfaces, 'IF-MIB::ifTable, IF-MIB::ifXTable, IP-MIB::ipAddrTable');
    const macs = [...new Map(interfaces.filter((i) => i.mac).map((i) => [i.mac!, i.index])).entries()];
    if (macs.length > 0) facts.macs = macs.map(([mac, index]) => ({ value: mac, source: `IF-MIB::ifPhysAddress.${index}` }));
  }
  const wants = (...kinds: DeviceType[]): boolean => kind === null || kinds.includes(kind);
  const tasks: Promise<void>[] = [];
  if (mibs.includes('Printer-MIB') && wants('printer')) {
    tasks.push(collectPrinter(transport).then((p) => void (facts.printer = sourced(p, 'Printer-MIB::prtMarkerTable, prtMarkerSuppliesTable'))).catch(() => undefined));
  }
  if (mibs.includes('UPS-MIB')) {
    tasks.push(collectUps(transport).then((u) => void (facts.ups = sourced(u, 'UPS-MIB::upsIdent, upsBattery'))).catch(() => undefined));
  }
  if (mibs.includes('HOST-RESOURCES-MIB') && (kind === 'server' || kind === 'nas' || kind === 'workstation' || (kind === null && !mibs.includes('Printer-MIB')))) {
    tasks.push(collectHostResources(transport, hrDevices).then((h) => void (facts.hostResources = sourced(h, 'HOST-RESOURCES-MIB'))).catch(() => undefined));
  } else if (hrDevices.length > 0) {
    facts.hostResources = sourced({ storage: [], devices: hrDevices }, 'HOST-RESOURCES-MIB::hrDeviceTable');
  }
  const cisco = sysObjectID.startsWith('1.3.6.1.4.1.9.');
  if (mibs.includes('BRIDGE-MIB') && wants('switch', 'router', 'firewall', 'ap')) {
    tasks.push(
      collectForwardingTable(transport, interfaces, cisco && meta.vlanContexts ? { vlanContexts: meta.vlanContexts } : {})
        .then((f) => void (f.entries.length > 0 && (facts.forwardingTable = sourced(f.entries, f.source))))
        .catch(() => undefined),
    );
  }
  if (wants('switch', 'router', 'firewall', 'ap') && (mibs.includes('LLDP-MIB') || cisco)) {
    tasks.push(
      collectNeighbors(transport, cisco)
        .then((n) => void (n.length > 0 && (facts.neighbors = sourced(n, 'LLDP-MIB::lldpRemTable / CISCO-CDP-MIB::cdpCacheTable'))))
        .catch(() => undefined),
    );
  }
  if ((kind === 'router' || kind === 'firewall' || (kind === null && forwarding === 1)) && mibs.includes('IP-MIB:ipNetToMedia')) {
    tasks.push(collectArp(transport).then((a) => void (a.length > 0 && (facts.arpEntries = sourced(a, 'IP-MIB::ipNetToPhysicalTable / ipNetToMediaTable')))).catch(() => undefined));
  }
  await Promise.all(tasks);
  return facts;
}

/** Identification values are worth a second try when a busy agent dropped the first request. */
async function twice(request: () => Promise<SnmpValue[]>): Promise<SnmpValue[]> {
  try {
    return await request();
  } catch (error) {
    if (error instanceof SnmpError && error.kind === 'timeout') return request().catch(() => []);
    return [];
  }
}

/** sysName is agent-supplied text: keep it only when it looks like a host name. */
function isPlausibleName(name: string): boolean {
  return name.length <= 253 && /^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$/.test(name);
}
