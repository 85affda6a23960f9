// Merges the observations of one snapshot into DeviceRecords: one record per device.
//
// Observations at one address form one record. Records at different addresses are one device when
// they share a usable serial (vendors not conflicting), a usable SMBIOS UUID or a usable SNMP engine
// id: a router answering on three addresses is one record. MACs do not merge addresses: proxy ARP
// would fold a whole range behind a firewall into one "device".
//
// Facts merge (mergeFacts):
// - Scanners are ranked: those in `priority` first, in its order (highest first), then any others
//   in the order first seen. Without `priority`, the order seen.
// - Scalar fields (serial, vendor, model, type, os, firmware, ...): the first non-empty value in
//   rank order wins; within one scanner, the earliest observation.
// - List fields (macs, hostnames, liveness): the union without duplicates (same value and source;
//   liveness: same method), in rank order, so the first host name is the preferred one.
// - openPorts: the union of all scanners' ports (a port found open by any scanner is open), keyed by
//   port and protocol; the source lists every contributing source.
// - statuses: per scanner the best outcome; 'ok' beats anything (see STATUS_RANK).

import type { DeviceRecord, Facts, Liveness, Observation, OpenPort, ScanStatus, Sourced } from '../model/index.js';
import {
  isUsableEngineId,
  isUsableSerial,
  isUsableUuid,
  normalizeEngineId,
  normalizeMac,
  normalizeSerial,
  normalizeUuid,
  vendorsCompatible,
} from './identity.js';

/**
 * Which status of one scanner a record keeps: 'ok' first, then answers that show a host replied
 * (auth-failed, protocol-error, refused) before silence (timeout, unreachable), then our own
 * failures, and 'skipped' (not tried) last.
 */
const STATUS_RANK: readonly ScanStatus[] = [
  'ok',
  'auth-failed',
  'protocol-error',
  'refused',
  'timeout',
  'unreachable',
  'error',
  'skipped',
];

function betterStatus(a: ScanStatus | undefined, b: ScanStatus): ScanStatus {
  if (a === undefined) return b;
  return STATUS_RANK.indexOf(b) < STATUS_RANK.indexOf(a) ? b : a;
}

type ScalarKey = 'serial' | 'smbiosUuid' | 'snmpEngineId' | 'vendor' | 'model' | 'type' | 'os' | 'firmware' | 'macVendor' | 'location' | 'description';
const SCALAR_KEYS: readonly ScalarKey[] = [
  'serial',
  'smbiosUuid',
  'snmpEngineId',
  'vendor',
  'model',
  'type',
  'os',
  'firmware',
  'macVendor',
  'location',
  'description',
];

const MERGED_ELSEWHERE: ReadonlySet<string> = new Set([...SCALAR_KEYS, 'macs', 'hostnames', 'liveness', 'openPorts']);

/** Observations ordered by scanner rank, stable within a scanner. */
function rankObservations(observations: readonly Observation[], priority: readonly string[]): Observation[] {
  const rank = new Map<string, number>();
  priority.forEach((s, i) => {
    if (!rank.has(s)) rank.set(s, i);
  });
  for (const o of observations) if (!rank.has(o.scanner)) rank.set(o.scanner, priority.length + rank.size);
  return observations
    .map((o, i) => ({ o, i }))
    .sort((a, b) => (rank.get(a.o.scanner) as number) - (rank.get(b.o.scanner) as number) || a.i - b.i)
    .map(({ o }) => o);
}

/** Merges the facts of several observations of one device. */
export function mergeFacts(observations: readonly Observation[], priority: readonly string[] = []): Facts {
  const merged: Facts = {};
  const macs: Sourced<string>[] = [];
  const hostnames: Sourced<string>[] = [];
  const liveness: Liveness[] = [];
  const ports = new Map<string, OpenPort>();
  const portSources: string[] = [];
  let sawPorts = false;

  for (const { facts } of rankObservations(observations, priority)) {
    for (const key of SCALAR_KEYS) {
      const field = facts[key];
      if (merged[key] === undefined && field !== undefined && String(field.value).trim() !== '') {
        // Each key's value type matches its own key; TypeScript cannot see that through the union.
        (merged as Record<ScalarKey, Sourced<string>>)[key] = { ...(field as Sourced<string>) };
      }
    }
    // Detail fields (SNMP tables, raw identification data, and any added later): first present wins.
    for (const key of Object.keys(facts) as (keyof Facts)[]) {
      if (MERGED_ELSEWHERE.has(key) || merged[key] !== undefined || facts[key] === undefined) continue;
      (merged as Record<string, unknown>)[key] = facts[key];
    }
    for (const m of facts.macs ?? []) {
      // Duplicate = same MAC (in any spelling) from the same source.
      const norm = normalizeMac(m.value) ?? m.value;
      if (!macs.some((x) => (normalizeMac(x.value) ?? x.value) === norm && x.source === m.source)) macs.push({ ...m });
    }
    for (const h of facts.hostnames ?? []) {
      if (h.value.trim() === '') continue;
      if (!hostnames.some((x) => x.value === h.value && x.source === h.source)) hostnames.push({ ...h });
    }
    for (const l of facts.liveness ?? []) {
      if (!liveness.some((x) => x.method === l.method)) liveness.push({ ...l });
    }
    if (facts.openPorts !== undefined) {
      sawPorts = true;
      if (!portSources.includes(facts.openPorts.source)) portSources.push(facts.openPorts.source);
      for (const p of facts.openPorts.value) {
        const key = `${p.protocol}/${p.port}`;
        const known = ports.get(key);
        if (known === undefined) ports.set(key, { ...p });
        else if (known.service === undefined && p.service !== undefined) known.service = p.service;
      }
    }
  }

  if (macs.length > 0) merged.macs = macs;
  if (hostnames.length > 0) merged.hostnames = hostnames;
  if (liveness.length > 0) merged.liveness = liveness;
  if (sawPorts) {
    const value = [...ports.values()].sort((a, b) => a.port - b.port || (a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0));
    merged.openPorts = { value, source: portSources.join(', ') };
  }
  return merged;
}

