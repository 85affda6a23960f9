// BRIDGE-MIB and Q-BRIDGE-MIB forwarding tables: which MAC was learnt on which port (and VLAN).
// Q-BRIDGE (dot1qTpFdbPort, indexed by VLAN/FDB id then MAC) is preferred; plain dot1dTpFdbPort
// otherwise. Bridge ports map to ifIndex through dot1dBasePortIfIndex.
// Caveat: Cisco IOS keeps one BRIDGE-MIB per VLAN behind community@vlan indexing, which is not used.
import type { ForwardingEntry, NetInterface } from '../../model/index.js';
import { OID } from './oids.js';
import { macFromIndex, walkSubtrees } from './table-rows.js';
import type { SnmpTransport } from './transport.js';

export async function collectForwardingTable(transport: SnmpTransport, interfaces: NetInterface[]): Promise<ForwardingEntry[]> {
  const [portMap = [], qFdb = []] = await walkSubtrees(transport, [OID.dot1dBasePortIfIndex, OID.dot1qTpFdbPort], 50_000);
  const ifIndexOfPort = new Map<number, number>();
  for (const v of portMap) {
    const port = Number(v.oid.slice(OID.dot1dBasePortIfIndex.length + 1));
    if (v.num !== undefined) ifIndexOfPort.set(port, v.num);
  }
  const nameOf = new Map(interfaces.map((i) => [i.index, i.name ?? i.descr]));
  const entry = (mac: string, port: number, vlan?: number): ForwardingEntry => {
    const ifIndex = ifIndexOfPort.get(port);
    const ifName = ifIndex !== undefined ? nameOf.get(ifIndex) : undefined;
    return { mac, port, ...(ifIndex !== undefined ? { ifIndex } : {}), ...(ifName ? { ifName } : {}), ...(vlan !== undefined ? { vlan } : {}) };
  };
  const out: ForwardingEntry[] = [];
  for (const v of qFdb) {
    const parts = v.oid.slice(OID.dot1qTpFdbPort.length + 1).split('.');
    const mac = macFromIndex(parts.slice(1));
    if (mac && v.num) out.push(entry(mac, v.num, Number(parts[0])));
  }
  if (out.length > 0) return out;
  const [fdb = []] = await walkSubtrees(transport, [OID.dot1dTpFdbPort], 50_000);
  for (const v of fdb) {
    const mac = macFromIndex(v.oid.slice(OID.dot1dTpFdbPort.length + 1).split('.'));
    if (mac && v.num) out.push(entry(mac, v.num));
  }
  return out;
}
