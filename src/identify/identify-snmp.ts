// Identification from SNMP facts, pure: which product line an agent is (definition files), and
// model, serial, firmware, OS and type from that line's ordered sources, with fallbacks when no
// line matches or a source is empty: the IANA enterprise number for the vendor, ENTITY-MIB and
// Printer-MIB for model and serial, the MIBs present for the type. Every answer keeps the OID it
// came from (`source`) and the rule that chose it (`rule`), for `netcensus asset ID --explain`.
import type { DeviceType, Facts, PhysicalEntity, SnmpFacts, Sourced } from '../model/index.js';
import ENTERPRISES from './enterprises.json' with { type: 'json' };
import type { LoadedProductLine } from './load-definitions.js';
import { ENTITY_COLUMN, oidName } from './oid-names.js';
import type { Extract } from './vendor-definition.js';
import { windowsRelease } from './windows-release.js';

const SYMBOLIC: Record<string, string> = { sysDescr: '1.3.6.1.2.1.1.1.0', sysObjectID: '1.3.6.1.2.1.1.2.0', sysName: '1.3.6.1.2.1.1.5.0' };
const PRT_GENERAL_SERIAL = '1.3.6.1.2.1.43.5.1.1.17';
const RMON_SOFTWARE_REV = '1.3.6.1.2.1.16.19.2.0';
const RMON_HARDWARE_REV = '1.3.6.1.2.1.16.19.3.0';

/** What the planner sees: the system group and the MIBs present. Mirrors scan/snmp's type. */
export interface SnmpSystemView {
  sysObjectID: string;
  sysDescr: string;
  mibs: string[];
}

export interface SnmpPlan {
  get: string[];
  walk: string[];
  kind: DeviceType | null;
}

interface Detection {
  line: LoadedProductLine;
  score: number;
  how: string;
  source: string;
}

function prefixMatch(prefixes: string[] | undefined, oid: string): string | undefined {
  return prefixes?.find((p) => (p.endsWith('.') ? oid.startsWith(p) : oid === p || oid.startsWith(p + '.')));
}

const compiled = new Map<string, RegExp>();
function re(pattern: string): RegExp {
  let r = compiled.get(pattern);
  if (!r) compiled.set(pattern, (r = new RegExp(pattern, 'i')));
  return r;
}

function excluded(line: LoadedProductLine, sysObjectID: string, sysDescr: string): boolean {
  const ex = line.detect.except;
  if (!ex) return false;
  const d = sysDescr.toLowerCase();
  return (
    prefixMatch(ex.sysObjectID, sysObjectID) !== undefined ||
    (ex.sysDescr ?? []).some((s) => d.includes(s.toLowerCase())) ||
    (ex.sysDescrRegex ?? []).some((r) => re(r).test(sysDescr))
  );
}

/** How well a line matches, without probes (plan time) or with the probe answers in `values`. */
function match(line: LoadedProductLine, sysObjectID: string, sysDescr: string, values: Record<string, string> | null): Detection | null {
  if (excluded(line, sysObjectID, sysDescr)) return null;
  const d = line.detect;
  const penalty = line.generic ? -10 : 0;
  const probe = values ? d.oidPresent?.find((oid) => (values[oid] ?? '') !== '') : undefined;
  if (probe) return { line, score: 3 + penalty, how: `answers ${oidName(probe)}`, source: oidName(probe) };
  const prefix = prefixMatch(d.sysObjectID, sysObjectID);
  if (prefix) return { line, score: 2 + prefix.length / 1000 + penalty, how: `sysObjectID ${sysObjectID} starts with ${prefix}`, source: 'SNMPv2-MIB::sysObjectID.0' };
  const lower = sysDescr.toLowerCase();
  const sub = d.sysDescr?.find((s) => lower.includes(s.toLowerCase()));
  if (sub) return { line, score: 1.1 + penalty, how: `sysDescr contains "${sub}"`, source: 'SNMPv2-MIB::sysDescr.0' };
  const rx = d.sysDescrRegex?.find((r) => re(r).test(sysDescr));
  if (rx) return { line, score: 1 + penalty, how: `sysDescr matches /${rx}/`, source: 'SNMPv2-MIB::sysDescr.0' };
  return null;
}

