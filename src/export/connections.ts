// Which switch port each device hangs off, from the switches' bridge forwarding tables (pure).
//
// A MAC is learnt on every switch between it and the scanner: on the access port where it plugs
// in, and on each uplink on the way. An access port carries a few MACs, an uplink hundreds, so each
// MAC is placed on the port, of all that learnt it, that carries the fewest MACs (the usual
// heuristic of Netdisco and GLPI). Ports with an LLDP/CDP neighbour that is itself a switch are
// uplinks and never chosen when another port learnt the MAC.
import type { ForwardingEntry, InventoryEntry, NetInterface, Neighbor } from '../model/index.js';

export interface SwitchPort {
  switchAssetId: number;
  /** The switch's hostname, or its address. */
  switchName: string;
  port: string;
}

export interface NetworkDeviceFacts {
  entry: InventoryEntry;
  interfaces: NetInterface[];
  forwarding: ForwardingEntry[];
  neighbors: Neighbor[];
}

/** A port's display name: ifName, else ifDescr, else the bridge port number. */
export function portName(entry: ForwardingEntry, interfaces: readonly NetInterface[]): string {
  if (entry.ifName) return entry.ifName;
  const byIndex = entry.ifIndex !== undefined ? interfaces.find((i) => i.index === entry.ifIndex) : undefined;
  return byIndex?.name ?? byIndex?.descr ?? (entry.port !== undefined ? `port ${entry.port}` : entry.ifIndex !== undefined ? `ifIndex ${entry.ifIndex}` : '?');
}

export function normalizeMacText(mac: string): string {
  const hex = mac.toLowerCase().replace(/[^0-9a-f]/g, '');
  return hex.length === 12 ? hex.match(/../g)!.join(':') : mac.toLowerCase();
}

export function buildConnectionMap(devices: readonly NetworkDeviceFacts[]): Map<string, SwitchPort> {
  interface Candidate extends SwitchPort {
    macsOnPort: number;
    uplink: boolean;
  }
  const best = new Map<string, Candidate>();
  for (const d of devices) {
    const uplinkPorts = new Set(d.neighbors.filter((n) => n.localPort).map((n) => n.localPort!));
    const ownMacs = new Set(d.entry.macs.map(normalizeMacText));
    const perPort = new Map<string, string[]>();
    for (const f of d.forwarding) {
      const port = portName(f, d.interfaces);
      const list = perPort.get(port) ?? [];
      list.push(normalizeMacText(f.mac));
      perPort.set(port, list);
    }
    for (const [port, macs] of perPort) {
      const unique = new Set(macs);
      for (const mac of unique) {
        if (ownMacs.has(mac)) continue;
        const c: Candidate = {
          switchAssetId: d.entry.assetId,
          switchName: d.entry.hostname ?? d.entry.address,
          port,
          macsOnPort: unique.size,
          uplink: uplinkPorts.has(port),
        };
        const prev = best.get(mac);
        if (
          prev === undefined ||
          (prev.uplink && !c.uplink) ||
          (prev.uplink === c.uplink && (c.macsOnPort < prev.macsOnPort || (c.macsOnPort === prev.macsOnPort && c.switchAssetId < prev.switchAssetId)))
        ) {
          best.set(mac, c);
        }
      }
    }
  }
  const out = new Map<string, SwitchPort>();
  for (const [mac, c] of best) out.set(mac, { switchAssetId: c.switchAssetId, switchName: c.switchName, port: c.port });
  return out;
}

/** Where an asset is plugged in: the first of its MACs found on a switch port. */
export function connectionOf(entry: Pick<InventoryEntry, 'macs'>, map: ReadonlyMap<string, SwitchPort>): SwitchPort | null {
  for (const mac of entry.macs) {
    const hit = map.get(normalizeMacText(mac));
    if (hit) return hit;
  }
  return null;
}
