// Which switch port each device hangs off, from the switches' bridge forwarding tables (pure).
//
// A MAC is learnt on every switch between it and the scanner: on the access port where it plugs
// in, and on each uplink on the way. An access port carries a few MACs, an uplink many, so each MAC
// is placed on the port, of all that learnt it, that carries the fewest MACs (the usual heuristic of
// Netdisco and GLPI). A port with an LLDP or CDP neighbour is an uplink (to a switch, router or AP)
// and is never chosen, with one exception: the neighbour itself, whose own MAC (its LLDP chassis id)
// was learnt there, is plugged into that port.
//
// Used twice: after a scan, over that snapshot's records, to write each end device's `attachment`
// (attachToSwitchPorts); and by the exports over an inventory (export/connections.ts).
// A device's MACs are its own (IF-MIB, ARP discovery, local probes); a device without any gets the
// MAC that a router of the same snapshot holds for its address in its ARP table (IP-MIB).
import type { ArpEntry, Facts, ForwardingEntry, NetInterface, Neighbor, Sourced, SwitchAttachment } from '../model/index.js';

/** What placement needs of one switch. */
export interface SwitchTables {
  assetId?: number;
  /** Host name, else address. */
  name: string;
  address: string;
  /** The switch's own MACs: never placed on its own ports. */
  macs: readonly string[];
  interfaces: readonly NetInterface[];
  forwarding: readonly ForwardingEntry[];
  neighbors: readonly Neighbor[];
}

/** Where one MAC was placed. */
export interface PortPlacement {
  switchAssetId?: number;
  switchName: string;
  switchAddress: string;
  port: string;
  vlan?: number;
  /** Distinct MACs learnt on that port. */
  macsOnPort: number;
  /** Placed on an uplink because the MAC is that link's LLDP/CDP neighbour. */
  viaNeighbor?: string;
}

/** A port's display name: ifName, else ifDescr, else the bridge port number. */
export function portName(entry: ForwardingEntry, interfaces: readonly NetInterface[]): string {
  if (entry.ifName) return entry.ifName;
  const byIndex = entry.ifIndex !== undefined ? interfaces.find((i) => i.index === entry.ifIndex) : undefined;
  return byIndex?.name ?? byIndex?.descr ?? (entry.port !== undefined ? `port ${entry.port}` : entry.ifIndex !== undefined ? `ifIndex ${entry.ifIndex}` : '?');
}

/** aa:bb:cc:dd:ee:ff from any common spelling; other text lower-cased as it is. */
export function normalizeMacText(mac: string): string {
  const hex = mac.toLowerCase().replace(/[^0-9a-f]/g, '');
  return hex.length === 12 ? hex.match(/../g)!.join(':') : mac.toLowerCase();
}

/**
 * The forwarding entries' ports that have an LLDP/CDP neighbour, with that neighbour. A neighbour
 * names its local port as the agent does: LLDP by lldpLocPortDesc or lldpLocPortId (an ifName,
 * ifDescr or ifAlias) or its port number, CDP by ifIndex; each is matched against every name of
 * the port.
 */
function neighborsByPort(sw: SwitchTables): Map<string, Neighbor[]> {
  const out = new Map<string, Neighbor[]>();
  if (sw.neighbors.length === 0) return out;
  const ifByIndex = new Map(sw.interfaces.map((i) => [i.index, i]));
  const keysOf = new Map<string, Set<string>>();
  for (const f of sw.forwarding) {
    const name = portName(f, sw.interfaces);
    if (keysOf.has(name)) continue;
    const keys = new Set<string>([name.toLowerCase()]);
    const iface = f.ifIndex !== undefined ? ifByIndex.get(f.ifIndex) : sw.interfaces.find((i) => (i.name ?? i.descr) === name);
    for (const t of [iface?.name, iface?.descr, iface?.alias]) if (t) keys.add(t.toLowerCase());
    if (f.ifIndex !== undefined) keys.add(`#${f.ifIndex}`);
    if (f.port !== undefined) keys.add(`#${f.port}`);
    keysOf.set(name, keys);
  }
  for (const n of sw.neighbors) {
    if (!n.localPort) continue;
    const local = n.localPort.trim().toLowerCase();
    const key = /^\d+$/.test(local) ? `#${local}` : local;
    for (const [port, keys] of keysOf) {
      if (!keys.has(key)) continue;
      out.set(port, [...(out.get(port) ?? []), n]);
    }
  }
  return out;
}

