// IF-MIB ifTable/ifXTable (name, alias, type, MAC, speed, status) and IP-MIB ipAddrTable addresses.
import type { NetInterface } from '../../model/index.js';
import { OID } from './oids.js';
import { macFromBytes, numOf, textOf, walkTables } from './table-rows.js';
import type { SnmpTransport } from './transport.js';

const IF_TYPES: Record<number, string> = {
  1: 'other', 6: 'ethernetCsmacd', 7: 'iso88023Csmacd', 24: 'softwareLoopback', 53: 'propVirtual', 71: 'ieee80211',
  117: 'gigabitEthernet', 131: 'tunnel', 135: 'l2vlan', 136: 'l3ipvlan', 161: 'ieee8023adLag', 209: 'bridge',
};
const STATUS = ['', 'up', 'down', 'testing', 'unknown', 'dormant', 'notPresent', 'lowerLayerDown'];

/** `ifNumber`, when the agent gave it, tells the walk how many rows to expect (see WalkHint). */
export async function collectInterfaces(transport: SnmpTransport, ifNumber?: number): Promise<NetInterface[]> {
  // ifTable, ifXTable and ipAddrTable's ifIndex column walked in the same requests.
  const ipAddrEntry = OID.ipAdEntIfIndex.slice(0, OID.ipAdEntIfIndex.lastIndexOf('.'));
  const hint = ifNumber !== undefined && Number.isInteger(ifNumber) && ifNumber > 0 && ifNumber <= 100_000 ? { rows: ifNumber } : undefined;
  const [ifRows, xRows, ipRows] = await walkTables(transport, [
    { entry: OID.ifTable, columns: [2, 3, 5, 6, 7, 8], ...(hint ? { hint } : {}) },
    { entry: OID.ifXTable, columns: [1, 15, 18], ...(hint ? { hint } : {}) },
    { entry: ipAddrEntry, columns: [2] },
  ]);
  const addresses = new Map<number, string[]>();
  for (const [ip, row] of ipRows!) {
    const v = row.get(2)!;
    if (v.num === undefined || !/^\d+\.\d+\.\d+\.\d+$/.test(ip)) continue;
    addresses.set(v.num, [...(addresses.get(v.num) ?? []), ip]);
  }
  const indexes = new Set([...ifRows!.keys(), ...xRows!.keys()].map(Number).filter(Number.isInteger));
  return [...indexes]
    .sort((a, b) => a - b)
    .map((index) => {
      const row = ifRows!.get(String(index));
      const x = xRows!.get(String(index));
      const out: NetInterface = { index };
      const name = textOf(x?.get(1));
      const descr = textOf(row?.get(2));
      const alias = textOf(x?.get(18));
      if (name) out.name = name;
      if (descr) out.descr = descr;
      if (alias) out.alias = alias;
      const type = numOf(row?.get(3));
      if (type !== undefined) out.type = IF_TYPES[type] ?? String(type);
      const mac = macFromBytes(row?.get(6)?.bytes);
      if (mac) out.mac = mac;
      const high = numOf(x?.get(15));
      const speed = numOf(row?.get(5));
      if (high) out.speedMbps = high;
      else if (speed) out.speedMbps = Math.round(speed / 1_000_000);
      const admin = numOf(row?.get(7));
      if (admin === 1 || admin === 2 || admin === 3) out.adminStatus = STATUS[admin] as NetInterface['adminStatus'];
      const oper = numOf(row?.get(8));
      if (oper !== undefined) out.operStatus = STATUS[oper] ?? String(oper);
      const ips = addresses.get(index);
      if (ips) out.addresses = ips;
      return out;
    });
}
