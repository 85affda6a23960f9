// ARP / neighbour tables of routers: IP-MIB ipNetToPhysicalTable, else the older ipNetToMediaTable.
// These give MACs to hosts on other subnets, which identity needs.
import type { ArpEntry } from '../../model/index.js';
import { OID } from './oids.js';
import { macFromBytes, walkSubtrees } from './table-rows.js';
import type { SnmpTransport } from './transport.js';

export async function collectArp(transport: SnmpTransport): Promise<ArpEntry[]> {
  const out: ArpEntry[] = [];
  const [physical = []] = await walkSubtrees(transport, [OID.ipNetToPhysicalPhysAddress], 50_000);
  for (const v of physical) {
    // index: ifIndex.addressType.length.address...
    const parts = v.oid.slice(OID.ipNetToPhysicalPhysAddress.length + 1).split('.');
    const mac = macFromBytes(v.bytes);
    if (!mac || parts[1] !== '1' || parts[2] !== '4') continue;
    out.push({ ip: parts.slice(3, 7).join('.'), mac, ifIndex: Number(parts[0]) });
  }
  if (out.length > 0) return out;
  const [media = []] = await walkSubtrees(transport, [OID.ipNetToMediaPhysAddress], 50_000);
  for (const v of media) {
    const parts = v.oid.slice(OID.ipNetToMediaPhysAddress.length + 1).split('.');
    const mac = macFromBytes(v.bytes);
    if (!mac || parts.length !== 5) continue;
    out.push({ ip: parts.slice(1).join('.'), mac, ifIndex: Number(parts[0]) });
  }
  return out;
}