/** Each MAC learnt by any of these switches, on its edge port. */
export function placeMacsOnPorts(switches: readonly SwitchTables[]): Map<string, PortPlacement> {
  interface Candidate extends PortPlacement {
    uplink: boolean;
  }
  const best = new Map<string, Candidate>();
  const better = (c: Candidate, prev: Candidate | undefined): boolean =>
    prev === undefined ||
    (prev.uplink && !c.uplink) ||
    (prev.uplink === c.uplink &&
      (c.macsOnPort < prev.macsOnPort ||
        (c.macsOnPort === prev.macsOnPort && (c.switchAddress < prev.switchAddress || (c.switchAddress === prev.switchAddress && c.port < prev.port)))));
  for (const sw of switches) {
    const own = new Set(sw.macs.map(normalizeMacText));
    const uplinks = neighborsByPort(sw);
    const perPort = new Map<string, Map<string, number | undefined>>();
    for (const f of sw.forwarding) {
      const port = portName(f, sw.interfaces);
      const macs = perPort.get(port) ?? new Map<string, number | undefined>();
      perPort.set(port, macs);
      const mac = normalizeMacText(f.mac);
      // A MAC in several VLANs of one port: the lowest VLAN id, for a stable answer.
      const vlan = macs.get(mac);
      if (!macs.has(mac) || (f.vlan !== undefined && (vlan === undefined || f.vlan < vlan))) macs.set(mac, f.vlan);
    }
    for (const [port, macs] of perPort) {
      const neighbors = uplinks.get(port) ?? [];
      for (const [mac, vlan] of macs) {
        if (own.has(mac)) continue;
        const self = neighbors.find((n) => n.chassisId !== undefined && normalizeMacText(n.chassisId) === mac);
        // An uplink is no place for a MAC, except its neighbour's own.
        if (neighbors.length > 0 && !self) continue;
        const c: Candidate = {
          ...(sw.assetId !== undefined ? { switchAssetId: sw.assetId } : {}),
          switchName: sw.name,
          switchAddress: sw.address,
          port,
          ...(vlan !== undefined ? { vlan } : {}),
          macsOnPort: macs.size,
          ...(self ? { viaNeighbor: `${self.protocol.toUpperCase()} neighbour ${self.sysName ?? self.chassisId}` } : {}),
          uplink: self !== undefined,
        };
        if (better(c, best.get(mac))) best.set(mac, c);
      }
    }
  }
  const out = new Map<string, PortPlacement>();
  for (const [mac, { uplink: _u, ...placement }] of best) out.set(mac, placement);
  return out;
}

/** One record of a snapshot, as the attachment pass reads it: its summary and a few facts. */
export interface AttachableRecord {
  assetId: number;
  address: string;
  addresses: readonly string[];
  hostname: string | null;
  macs: readonly string[];
  facts: Pick<Facts, 'interfaces' | 'forwardingTable' | 'neighbors' | 'arpEntries'>;
}

export interface AttachmentUpdate {
  assetId: number;
  attachment: Sourced<SwitchAttachment>;
}

/** A record with a forwarding table is a switch (or a bridging router/AP) for placement. */
export function switchTablesOf(r: AttachableRecord): SwitchTables | null {
  const forwarding = r.facts.forwardingTable?.value ?? [];
  if (forwarding.length === 0) return null;
  return {
    assetId: r.assetId,
    name: r.hostname ?? r.address,
    address: r.address,
    macs: r.macs,
    interfaces: r.facts.interfaces?.value ?? [],
    forwarding,
    neighbors: r.facts.neighbors?.value ?? [],
  };
}

/**
 * For each record of a snapshot that is not itself a switch: the switch port one of its MACs was
 * placed on by the snapshot's forwarding tables. Records with no MAC of their own are looked up by
 * address in the ARP tables of the snapshot's routers.
 */
export function attachToSwitchPorts(records: readonly AttachableRecord[]): AttachmentUpdate[] {
  const switches = records.flatMap((r) => switchTablesOf(r) ?? []);
  if (switches.length === 0) return [];
  const placed = placeMacsOnPorts(switches);
  const arp = arpByAddress(records);
  const isSwitch = new Set(switches.map((s) => s.assetId));
  const out: AttachmentUpdate[] = [];
  for (const r of records) {
    if (isSwitch.has(r.assetId)) continue;
    let hit: { mac: string; placement: PortPlacement; arp?: { router: string; entry: ArpEntry } } | undefined;
    for (const mac of r.macs) {
      const placement = placed.get(normalizeMacText(mac));
      if (placement) {
        hit = { mac: normalizeMacText(mac), placement };
        break;
      }
    }
    if (!hit && r.macs.length === 0) {
      for (const address of r.addresses) {
        const a = arp.get(address);
        const placement = a ? placed.get(a.mac) : undefined;
        if (a && placement) {
          hit = { mac: a.mac, placement, arp: { router: a.router, entry: a.entry } };
          break;
        }
      }
    }
    if (!hit) continue;
    const p = hit.placement;
    const value: SwitchAttachment = {
      ...(p.switchAssetId !== undefined ? { switchAssetId: p.switchAssetId } : {}),
      switchName: p.switchName,
      switchAddress: p.switchAddress,
      port: p.port,
      ...(p.vlan !== undefined ? { vlan: p.vlan } : {}),
      mac: hit.mac,
      macsOnPort: p.macsOnPort,
    };
    const fdb = `forwarding table of ${p.switchName} (${p.switchAddress})`;
    out.push({
      assetId: r.assetId,
      attachment: {
        value,
        source: hit.arp ? `${fdb}; MAC from the ARP table of ${hit.arp.router} (IP-MIB)` : fdb,
        rule: p.viaNeighbor
          ? `${p.viaNeighbor} on that port`
          : `edge port: fewest MACs (${p.macsOnPort}) of the ports that learnt ${hit.mac}, LLDP/CDP uplinks excluded`,
      },
    });
  }
  return out;
}

/** Address -> MAC from the routers' ARP tables; an address two routers disagree on is left out. */
function arpByAddress(records: readonly AttachableRecord[]): Map<string, { mac: string; router: string; entry: ArpEntry }> {
  const out = new Map<string, { mac: string; router: string; entry: ArpEntry }>();
  const conflicting = new Set<string>();
  for (const r of records) {
    for (const entry of r.facts.arpEntries?.value ?? []) {
      const mac = normalizeMacText(entry.mac);
      const prev = out.get(entry.ip);
      if (prev && prev.mac !== mac) conflicting.add(entry.ip);
      else if (!prev) out.set(entry.ip, { mac, router: r.hostname ?? r.address, entry });
    }
  }
  for (const ip of conflicting) out.delete(ip);
  return out;
}
