// LLDP-MIB remote systems (and CISCO-CDP-MIB's cache where a Cisco device offers it): who is on
// the other end of each port.
import type { Neighbor } from '../../model/index.js';
import { OID } from './oids.js';
import { macFromBytes, numOf, textOf, walkTables, type TableRows } from './table-rows.js';
import type { SnmpTransport, SnmpValue } from './transport.js';

export async function collectNeighbors(transport: SnmpTransport, withCdp: boolean): Promise<Neighbor[]> {
  // LLDP remote and local port tables (and CDP's cache) walked in the same requests.
  const tables = [
    { entry: OID.lldpRemEntry, columns: [4, 5, 6, 7, 8, 9, 10] },
    { entry: OID.lldpLocPortEntry, columns: [3, 4] },
    ...(withCdp ? [{ entry: OID.cdpCacheEntry, columns: [4, 6, 7, 8] }] : []),
  ];
  const [remote, local, cdp = new Map()] = (await walkTables(transport, tables, 2000)) as [TableRows, TableRows, TableRows?];
  const localName = new Map<string, string>();
  for (const [port, row] of local) {
    const name = textOf(row.get(4)) ?? textOf(row.get(3));
    if (name) localName.set(port, name);
  }
  const out: Neighbor[] = [];
  for (const [index, row] of remote) {
    const [, localPort] = index.split('.');
    const n: Neighbor = { protocol: 'lldp' };
    const lp = localPort !== undefined ? (localName.get(localPort) ?? localPort) : undefined;
    if (lp) n.localPort = lp;
    const chassis = idText(numOf(row.get(4)) === 4, row.get(5));
    if (chassis) n.chassisId = chassis;
    const port = idText(numOf(row.get(6)) === 3, row.get(7));
    if (port) n.portId = port;
    const portDescr = textOf(row.get(8));
    if (portDescr) n.portDescr = portDescr;
    const sysName = textOf(row.get(9));
    if (sysName) n.sysName = sysName;
    const sysDescr = textOf(row.get(10));
    if (sysDescr) n.sysDescr = sysDescr;
    out.push(n);
  }
  for (const [index, row] of cdp) {
    const n: Neighbor = { protocol: 'cdp', localPort: index.split('.')[0]! };
    const address = row.get(4)?.bytes;
    if (address && address.length === 4) n.address = [...address].join('.');
    const id = textOf(row.get(6));
    if (id) n.sysName = id;
    const port = textOf(row.get(7));
    if (port) n.portId = port;
    const platform = textOf(row.get(8));
    if (platform) n.sysDescr = platform;
    out.push(n);
  }
  return out;
}

/** A chassis or port id: a MAC when the subtype says so (or it is 6 binary bytes), else its text. */
function idText(isMac: boolean, v: SnmpValue | undefined): string | undefined {
  if (!v) return undefined;
  const mac = macFromBytes(v.bytes);
  if (mac && (isMac || !/^[\x20-\x7e]{6}$/.test(Buffer.from(v.bytes!).toString('latin1')))) return mac;
  return textOf(v);
}
