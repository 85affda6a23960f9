// BRIDGE-MIB and Q-BRIDGE-MIB forwarding tables: which MAC was learnt on which port (and VLAN).
// Q-BRIDGE (dot1qTpFdbPort, indexed by VLAN/FDB id then MAC) is preferred; plain dot1dTpFdbPort
// otherwise. Bridge ports map to ifIndex through dot1dBasePortIfIndex.
//
// Cisco IOS/CatOS keep one BRIDGE-MIB per VLAN: the default community shows VLAN 1's only (without
// VLAN ids), the others answer to "community indexing", community COMMUNITY@VLAN on v1/v2c or
// context vlan-VLAN on v3. So on a Cisco device whose default table is empty or has no VLAN ids,
// the operational VLANs are listed from CISCO-VTP-MIB vtpVlanState (reserved 1002-1005 left out),
// and dot1dBasePortIfIndex and dot1dTpFdbPort are walked in each, at most MAX_VLAN_CONTEXTS of them,
// two at a time, within the device's time budget; each entry is tagged with its VLAN. The MAC is the
// row index of dot1dTpFdbTable, so dot1dTpFdbAddress is not walked.
// Caveat: a device that does not answer the indexed community (not configured for it, or an
// snmpsim recording) costs one request timeout: each VLAN is probed with one GETNEXT before its walk,
// and when the first does not answer, the default table is kept and no other VLAN is tried. The indexed community is never written anywhere: the facts
// name the credential by its label, as for the default context.
import type { ForwardingEntry, NetInterface } from '../../model/index.js';
import { OID } from './oids.js';
import { macFromIndex, walkSubtrees } from './table-rows.js';
import type { SnmpTransport, SnmpValue } from './transport.js';

/** Per-VLAN bridge contexts of the same agent (Cisco community indexing). */
export interface VlanContexts {
  /** A transport reading VLAN `vlan`'s bridge (community@vlan, or v3 context vlan-N); closed by the caller. */
  open(vlan: number): SnmpTransport;
}

export interface ForwardingTable {
  entries: ForwardingEntry[];
  /** Where the entries came from, for the fact's source. */
  source: string;
}

/** VLANs read through community indexing on one device at most. */
export const MAX_VLAN_CONTEXTS = 64;
/** VLAN contexts walked at once (each is its own session and socket). */
const VLAN_CONCURRENCY = 2;
const FDB_MAX = 50_000;
/** vtpVlanState: operational(1), suspended(2), mtuTooBigForDevice(3), mtuTooBigForTrunk(4). */
const VTP_OPERATIONAL = 1;

export interface BridgeOptions {
  /** A Cisco device's per-VLAN contexts. */
  vlanContexts?: VlanContexts;
}

