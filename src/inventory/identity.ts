// Identity: is this record the device we saw last month?
//
// A pure function of (record summary, known assets) -> {assetId | new, evidence, conflicts}, following
// the rules of ARCHITECTURE.md "Identity", strongest first:
//
//   1. vendor + serial        (usable serials only; vendors must not conflict)
//   2. SMBIOS UUID, SNMP engine id
//   3. identity MAC           (globally administered unicast, not a shared virtual prefix, not seen
//                              behind many addresses in this scan), against any MAC of an asset
//   4. hostname               (case-insensitive; vendor and type must not conflict)
//   5. address alone          (only when nothing identifying is known on either side and the
//                              types agree)
//
// Decisions worth knowing:
// - A different serial means a different device. A known asset whose usable serial differs from the
//   record's usable serial (vendors not conflicting) is never matched by any weaker rule (UUID,
//   engine id, MAC, hostname, address). The pointer is kept as a conflict. So "same MAC, different
//   serial" resolves to the serial: to the asset holding that serial if there is one, or else to a
//   new asset, with a note either way (a NIC moved between machines, a replaced printer that took
//   the old one's name and address).
// - Weak rules (hostname, address) never pick an asset already claimed by another record of this
//   snapshot; strong rules do (two records with one serial are one device however they were split).
// - When one rule points at several assets, the one that most other rules agree with wins, then the
//   highest id (the newest asset is the latest to have shown that identifier). The others are conflicts.
// - A hostname that is only the address spelt out (PTR "host-10-0-0-5.isp.net", "10.0.0.5",
//   "localhost") is not identifying: matching it would be the address rule in disguise.

import type {
  DeviceSummary,
  DeviceType,
  Evidence,
  EvidenceRule,
  IdentityConflict,
  IdentityResult,
} from '../model/index.js';

// ---------------------------------------------------------------------------------------------
// Normalisation and usability of identifiers

const CANONICAL_MAC = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/;

/**
 * Normalises a MAC to lower-case `aa:bb:cc:dd:ee:ff`. Accepts colon or dash separated (octets of one
 * or two digits, as some SNMP agents print `0:1b:...`), Cisco dotted `aabb.ccdd.eeff`, bare hex and
 * a `0x` prefix. Returns null when `s` is not a MAC.
 */
export function normalizeMac(s: string): string | null {
  // Most MACs come this way already (the neighbour table, arp-scan, our own records): a record's
  // merge and identity read each several times.
  if (CANONICAL_MAC.test(s)) return s;
  let text = s.trim().toLowerCase();
  if (text.startsWith('0x')) text = text.slice(2);
  let octets: string[];
  const parts = text.split(/[:\- ]/);
  if (parts.length === 6) {
    if (!parts.every((p) => /^[0-9a-f]{1,2}$/.test(p))) return null;
    octets = parts.map((p) => p.padStart(2, '0'));
  } else {
    const hex = /^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/.test(text) ? text.replaceAll('.', '') : text;
    if (!/^[0-9a-f]{12}$/.test(hex)) return null;
    octets = hex.match(/../g) ?? [];
  }
  return octets.join(':');
}

/**
 * Virtual MAC prefixes that many hosts share by design, so a match says nothing about which host it
 * is. VMware (00:50:56, 00:0c:29) is deliberately absent: a VM's MAC identifies that VM.
 * Locally administered ranges (02:..., Docker 02:42, the lab's 02:...) need no entry: bit 0x02 of
 * the first octet already excludes them.
 */
export const SHARED_MAC_PREFIXES: readonly string[] = [
  '00:00:5e:00:01', // VRRP (IPv4) and CARP virtual router
  '00:00:5e:00:02', // VRRP (IPv6)
  '00:00:0c:07:ac', // Cisco HSRP v1
  '00:00:0c:9f:f', // Cisco HSRP v2 (0000.0c9f.f000 - 0fff)
  '00:05:73:a0:0', // Cisco HSRP for IPv6 (0005.73a0.0000 - 0fff)
  '00:07:b4:00:01', // Cisco GLBP
];

/**
 * True if the MAC can identify one device: parseable, unicast (bit 0x01 of the first octet clear),
 * globally administered (bit 0x02 clear, which also rules out randomised MACs), not all-zero or
 * broadcast, and not in a shared virtual prefix.
 */