function detect(lines: LoadedProductLine[], snmp: Pick<SnmpFacts, 'sysObjectID' | 'sysDescr'>, values: Record<string, string> | null): Detection | null {
  let best: Detection | null = null;
  for (const line of lines) {
    const m = match(line, snmp.sysObjectID, snmp.sysDescr, values);
    if (m && (!best || m.score > best.score)) best = m;
  }
  return best;
}

/** The OIDs a line's extraction needs. */
function extractOids(line: LoadedProductLine): { get: string[]; walk: string[] } {
  const get: string[] = [];
  const walk: string[] = [];
  for (const list of [line.model, line.serial, line.firmware, line.os]) {
    for (const e of list ?? []) {
      if (e.oid) get.push(SYMBOLIC[e.oid] ?? e.oid);
      if (e.join) get.push(...e.join);
      if (e.walk) walk.push(e.walk);
    }
  }
  return { get, walk };
}

function typeFromRules(line: LoadedProductLine, sysObjectID: string, sysDescr: string, model: string | null): { type: DeviceType; rule: string } | null {
  for (const [i, rule] of (line.types ?? []).entries()) {
    if (rule.model && (model === null || !re(rule.model).test(model))) continue;
    if (rule.sysDescr && !re(rule.sysDescr).test(sysDescr)) continue;
    if (rule.sysObjectID && prefixMatch(rule.sysObjectID, sysObjectID) === undefined) continue;
    if (!rule.model && !rule.sysDescr && !rule.sysObjectID) continue;
    return { type: rule.type, rule: `${line.id} (${line.file}) types[${i}]` };
  }
  return line.type ? { type: line.type, rule: `${line.id} (${line.file}) type` } : null;
}

function typeFromMibs(mibs: string[], ipForwarding: number | undefined): { type: DeviceType; why: string } | null {
  if (mibs.includes('Printer-MIB')) return { type: 'printer', why: 'Printer-MIB present' };
  if (mibs.includes('UPS-MIB')) return { type: 'ups', why: 'UPS-MIB present' };
  if (ipForwarding === 1 && !mibs.includes('BRIDGE-MIB')) return { type: 'router', why: 'ipForwarding = forwarding' };
  if (mibs.includes('BRIDGE-MIB')) return { type: 'switch', why: 'BRIDGE-MIB present' };
  if (ipForwarding === 1) return { type: 'router', why: 'ipForwarding = forwarding' };
  if (mibs.includes('HOST-RESOURCES-MIB')) return { type: 'server', why: 'HOST-RESOURCES-MIB present' };
  return null;
}

/** Plans the identification fetch for an agent: candidates' OIDs and probes, and its kind. */
export function planSnmp(lines: LoadedProductLine[], system: SnmpSystemView): SnmpPlan {
  const get = new Set<string>([RMON_SOFTWARE_REV, RMON_HARDWARE_REV]);
  const walk = new Set<string>();
  if (system.mibs.includes('Printer-MIB')) walk.add(PRT_GENERAL_SERIAL);
  for (const line of lines) {
    const matched = match(line, system.sysObjectID, system.sysDescr, null) !== null;
    const probe = (line.detect.oidPresent?.length ?? 0) > 0 && (!line.detect.probeOn || prefixMatch(line.detect.probeOn, system.sysObjectID) !== undefined);
    if (!matched && !probe) continue;
    if (probe) for (const oid of line.detect.oidPresent!) get.add(oid);
    const oids = extractOids(line);
    oids.get.forEach((o) => get.add(o));
    oids.walk.forEach((o) => walk.add(o));
  }
  const best = detect(lines, system, null);
  const kind = best ? (typeFromRules(best.line, system.sysObjectID, system.sysDescr, null)?.type ?? null) : (typeFromMibs(system.mibs, undefined)?.type ?? null);
  return { get: [...get], walk: [...walk], kind };
}

const PLACEHOLDER = /^(0+|f+|n\/?a|none|null|unknown|not ?available|not ?specified|not ?set|default|<private>|[.\-x_ ]+|serial ?number|to be filled by o\.e\.m\.?|system serial number|0123456789)$/i;

function usable(value: string | null | undefined): value is string {
  return value !== null && value !== undefined && value.trim() !== '' && !PLACEHOLDER.test(value.trim());
}

