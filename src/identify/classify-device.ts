// Classification from indirect evidence, pure: the rules of classify-rules.ts over what the sweep,
// the fingerprint probes and nmap saw, plus nmap's own OS and device classes. Every guess keeps its
// evidence and a confidence (facts.guesses); type, os and vendor are set from the best guess only when
// nothing stronger gave them (SNMP definitions and local probes run first and are never overridden;
// the one exception is SNMP's own last resort, "an SNMP agent of no known kind" = other).
import type { ClassificationGuess, DeviceType, Facts, Sourced } from '../model/index.js';
import { CLASSIFY_RULES, CONFIDENCE_THRESHOLD, NMAP_DEVICE_TYPES, type ClassifyCondition, type ClassifyRule } from './classify-rules.js';

interface Evidence {
  text: string;
  source: string;
}

interface RawGuess {
  field: ClassificationGuess['field'];
  value: string;
  confidence: number;
  evidence: Evidence[];
  rule: string;
}

/** What the rules look at, gathered once from the facts. */
interface View {
  open: Set<number>;
  http: { port: number; title?: string; server?: string }[];
  mdns: string[];
  ssdp: { field: string; value: string }[];
  netbios: string | null;
  macVendor: string | null;
  nmap: { port: number; text: string }[];
}

function viewOf(facts: Facts): View {
  const open = new Set<number>();
  for (const p of facts.openPorts?.value ?? []) if (p.protocol === 'tcp') open.add(p.port);
  const nmap = facts.nmap?.value.services ?? [];
  for (const s of nmap) if (s.protocol === 'tcp') open.add(s.port);
  const fp = facts.fingerprint?.value;
  const ssdp = fp?.ssdp
    ? (['server', 'deviceType', 'friendlyName', 'manufacturer', 'modelName'] as const).flatMap((k) => (fp.ssdp![k] ? [{ field: k, value: fp.ssdp![k]! }] : []))
    : [];
  return {
    open,
    http: fp?.http ?? [],
    mdns: fp?.mdns?.services ?? [],
    ssdp,
    netbios: fp?.netbios?.names[0]?.name ?? null,
    macVendor: facts.macVendor?.value ?? null,
    nmap: nmap.map((s) => ({ port: s.port, text: [s.name, s.product].filter(Boolean).join(' ') })),
  };
}

const compiled = new Map<string, RegExp>();
function re(pattern: string): RegExp {
  let r = compiled.get(pattern);
  if (!r) compiled.set(pattern, (r = new RegExp(pattern, 'i')));
  return r;
}

/** The evidence for each condition of a rule, or null when one fails. */
function evaluate(when: ClassifyCondition, view: View): Evidence[] | null {
  const evidence: Evidence[] = [];
  if (when.ports) {
    if (!when.ports.every((p) => view.open.has(p))) return null;
    evidence.push({ text: `TCP ${when.ports.join('+')} open`, source: 'tcp:connect' });
  }
  if (when.anyPort) {
    const hit = when.anyPort.filter((p) => view.open.has(p));
    if (hit.length === 0) return null;
    evidence.push({ text: `TCP ${hit.join('+')} open`, source: 'tcp:connect' });
  }
  if (when.noPort && when.noPort.some((p) => view.open.has(p))) return null;
  if (when.httpTitle) {
    const hit = view.http.find((h) => h.title !== undefined && re(when.httpTitle!).test(h.title));
    if (!hit) return null;
    evidence.push({ text: `HTTP title "${hit.title}" (port ${hit.port})`, source: `http:${hit.port}` });
  }
  if (when.httpServer) {
    const hit = view.http.find((h) => h.server !== undefined && re(when.httpServer!).test(h.server));
    if (!hit) return null;
    evidence.push({ text: `HTTP Server "${hit.server}" (port ${hit.port})`, source: `http:${hit.port}` });
  }
  if (when.mdnsService) {
    const hit = view.mdns.find((s) => re(when.mdnsService!).test(s));
    if (!hit) return null;
    evidence.push({ text: `mDNS announces ${hit}`, source: 'mdns' });
  }
  if (when.ssdp) {
    const hit = view.ssdp.find((s) => re(when.ssdp!).test(s.value));
    if (!hit) return null;
    evidence.push({ text: `UPnP ${hit.field} "${hit.value}"`, source: 'ssdp' });
  }
  if (when.netbios) {
    if (view.netbios === null) return null;
    evidence.push({ text: `answers NetBIOS as ${view.netbios}`, source: 'netbios' });
  }
  if (when.macVendor) {
    if (view.macVendor === null || !re(when.macVendor).test(view.macVendor)) return null;
    evidence.push({ text: `MAC vendor ${view.macVendor}`, source: 'oui' });
  }
  if (when.nmapService) {
    const hit = view.nmap.find((s) => re(when.nmapService!).test(s.text));
    if (!hit) return null;
    evidence.push({ text: `nmap -sV port ${hit.port}: ${hit.text}`, source: 'nmap -sV' });
  }
  return evidence.length > 0 ? evidence : null;
}