export function isIdentityMac(mac: string): boolean {
  const m = normalizeMac(mac);
  if (m === null) return false;
  const first = parseInt(m.slice(0, 2), 16);
  if ((first & 0x01) !== 0 || (first & 0x02) !== 0) return false;
  if (m === '00:00:00:00:00:00' || m === 'ff:ff:ff:ff:ff:ff') return false;
  return !SHARED_MAC_PREFIXES.some((prefix) => m.startsWith(prefix));
}

/** Serial placeholders seen in SMBIOS and SNMP, compared with case, spaces and punctuation removed. */
const SERIAL_PLACEHOLDERS = new Set(
  [
    'To Be Filled By O.E.M.',
    'To be filled',
    'Default string',
    'System Serial Number',
    'Chassis Serial Number',
    'Base Board Serial Number',
    'Serial Number',
    'SerialNumber',
    'S/N',
    'SN',
    'None',
    'Null',
    'Undefined',
    'N/A',
    'NA',
    'Not Specified',
    'Not Available',
    'Not Applicable',
    'Not Set',
    'Unknown',
    'Invalid',
    'Empty',
    'Default',
    'OEM',
    'O.E.M.',
    'Type1ProductConfigId',
  ].map(compactSerial),
);

/** A serial with everything but letters and digits removed, upper-cased: the placeholder form. */
function compactSerial(s: string): string {
  return s.toUpperCase().replace(/[^0-9A-Z]/g, '');
}

/** The comparison key of a serial: trimmed and upper-cased (serials are not case-sensitive in practice). */
export function normalizeSerial(s: string): string {
  return s.trim().toUpperCase();
}

/**
 * True if a serial can identify one device. False for empty or whitespace, a single character
 * repeated (all-zero, all-F, "XXXXXXXX", "--------"), an ascending digit run ("0123456789",
 * "123456789"), fewer than three letters or digits, and known placeholder text (case-insensitive).
 */
export function isUsableSerial(s: string | null | undefined): boolean {
  if (s == null) return false;
  const compact = compactSerial(s);
  if (compact.length < 3) return false;
  if (/^(.)\1*$/.test(compact)) return false;
  if (/^\d+$/.test(compact) && compact.length >= 5 && '01234567890123456789'.includes(compact)) return false;
  return !SERIAL_PLACEHOLDERS.has(compact);
}

/**
 * UUIDs that firmware ships on many boards instead of a real one (beside all-zero and all-F):
 * "03000200-0400-0500-0006-000700080009" is the well-known one from unfilled AMI/Gigabyte boards.
 */
const BOGUS_UUIDS = new Set(['03000200-0400-0500-0006-000700080009']);

/** Lower-case hyphenated UUID, or null if malformed. Accepts braces and the 32-hex form. */
export function normalizeUuid(s: string): string | null {
  const hex = s.trim().toLowerCase().replace(/^\{|\}$/g, '');
  const m = /^([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})$/.exec(hex);
  return m ? m.slice(1).join('-') : null;
}

/** True if an SMBIOS UUID is well-formed and not all-zero, all-F or a known shared value. */
export function isUsableUuid(s: string | null | undefined): boolean {
  if (s == null) return false;
  const u = normalizeUuid(s);
  if (u === null) return false;
  const digits = u.replaceAll('-', '');
  if (/^0+$/.test(digits) || /^f+$/.test(digits)) return false;
  return !BOGUS_UUIDS.has(u);
}

/** An SNMP engine id as lower-case hex without separators or 0x prefix (textual ids just trimmed). */
export function normalizeEngineId(s: string): string {
  const t = s.trim().toLowerCase();
  const hex = t.replace(/^0x/, '').replace(/[:\s.-]/g, '');
  return /^[0-9a-f]+$/.test(hex) ? hex : t;
}

/** True if an engine id can identify one agent: not empty and not one character repeated (all-zero). */
export function isUsableEngineId(s: string | null | undefined): boolean {
  if (s == null) return false;
  const e = normalizeEngineId(s);
  return e.length > 0 && !/^(.)\1*$/.test(e);
}