interface Found {
  value: string;
  source: string;
}

function chassis(entities: PhysicalEntity[], field: NonNullable<Extract['entity']>): { entity: PhysicalEntity; value: string } | null {
  const get = (e: PhysicalEntity): string | undefined => (e as unknown as Record<string, string | undefined>)[field];
  // Some agents (VMware) describe the box as a backplane or stack: without a chassis, the first entity
  // that is not a part (port, sensor, fan, supply, slot, cpu) stands for it.
  const parts = new Set(['port', 'sensor', 'fan', 'powerSupply', 'container', 'cpu', 'battery', 'storageDrive', 'energyObject']);
  const pick = entities.find((e) => e.class === 'chassis' && usable(get(e))) ?? entities.find((e) => usable(get(e)) && !parts.has(e.class));
  return pick ? { entity: pick, value: get(pick)!.trim() } : null;
}

function sortedKeys(values: Record<string, string>, prefix: string): string[] {
  return Object.keys(values)
    .filter((k) => k.startsWith(prefix + '.'))
    .sort((a, b) => {
      const pa = a.split('.').map(Number);
      const pb = b.split('.').map(Number);
      for (let i = 0; i < Math.min(pa.length, pb.length); i++) if (pa[i] !== pb[i]) return pa[i]! - pb[i]!;
      return pa.length - pb.length;
    });
}

function runExtract(e: Extract, facts: Facts, snmp: SnmpFacts): Found | null {
  const values = snmp.values;
  let raw: Found | null = null;
  if (e.oid) {
    const oid = SYMBOLIC[e.oid] ?? e.oid;
    const v = e.oid === 'sysDescr' ? snmp.sysDescr : values[oid];
    if (v) raw = { value: v, source: oidName(oid, e.name) };
  } else if (e.join) {
    const parts = e.join.map((o) => values[o]).filter(usable);
    if (parts.length > 0) raw = { value: parts.join(' '), source: e.name ?? e.join.map((o) => oidName(o)).join(' + ') };
  } else if (e.walk) {
    const key = sortedKeys(values, e.walk).find((k) => usable(values[k]));
    if (key) raw = { value: values[key]!, source: oidName(key, e.name) };
  } else if (e.entity) {
    const c = chassis(facts.entities?.value ?? [], e.entity);
    if (c) raw = { value: c.value, source: oidName(`1.3.6.1.2.1.47.1.1.1.1.${ENTITY_COLUMN[e.entity]}.${c.entity.index}`) };
  } else if (e.hrPrinter) {
    const d = facts.hostResources?.value.devices.find((x) => x.type === 'printer' && usable(x.descr));
    if (d) raw = { value: d.descr, source: 'HOST-RESOURCES-MIB::hrDeviceDescr (printer)' };
  } else if (e.hook === 'windows-release') {
    const v = windowsRelease(snmp.sysDescr, snmp.sysObjectID);
    if (v) raw = { value: v, source: 'SNMPv2-MIB::sysDescr.0 (build number)' };
  }
  if (!raw) return null;
  let value = raw.value.trim();
  if (e.regex) {
    const m = re(e.regex).exec(value);
    if (!m) return null;
    const groups = m.groups ?? {};
    value = e.format ? e.format.replace(/\{(\w+)\}/g, (_, g: string) => groups[g] ?? '') : (groups.value ?? m[0]);
  } else if (e.format) {
    value = e.format.replace(/\{value\}/g, value);
  }
  value = value.trim();
  return usable(value) ? { value, source: raw.source } : null;
}

type Field = 'model' | 'serial' | 'firmware' | 'os';

