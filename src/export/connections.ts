// Which switch port each device hangs off, for the exports (pure). The placement itself (edge port
// = fewest MACs, LLDP/CDP uplinks excluded) is inventory/attach-to-switch-ports, shared with the
// pass that writes each end device's `attachment` after a scan; an entry that carries that
// attachment is shown with it, others are placed from the inventory's switches here.
import { normalizeMacText, placeMacsOnPorts, portName } from '../inventory/attach-to-switch-ports.js';
import type { ForwardingEntry, InventoryEntry, NetInterface, Neighbor } from '../model/index.js';

export { normalizeMacText, portName };

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

export function buildConnectionMap(devices: readonly NetworkDeviceFacts[]): Map<string, SwitchPort> {
  const placed = placeMacsOnPorts(
    devices.map((d) => ({
      assetId: d.entry.assetId,
      name: d.entry.hostname ?? d.entry.address,
      address: d.entry.address,
      macs: d.entry.macs,
      interfaces: d.interfaces,
      forwarding: d.forwarding,
      neighbors: d.neighbors,
    })),
  );
  const out = new Map<string, SwitchPort>();
  for (const [mac, p] of placed) out.set(mac, { switchAssetId: p.switchAssetId!, switchName: p.switchName, port: p.port });
  return out;
}

/** Where an asset is plugged in: its stored attachment, else the first of its MACs found on a switch port. */
export function connectionOf(entry: Pick<InventoryEntry, 'macs' | 'facts'>, map: ReadonlyMap<string, SwitchPort>): SwitchPort | null {
  const stored = entry.facts?.attachment?.value;
  if (stored?.switchAssetId !== undefined) return { switchAssetId: stored.switchAssetId, switchName: stored.switchName, port: stored.port };
  for (const mac of entry.macs) {
    const hit = map.get(normalizeMacText(mac));
    if (hit) return hit;
  }
  return null;
}