/** Lower-case vendor with punctuation collapsed and a trailing company suffix removed, or null. */
export function normalizeVendor(s: string | null | undefined): string | null {
  if (s == null) return null;
  const v = s
    .toLowerCase()
    .replace(/[^0-9a-z]+/g, ' ')
    .trim()
    .replace(/ (inc|incorporated|corp|corporation|co|ltd|llc|gmbh|ag|sa|bv|limited)$/, '')
    .trim();
  return v === '' ? null : v;
}

/**
 * Vendors conflict only when both are known and neither normalised name is a whole-word prefix of
 * the other: "Cisco" and "Cisco Systems, Inc." agree, "HP" and "Hewlett Packard" are not compared
 * by this (identify/ gives canonical names), "Cisco" and "Juniper" conflict.
 */
export function vendorsCompatible(a: string | null | undefined, b: string | null | undefined): boolean {
  const x = normalizeVendor(a);
  const y = normalizeVendor(b);
  if (x === null || y === null || x === y) return true;
  const [short, long] = x.length < y.length ? [x, y] : [y, x];
  return long.startsWith(`${short} `);
}

/** Lower-case hostname without surrounding space or a trailing dot, or null when empty. */
export function normalizeHostname(s: string | null | undefined): string | null {
  if (s == null) return null;
  const h = s.trim().replace(/\.$/, '').toLowerCase();
  return h === '' ? null : h;
}

/**
 * True if a hostname can identify a device: not empty, not "localhost", not an address literal, and
 * not the device's own IPv4 address spelt out in it (ISP and DHCP PTR names such as
 * "dhcp-10-0-0-5.corp" or "5.0.0.10.in-addr.arpa" follow the address, not the device).
 */
export function isIdentityHostname(name: string | null | undefined, addresses: readonly string[] = []): boolean {
  const h = normalizeHostname(name);
  if (h === null) return false;
  const short = h.split('.')[0] ?? h;
  if (short === 'localhost' || h === 'localhost.localdomain') return false;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(h) || h.includes(':')) return false;
  for (const a of addresses) {
    const octets = a.split('.');
    if (octets.length !== 4) continue;
    if (octets.every(isDigits)) {
      // The usual case (a dotted-quad address): the same test as the patterns below, without
      // compiling two regular expressions per address.
      if (spellsOut(h, octets) || spellsOut(h, [...octets].reverse())) return false;
      continue;
    }
    for (const pattern of addressPatterns(a)) {
      if (pattern.test(h)) return false;
    }
  }
  return true;
}

const isDigits = (s: string): boolean => /^[0-9]+$/.test(s);
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** True if `h` holds the four digit runs joined by "-", "." or "_", not within a longer number: /(^|[^0-9])a[-._]b[-._]c[-._]d($|[^0-9])/. */
function spellsOut(h: string, seq: readonly string[]): boolean {
  const first = seq[0] as string;
  for (let i = h.indexOf(first); i !== -1; i = h.indexOf(first, i + 1)) {
    if (i > 0 && isDigit(h[i - 1])) continue;
    let j = i + first.length;
    let ok = true;
    for (let k = 1; k < seq.length; k++) {
      const part = seq[k] as string;
      const sep = h[j];
      if ((sep === '-' || sep === '.' || sep === '_') && h.startsWith(part, j + 1)) j += 1 + part.length;
      else {
        ok = false;
        break;
      }
    }
    if (ok && !isDigit(h[j])) return true;
  }
  return false;
}

/** The address spelt out forwards and backwards, as isIdentityHostname looks for it; built once per address. */
const ADDRESS_PATTERNS = new Map<string, readonly RegExp[]>();

function addressPatterns(address: string): readonly RegExp[] {
  let patterns = ADDRESS_PATTERNS.get(address);
  if (patterns === undefined) {
    const octets = address.split('.');
    patterns =
      octets.length !== 4
        ? []
        : [octets, [...octets].reverse()].map((seq) => new RegExp(`(^|[^0-9])${seq.join('[-._]')}($|[^0-9])`));
    // Bounded: a sweep of a /16 must not keep 65,536 pairs of patterns.
    if (ADDRESS_PATTERNS.size >= 4096) ADDRESS_PATTERNS.clear();
    ADDRESS_PATTERNS.set(address, patterns);
  }
  return patterns;
}