/** Builds one record from observations in input order; the first observation's address leads. */
function buildRecord(observations: readonly Observation[], priority: readonly string[]): DeviceRecord {
  const first = observations[0];
  if (first === undefined) throw new Error('buildRecord: no observations');
  const addresses: string[] = [];
  const statuses: Record<string, ScanStatus> = {};
  for (const o of observations) {
    if (!addresses.includes(o.address)) addresses.push(o.address);
    statuses[o.scanner] = betterStatus(statuses[o.scanner], o.status);
  }
  return {
    address: first.address,
    addresses,
    facts: mergeFacts(observations, priority),
    statuses,
    observations: [...observations],
  };
}

/**
 * Adds one observation to a record and returns the new record (the input is not changed). For
 * streaming use: facts are re-merged from all observations so that `priority` holds whatever order
 * observations arrive in. A device has few observations, so the re-merge is cheap.
 */
export function mergeInto(record: DeviceRecord, observation: Observation, priority: readonly string[] = []): DeviceRecord {
  const merged = buildRecord([...record.observations, observation], priority);
  // The display address stays the one the record was first found at.
  return { ...merged, address: record.address, addresses: [record.address, ...merged.addresses.filter((a) => a !== record.address)] };
}

/** Union-find over address groups, refusing serial merges whose vendors conflict. */
class Clusters {
  private readonly parent: number[];
  private readonly vendor: Array<string | null>;

  constructor(vendors: Array<string | null>) {
    this.parent = vendors.map((_, i) => i);
    this.vendor = [...vendors];
  }

  find(i: number): number {
    let root = i;
    while (this.parent[root] !== root) root = this.parent[root] as number;
    return root;
  }

  /** Joins two clusters; with `checkVendor`, only if their vendors do not conflict. */
  union(a: number, b: number, checkVendor: boolean): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    const va = this.vendor[ra] ?? null;
    const vb = this.vendor[rb] ?? null;
    if (checkVendor && !vendorsCompatible(va, vb)) return;
    // The lower index (the address seen first) stays the root.
    const [root, child] = ra < rb ? [ra, rb] : [rb, ra];
    this.parent[child] = root;
    // Keep the longer, more specific name: "Cisco Systems" constrains more than "Cisco".
    this.vendor[root] = va === null || (vb !== null && vb.length > va.length) ? vb : va;
  }
}

/**
 * Groups one snapshot's observations into device records. Records come out in the order their first
 * observation came in; observations inside a record keep input order. Every address with an
 * observation becomes (part of) a record, whatever its statuses: the caller decides which
 * observations are worth recording.
 */
export function mergeObservations(observations: readonly Observation[], priority: readonly string[] = []): DeviceRecord[] {
  // 1. By address, remembering input positions so merged records keep input order.
  const byAddress = new Map<string, Array<{ o: Observation; i: number }>>();
  observations.forEach((o, i) => {
    const group = byAddress.get(o.address);
    if (group === undefined) byAddress.set(o.address, [{ o, i }]);
    else group.push({ o, i });
  });
  const groups = [...byAddress.values()];
  const groupFacts = groups.map((g) => mergeFacts(g.map(({ o }) => o), priority));

  // 2. Join addresses that share a strong identifier.
  const clusters = new Clusters(groupFacts.map((f) => f.vendor?.value?.trim() || null));
  const seen = { serial: new Map<string, number[]>(), uuid: new Map<string, number>(), engine: new Map<string, number>() };
  groupFacts.forEach((f, gi) => {
    const serial = f.serial?.value;
    if (isUsableSerial(serial)) {
      // Try every earlier group with this serial: the first may have a conflicting vendor while a
      // later one matches.
      const key = normalizeSerial(serial as string);
      const earlier = seen.serial.get(key) ?? [];
      for (const other of earlier) clusters.union(other, gi, true);
      seen.serial.set(key, [...earlier, gi]);
    }
    const uuid = f.smbiosUuid?.value;
    if (isUsableUuid(uuid)) {
      const key = normalizeUuid(uuid as string) as string;
      const other = seen.uuid.get(key);
      if (other === undefined) seen.uuid.set(key, gi);
      else clusters.union(other, gi, false);
    }
    const engine = f.snmpEngineId?.value;
    if (isUsableEngineId(engine)) {
      const key = normalizeEngineId(engine as string);
      const other = seen.engine.get(key);
      if (other === undefined) seen.engine.set(key, gi);
      else clusters.union(other, gi, false);
    }
  });

  // 3. One record per cluster, in order of the cluster's first group.
  const members = new Map<number, Array<{ o: Observation; i: number }>>();
  groups.forEach((g, gi) => {
    const root = clusters.find(gi);
    const list = members.get(root);
    if (list === undefined) members.set(root, [...g]);
    else list.push(...g);
  });
  // The root is the cluster's lowest group index, i.e. the address seen first, so buildRecord's
  // lead address (the first observation's) is that address.
  return [...members.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, list]) =>
      buildRecord(
        list.sort((a, b) => a.i - b.i).map(({ o }) => o),
        priority,
      ),
    );
}