/** nmap's own classification: the best OS match (accuracy >= 85) and -sV's device and OS types. */
function nmapGuesses(facts: Facts): RawGuess[] {
  const nmap = facts.nmap?.value;
  if (!nmap) return [];
  const out: RawGuess[] = [];
  const best = nmap.osMatches[0];
  if (best && best.accuracy >= 85) {
    const ev: Evidence = { text: `nmap -O: "${best.name}" (${best.accuracy}%)`, source: 'nmap -O' };
    out.push({ field: 'os', value: best.name, confidence: (best.accuracy / 100) * 0.9, evidence: [ev], rule: 'nmap-os-match' });
    const cls = best.classes[0];
    const type = cls?.type ? NMAP_DEVICE_TYPES[cls.type] : undefined;
    if (type) out.push({ field: 'type', value: type, confidence: (best.accuracy / 100) * 0.75, evidence: [{ ...ev, text: `${ev.text}, class "${cls!.type}"` }], rule: 'nmap-os-class' });
    if (cls?.vendor && cls.type && cls.type !== 'general purpose') {
      out.push({ field: 'vendor', value: cls.vendor, confidence: (best.accuracy / 100) * 0.6, evidence: [{ ...ev, text: `${ev.text}, vendor "${cls.vendor}"` }], rule: 'nmap-os-class' });
    }
  }
  for (const s of nmap.services) {
    const type = s.deviceType ? NMAP_DEVICE_TYPES[s.deviceType] : undefined;
    const what = `nmap -sV port ${s.port}: ${[s.name, s.product].filter(Boolean).join(' ')}`;
    if (type) out.push({ field: 'type', value: type, confidence: 0.8, evidence: [{ text: `${what} (device type ${s.deviceType})`, source: 'nmap -sV' }], rule: 'nmap-service-devicetype' });
    if (s.osType) out.push({ field: 'os', value: s.osType, confidence: 0.6, evidence: [{ text: `${what} (OS ${s.osType})`, source: 'nmap -sV' }], rule: 'nmap-service-ostype' });
  }
  return out;
}

function ssdpVendor(facts: Facts): RawGuess[] {
  const m = facts.fingerprint?.value.ssdp?.manufacturer;
  return m ? [{ field: 'vendor', value: m, confidence: 0.6, evidence: [{ text: `UPnP manufacturer "${m}"`, source: 'ssdp' }], rule: 'ssdp-manufacturer' }] : [];
}

/** All guesses the evidence supports, same values combined, strongest first (pure). */
export function classifyGuesses(facts: Facts, rules: readonly ClassifyRule[] = CLASSIFY_RULES): (ClassificationGuess & { sources: string[]; rules: string[] })[] {
  const view = viewOf(facts);
  const raw: RawGuess[] = [];
  for (const rule of rules) {
    const evidence = evaluate(rule.when, view);
    if (evidence) raw.push({ field: rule.field, value: rule.value, confidence: rule.confidence, evidence, rule: rule.id });
  }
  raw.push(...nmapGuesses(facts), ...ssdpVendor(facts));
  const combined = new Map<string, { field: ClassificationGuess['field']; value: string; miss: number; evidence: string[]; sources: string[]; rules: string[] }>();
  for (const g of raw) {
    const key = `${g.field}\u0000${g.value.toLowerCase()}`;
    const c = combined.get(key) ?? { field: g.field, value: g.value, miss: 1, evidence: [], sources: [], rules: [] };
    c.miss *= 1 - g.confidence;
    for (const e of g.evidence) {
      const text = `${e.text} [${g.rule}]`;
      if (!c.evidence.includes(text)) c.evidence.push(text);
      if (!c.sources.includes(e.source)) c.sources.push(e.source);
    }
    if (!c.rules.includes(g.rule)) c.rules.push(g.rule);
    combined.set(key, c);
  }
  return [...combined.values()]
    .map((c) => ({ field: c.field, value: c.value, confidence: Math.round((1 - c.miss) * 100) / 100, evidence: c.evidence, sources: c.sources, rules: c.rules }))
    .sort((a, b) => b.confidence - a.confidence);
}

/** Ports the rules look at: the fingerprint probe tries those the sweep does not. */
export function classificationPorts(rules: readonly ClassifyRule[] = CLASSIFY_RULES): number[] {
  const ports = new Set<number>();
  for (const r of rules) for (const p of [...(r.when.ports ?? []), ...(r.when.anyPort ?? [])]) ports.add(p);
  return [...ports].sort((a, b) => a - b);
}

/** Adds facts.guesses, and type/os/vendor from the best guesses where nothing stronger set them. */
export function classifyDevice(facts: Facts, rules: readonly ClassifyRule[] = CLASSIFY_RULES): Facts {
  const guesses = classifyGuesses(facts, rules);
  if (guesses.length === 0) return facts;
  const out: Facts = { ...facts, guesses: guesses.map(({ field, value, confidence, evidence }) => ({ field, value, confidence, evidence })) };
  const pick = (field: ClassificationGuess['field']) => guesses.find((g) => g.field === field && g.confidence >= CONFIDENCE_THRESHOLD);
  const sourced = <T extends string>(g: NonNullable<ReturnType<typeof pick>>, value: T): Sourced<T> => ({
    value,
    source: g.sources.join(', '),
    rule: `classify: ${g.rules.join(' + ')}`,
    confidence: g.confidence,
  });
  const weakSnmpType = facts.type?.value === 'other' && (facts.type.rule ?? '').startsWith('fallback: an SNMP agent');
  const type = pick('type');
  if (type && (!facts.type || weakSnmpType)) out.type = sourced(type, type.value as DeviceType);
  const os = pick('os');
  if (os && !facts.os) out.os = sourced(os, os.value);
  const vendor = pick('vendor');
  if (vendor && !facts.vendor) out.vendor = sourced(vendor, vendor.value);
  return out;
}