// ---------------------------------------------------------------------------------------------
// The index of known assets

/** A known asset: its id and its latest state. */
export type KnownAsset = DeviceSummary & { id: number };

/**
 * Known assets by every identifier the rules look up. Values are sets of asset ids because history
 * can leave one identifier on two assets (a NIC moved between machines). Mutable: the store resolves
 * records one after another and adds each created or updated asset with `addToIndex`.
 */
export interface AssetIndex {
  assets: Map<number, KnownAsset>;
  /** Key: normalised serial. Vendors are compared at lookup, so that a null vendor can still match. */
  bySerial: Map<string, Set<number>>;
  byUuid: Map<string, Set<number>>;
  byEngineId: Map<string, Set<number>>;
  /** Identity MACs only. */
  byMac: Map<string, Set<number>>;
  /** Identity hostnames only, normalised. */
  byHostname: Map<string, Set<number>>;
  byAddress: Map<string, Set<number>>;
}

/** The index keys of one asset, per map. */
function indexKeys(asset: DeviceSummary): Array<[Exclude<keyof AssetIndex, 'assets'>, string]> {
  const keys: Array<[Exclude<keyof AssetIndex, 'assets'>, string]> = [];
  if (asset.serial !== null && isUsableSerial(asset.serial)) keys.push(['bySerial', normalizeSerial(asset.serial)]);
  if (asset.smbiosUuid !== null && isUsableUuid(asset.smbiosUuid)) {
    keys.push(['byUuid', normalizeUuid(asset.smbiosUuid) as string]);
  }
  if (asset.snmpEngineId !== null && isUsableEngineId(asset.snmpEngineId)) {
    keys.push(['byEngineId', normalizeEngineId(asset.snmpEngineId)]);
  }
  for (const mac of asset.macs) {
    const m = normalizeMac(mac);
    if (m !== null && isIdentityMac(m)) keys.push(['byMac', m]);
  }
  const addresses = allAddresses(asset);
  if (isIdentityHostname(asset.hostname, addresses)) keys.push(['byHostname', normalizeHostname(asset.hostname) as string]);
  for (const a of addresses) keys.push(['byAddress', a]);
  return keys;
}

function allAddresses(s: DeviceSummary): string[] {
  return [...new Set([s.address, ...s.addresses])];
}

export function buildAssetIndex(assets: readonly KnownAsset[]): AssetIndex {
  const index: AssetIndex = {
    assets: new Map(),
    bySerial: new Map(),
    byUuid: new Map(),
    byEngineId: new Map(),
    byMac: new Map(),
    byHostname: new Map(),
    byAddress: new Map(),
  };
  for (const asset of assets) addToIndex(index, asset);
  return index;
}

/**
 * Adds an asset to the index, or replaces it if its id is already there (its old keys are removed
 * first, so an asset that moved is no longer found at its old address).
 */
export function addToIndex(index: AssetIndex, asset: KnownAsset): void {
  const old = index.assets.get(asset.id);
  if (old !== undefined) {
    for (const [map, key] of indexKeys(old)) {
      const ids = index[map].get(key);
      ids?.delete(asset.id);
      if (ids?.size === 0) index[map].delete(key);
    }
  }
  index.assets.set(asset.id, asset);
  for (const [map, key] of indexKeys(asset)) {
    let ids = index[map].get(key);
    if (ids === undefined) index[map].set(key, (ids = new Set()));
    ids.add(asset.id);
  }
}

// ---------------------------------------------------------------------------------------------
// Resolution

export interface ResolveOptions {
  /** Assets already matched by another record of this snapshot: weak rules may not pick them. */
  claimed?: ReadonlySet<number>;
  /** MACs seen behind many addresses in this scan (proxy ARP, a firewall): never identity. */
  sharedMacs?: ReadonlySet<string>;
}

const RULE_ORDER: readonly EvidenceRule[] = ['serial', 'smbios-uuid', 'snmp-engine-id', 'mac', 'hostname', 'address'];
const WEAK_RULES: ReadonlySet<EvidenceRule> = new Set(['hostname', 'address']);

/** One rule pointing at one asset, and why it may not decide if it may not. */
interface Pointer {
  rule: EvidenceRule;
  value: string;
  assetId: number;
  blocked: null | 'serial-differs' | 'claimed';
}