/** Identification from facts.snmp; fields already present (from a stronger source) are kept. */
export function identifySnmp(facts: Facts, lines: LoadedProductLine[]): Facts {
  const snmp = facts.snmp;
  if (!snmp) return facts;
  const out: Facts = { ...facts };
  const detection = detect(lines, snmp, snmp.values);
  const line = detection?.line;
  const set = (field: Field | 'vendor', found: Found | null, rule: string): void => {
    if (found && out[field] === undefined) out[field] = { value: found.value, source: found.source, rule };
  };

  for (const field of ['model', 'serial', 'firmware', 'os'] as const) {
    if (out[field] !== undefined) continue;
    for (const [i, e] of (line?.[field] ?? []).entries()) {
      const found = runExtract(e, facts, snmp);
      if (found) {
        set(field, found, `${line!.id} (${line!.file}) ${field}[${i}]`);
        break;
      }
    }
  }

  // Fallbacks: standard MIBs.
  const entities = facts.entities?.value ?? [];
  const fromEntity = (field: NonNullable<Extract["entity"]>): Found | null => runExtract({ entity: field }, facts, snmp);
  const isPrinter = line ? line.type === 'printer' : snmp.mibs.includes('Printer-MIB');
  if (!out.model) set('model', fromEntity('model') ?? (isPrinter ? runExtract({ hrPrinter: true }, facts, snmp) : null), 'fallback: ENTITY-MIB chassis / HOST-RESOURCES printer');
  if (!out.model && facts.ups?.value.model) set('model', { value: facts.ups.value.model, source: 'UPS-MIB::upsIdentModel.0' }, 'fallback: UPS-MIB');
  if (!out.serial) set('serial', fromEntity('serial') ?? runExtract({ walk: PRT_GENERAL_SERIAL }, facts, snmp), 'fallback: ENTITY-MIB chassis / Printer-MIB');
  if (!out.firmware) set('firmware', fromEntity('softwareRev') ?? fromEntity('firmwareRev'), 'fallback: ENTITY-MIB chassis');
  if (!out.firmware && facts.ups?.value.firmware) set('firmware', { value: facts.ups.value.firmware, source: 'UPS-MIB::upsIdentUPSSoftwareVersion.0' }, 'fallback: UPS-MIB');
  if (!out.firmware) set('firmware', runExtract({ oid: RMON_SOFTWARE_REV }, facts, snmp), 'fallback: RMON2-MIB probeSoftwareRev');

  // Vendor: the line's, else the enterprise number's, else the chassis maker's.
  if (!out.vendor) {
    if (line?.vendor && detection) set('vendor', { value: line.vendor, source: detection.source }, `${line.id} (${line.file}) detect: ${detection.how}`);
    else if (!line?.generic && !(line && !line.vendor)) {
      const enterprise = /^1\.3\.6\.1\.4\.1\.(\d+)/.exec(snmp.sysObjectID)?.[1];
      const name = enterprise ? (ENTERPRISES as Record<string, string>)[enterprise] : undefined;
      if (name) set('vendor', { value: name, source: 'SNMPv2-MIB::sysObjectID.0' }, `fallback: IANA enterprise number ${enterprise}`);
    }
    if (!out.vendor && facts.ups?.value.manufacturer) {
      set('vendor', { value: facts.ups.value.manufacturer, source: 'UPS-MIB::upsIdentManufacturer.0' }, 'fallback: UPS-MIB manufacturer');
    }
    if (!out.vendor) {
      const maker = chassis(entities, 'manufacturer');
      if (maker) set('vendor', { value: maker.value, source: oidName(`1.3.6.1.2.1.47.1.1.1.1.12.${maker.entity.index}`) }, 'fallback: ENTITY-MIB chassis manufacturer');
    }
  }

  if (!out.type) {
    const byLine = line ? typeFromRules(line, snmp.sysObjectID, snmp.sysDescr, out.model?.value ?? null) : null;
    if (byLine && detection) out.type = { value: byLine.type, source: detection.source, rule: byLine.rule };
    else {
      const byMib = typeFromMibs(snmp.mibs, snmp.ipForwarding);
      out.type = byMib ? { value: byMib.type, source: 'SNMP MIBs present', rule: `fallback: ${byMib.why}` } : { value: 'other', source: 'SNMP', rule: 'fallback: an SNMP agent of no known kind' };
    }
  }
  return out;
}

/** For --explain: the classification fields and how each was found. */
export function explainFacts(facts: Facts): { field: string; value: string; source: string; rule: string | null }[] {
  const fields: [string, Sourced<string> | undefined][] = [
    ['vendor', facts.vendor],
    ['model', facts.model],
    ['serial', facts.serial],
    ['firmware', facts.firmware],
    ['os', facts.os],
    ['type', facts.type],
  ];
  return fields.flatMap(([field, f]) => (f ? [{ field, value: String(f.value), source: f.source, rule: f.rule ?? null }] : []));
}