export async function collectForwardingTable(transport: SnmpTransport, interfaces: NetInterface[], options: BridgeOptions = {}): Promise<ForwardingTable> {
  const { vlanContexts } = options;
  const [portMap = [], qFdb = []] = await walkSubtrees(transport, [OID.dot1dBasePortIfIndex, OID.dot1qTpFdbPort], FDB_MAX);
  const defaultPorts = portsOf(portMap);
  const nameOf = new Map(interfaces.map((i) => [i.index, i.name ?? i.descr]));
  const entry = (ports: Map<number, number>, mac: string, port: number, vlan?: number): ForwardingEntry => {
    const ifIndex = ports.get(port) ?? defaultPorts.get(port);
    const ifName = ifIndex !== undefined ? nameOf.get(ifIndex) : undefined;
    return { mac, port, ...(ifIndex !== undefined ? { ifIndex } : {}), ...(ifName ? { ifName } : {}), ...(vlan !== undefined ? { vlan } : {}) };
  };
  const out: ForwardingEntry[] = [];
  for (const v of qFdb) {
    const parts = v.oid.slice(OID.dot1qTpFdbPort.length + 1).split('.');
    const mac = macFromIndex(parts.slice(1));
    if (mac && v.num) out.push(entry(defaultPorts, mac, v.num, Number(parts[0])));
  }
  if (out.length > 0) return { entries: out, source: 'Q-BRIDGE-MIB::dot1qTpFdbPort' };
  const [fdb = []] = await walkSubtrees(transport, [OID.dot1dTpFdbPort], FDB_MAX);
  out.push(...dot1dEntries(fdb).map(([mac, port]) => entry(defaultPorts, mac, port)));
  const plain: ForwardingTable = { entries: out, source: 'BRIDGE-MIB::dot1dTpFdbPort' };
  if (!vlanContexts) return plain;

  // Cisco: the default table is VLAN 1's at best; read each operational VLAN's own.
  const vlans = operationalVlans(await walkSubtrees(transport, [OID.vtpVlanState], 4096).then((r) => r[0] ?? []));
  if (vlans.length === 0) return plain;
  const perVlan = new Map<number, ForwardingEntry[]>();
  const walkVlan = async (vlan: number): Promise<boolean> => {
    const t = vlanContexts.open(vlan);
    try {
      // One GETNEXT first: a context that does not answer costs one timeout, not a walk's retries.
      if (!(await t.getNext([OID.dot1dBasePortIfIndex]).then(() => true, () => false))) return false;
      const [ports = [], fdbOfVlan = []] = await walkSubtrees(t, [OID.dot1dBasePortIfIndex, OID.dot1dTpFdbPort], FDB_MAX);
      const vlanPorts = portsOf(ports);
      perVlan.set(vlan, dot1dEntries(fdbOfVlan).map(([mac, port]) => entry(vlanPorts, mac, port, vlan)));
      return true;
    } finally {
      t.close();
    }
  };
  const todo = vlans.slice(0, MAX_VLAN_CONTEXTS);
  // The first VLAN alone: when it does not answer, the device does not do community indexing.
  if (!(await walkVlan(todo[0]!))) return plain;
  let next = 1;
  const worker = async (): Promise<void> => {
    while (next < todo.length) await walkVlan(todo[next++]!);
  };
  await Promise.all(Array.from({ length: VLAN_CONCURRENCY }, worker));

  const tagged = todo.flatMap((vlan) => perVlan.get(vlan) ?? []);
  const seen = new Set(tagged.map((e) => e.mac));
  // A MAC of the default table no VLAN showed (a VLAN past the cap, one that timed out) stays, untagged.
  const entries = [...tagged, ...out.filter((e) => !seen.has(e.mac))];
  const skipped = vlans.length - todo.length;
  return {
    entries,
    source: `BRIDGE-MIB::dot1dTpFdbPort per VLAN (${todo.length} VLAN(s) of CISCO-VTP-MIB::vtpVlanState, community indexing${skipped > 0 ? `; ${skipped} more VLAN(s) over the cap of ${MAX_VLAN_CONTEXTS} not read` : ''})`,
  };
}

/** Bridge port -> ifIndex from dot1dBasePortIfIndex. */
function portsOf(portMap: SnmpValue[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const v of portMap) {
    const port = Number(v.oid.slice(OID.dot1dBasePortIfIndex.length + 1));
    if (v.num !== undefined) out.set(port, v.num);
  }
  return out;
}

/** [MAC, bridge port] of dot1dTpFdbPort rows (port 0: learnt but not on a port, left out). */
function dot1dEntries(fdb: SnmpValue[]): [string, number][] {
  const out: [string, number][] = [];
  for (const v of fdb) {
    const mac = macFromIndex(v.oid.slice(OID.dot1dTpFdbPort.length + 1).split('.'));
    if (mac && v.num) out.push([mac, v.num]);
  }
  return out;
}

/**
 * Operational VLAN ids from vtpVlanState (index managementDomainIndex.vtpVlanIndex), ascending,
 * without the reserved FDDI/Token Ring VLANs 1002-1005.
 */
export function operationalVlans(states: SnmpValue[]): number[] {
  const vlans = new Set<number>();
  for (const v of states) {
    const vlan = Number(v.oid.slice(OID.vtpVlanState.length + 1).split('.')[1]);
    if (!Number.isInteger(vlan) || vlan < 1 || vlan > 4094 || (vlan >= 1002 && vlan <= 1005)) continue;
    if (v.num === VTP_OPERATIONAL) vlans.add(vlan);
  }
  return [...vlans].sort((a, b) => a - b);
}