/** Types conflict only when both are known and differ. */
function typesCompatible(a: DeviceType | null, b: DeviceType | null): boolean {
  return a === null || b === null || a === b;
}

/** The identity MACs of a summary, excluding those shared in this scan. */
function identityMacs(s: DeviceSummary, shared: ReadonlySet<string>): string[] {
  const macs = new Set<string>();
  for (const mac of s.macs) {
    const m = normalizeMac(mac);
    if (m !== null && isIdentityMac(m) && !shared.has(m)) macs.add(m);
  }
  return [...macs].sort();
}

/** True if anything but the address could identify this device. */
function hasIdentifiers(s: DeviceSummary, shared: ReadonlySet<string>): boolean {
  return (
    isUsableSerial(s.serial) ||
    isUsableUuid(s.smbiosUuid) ||
    isUsableEngineId(s.snmpEngineId) ||
    identityMacs(s, shared).length > 0 ||
    isIdentityHostname(s.hostname, allAddresses(s))
  );
}

/** Every rule that points at a known asset, strongest first, before any decision. */
function collectPointers(summary: DeviceSummary, index: AssetIndex, shared: ReadonlySet<string>): Pointer[] {
  const pointers: Pointer[] = [];
  const add = (rule: EvidenceRule, value: string, ids: Iterable<number> | undefined, accept: (a: KnownAsset) => boolean) => {
    for (const id of [...(ids ?? [])].sort((a, b) => a - b)) {
      const asset = index.assets.get(id);
      if (asset !== undefined && accept(asset)) pointers.push({ rule, value, assetId: id, blocked: null });
    }
  };

  if (summary.serial !== null && isUsableSerial(summary.serial)) {
    const serial = normalizeSerial(summary.serial);
    const shown = summary.vendor ? `${summary.vendor}/${summary.serial.trim()}` : summary.serial.trim();
    add('serial', shown, index.bySerial.get(serial), (a) => vendorsCompatible(summary.vendor, a.vendor));
  }
  if (summary.smbiosUuid !== null && isUsableUuid(summary.smbiosUuid)) {
    const uuid = normalizeUuid(summary.smbiosUuid) as string;
    add('smbios-uuid', uuid, index.byUuid.get(uuid), () => true);
  }
  if (summary.snmpEngineId !== null && isUsableEngineId(summary.snmpEngineId)) {
    const engineId = normalizeEngineId(summary.snmpEngineId);
    add('snmp-engine-id', engineId, index.byEngineId.get(engineId), () => true);
  }
  for (const mac of identityMacs(summary, shared)) add('mac', mac, index.byMac.get(mac), () => true);

  const addresses = allAddresses(summary);
  if (isIdentityHostname(summary.hostname, addresses)) {
    const hostname = normalizeHostname(summary.hostname) as string;
    add(
      'hostname',
      hostname,
      index.byHostname.get(hostname),
      (a) => vendorsCompatible(summary.vendor, a.vendor) && typesCompatible(summary.type, a.type),
    );
  }
  // Address alone: only when nothing else identifies either side, and the types agree exactly
  // (equal or both unknown: a printer that took over a dead workstation's DHCP lease is not that
  // workstation). The known asset's MACs are judged with this scan's shared set too: an asset
  // whose only MAC is the firewall's proxy-ARP MAC was never identified by it.
  if (!hasIdentifiers(summary, shared)) {
    const seen = new Set<number>();
    for (const address of addresses) {
      add('address', address, index.byAddress.get(address), (a) => {
        if (seen.has(a.id)) return false; // one pointer per asset, at the first shared address
        const ok = !hasIdentifiers(a, shared) && summary.type === a.type;
        if (ok) seen.add(a.id);
        return ok;
      });
    }
  }
  return pointers;
}

/**
 * Resolves a record's summary to a known asset (or to a new one: assetId null), with the evidence
 * that decided and the conflicts that lost. See the file header for the rules.
 */
export function resolveIdentity(summary: DeviceSummary, index: AssetIndex, opts: ResolveOptions = {}): IdentityResult {
  const claimed = opts.claimed ?? new Set<number>();
  const shared = opts.sharedMacs ?? new Set<string>();
  const pointers = collectPointers(summary, index, shared);

  // A known asset with a different usable serial is a different device: no rule below the serial
  // may choose it.
  const serial = summary.serial !== null && isUsableSerial(summary.serial) ? normalizeSerial(summary.serial) : null;
  for (const p of pointers) {
    const asset = index.assets.get(p.assetId) as KnownAsset;
    if (
      p.rule !== 'serial' &&
      serial !== null &&
      asset.serial !== null &&
      isUsableSerial(asset.serial) &&
      normalizeSerial(asset.serial) !== serial &&
      vendorsCompatible(summary.vendor, asset.vendor)
    ) {
      p.blocked = 'serial-differs';
    } else if (WEAK_RULES.has(p.rule) && claimed.has(p.assetId)) {
      p.blocked = 'claimed';
    }
  }

  const eligible = pointers.filter((p) => p.blocked === null);
  // How many distinct rules agree on each asset: the tie-break within one rule.
  const support = new Map<number, Set<EvidenceRule>>();
  for (const p of eligible) {
    const rules = support.get(p.assetId) ?? new Set<EvidenceRule>();
    rules.add(p.rule);
    support.set(p.assetId, rules);
  }

  let chosen: number | null = null;
  for (const rule of RULE_ORDER) {
    const ids = [...new Set(eligible.filter((p) => p.rule === rule).map((p) => p.assetId))];
    if (ids.length === 0) continue;
    ids.sort((a, b) => (support.get(b)?.size ?? 0) - (support.get(a)?.size ?? 0) || b - a);
    chosen = ids[0] as number;
    break;
  }

  // Evidence: every rule that points at the chosen asset. A weak rule that was blocked only because
  // the asset is claimed still agrees, so it counts as evidence (it did not choose).
  const evidence: Evidence[] = pointers
    .filter((p) => p.assetId === chosen && p.blocked !== 'serial-differs')
    .map(({ rule, value, assetId }) => ({ rule, value, assetId }));

  const winner = evidence[0];
  const conflicts: IdentityConflict[] = [];
  const noted = new Set<string>();
  for (const p of pointers) {
    if (p.assetId === chosen) continue;
    const key = `${p.rule}\u0000${p.value}\u0000${p.assetId}`;
    if (noted.has(key)) continue;
    noted.add(key);
    conflicts.push({ rule: p.rule, value: p.value, assetId: p.assetId, note: conflictNote(p, index, summary, winner) });
  }
  return { assetId: chosen, evidence, conflicts };
}

function conflictNote(p: Pointer, index: AssetIndex, summary: DeviceSummary, winner: Evidence | undefined): string {
  const what = `${p.rule} ${p.value}`;
  if (p.blocked === 'serial-differs') {
    const theirs = index.assets.get(p.assetId)?.serial?.trim();
    const outcome = winner ? `serial ${winner.value} matched asset ${winner.assetId}` : 'treated as a new asset';
    return `${what} belongs to asset ${p.assetId}, but its serial ${theirs} differs from this device's serial ${summary.serial?.trim()}: ${outcome}`;
  }
  if (p.blocked === 'claimed') {
    return `${what} matches asset ${p.assetId}, but that asset was already matched by another record in this snapshot`;
  }
  if (winner) return `${what} belongs to asset ${p.assetId}, but ${winner.rule} ${winner.value} matched asset ${winner.assetId}`;
  return `${what} belongs to asset ${p.assetId}, but it was not chosen`;
}

/**
 * MACs that appear on `minRecords` or more records of one scan: a firewall or router answering ARP
 * for a range (proxy ARP) gives its own MAC to every address behind it. Pass the result as
 * `sharedMacs` to resolveIdentity. Records of one device at several addresses are merged before this
 * (merge-observations), so a multi-homed device does not count against its own MAC.
 */
export function findSharedMacs(summaries: readonly DeviceSummary[], minRecords = 3): Set<string> {
  const counts = new Map<string, number>();
  for (const s of summaries) {
    const macs = new Set(s.macs.map(normalizeMac).filter((m): m is string => m !== null));
    for (const m of macs) counts.set(m, (counts.get(m) ?? 0) + 1);
  }
  return new Set([...counts].filter(([, n]) => n >= minRecords).map(([m]) => m));
}
