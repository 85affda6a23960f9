// nmap's XML report (-oX) into plain data, per host address. fast-xml-parser, no DTD or entities
// beyond the XML built-ins: the report comes from a process we spawned, but the service banners
// inside it come from the network, so nothing in it is trusted or evaluated.
import { XMLParser } from 'fast-xml-parser';
import type { NmapFacts, NmapOsMatch, NmapService } from '../../model/index.js';

export interface NmapHostReport {
  address: string;
  /** "up" or "down" as nmap decided; with -Pn every host is "up". */
  state: string;
  /** nmap gave up on the host (--host-timeout). */
  timedOut: boolean;
  facts: NmapFacts;
}

export interface NmapReport {
  version: string | null;
  args: string | null;
  hosts: Map<string, NmapHostReport>;
  /** runstats/finished: "success" or "error" (with errormsg). */
  exit: string | null;
  errorMessage: string | null;
}

const ARRAYS = new Set(['host', 'address', 'port', 'cpe', 'osmatch', 'osclass', 'hostname']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  processEntities: true,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (name) => ARRAYS.has(name),
});

type Node = Record<string, unknown>;

function nodes(value: unknown): Node[] {
  return Array.isArray(value) ? (value.filter((v) => v !== null && typeof v === 'object') as Node[]) : [];
}

function node(value: unknown): Node | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Node) : null;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function cpes(value: unknown): string[] {
  return (Array.isArray(value) ? value : []).flatMap((c) => (typeof c === 'string' ? [c.trim()] : typeof c === 'object' && c && typeof (c as Node)['#text'] === 'string' ? [String((c as Node)['#text']).trim()] : []));
}

/** Parses one nmap -oX report. Throws only when the text is not an nmap report at all. */
export function parseNmapXml(xml: string): NmapReport {
  const doc = parser.parse(xml) as Node;
  const run = node(doc.nmaprun);
  if (!run) throw new Error('not an nmap XML report (no <nmaprun>)');
  const finished = node(node(run.runstats)?.finished);
  const hosts = new Map<string, NmapHostReport>();
  for (const h of nodes(run.host)) {
    const address = nodes(h.address).find((a) => a.addrtype === 'ipv4' || a.addrtype === 'ipv6');
    const addr = str(address?.addr);
    if (!addr) continue;
    const services: NmapService[] = [];
    for (const p of nodes(node(h.ports)?.port)) {
      const state = str(node(p.state)?.state);
      if (state !== 'open') continue;
      const s = node(p.service);
      const port = Number(p.portid);
      if (!Number.isInteger(port)) continue;
      const service: NmapService = { port, protocol: p.protocol === 'udp' ? 'udp' : 'tcp', cpe: cpes(s?.cpe) };
      const set = (key: 'name' | 'product' | 'version' | 'extraInfo' | 'deviceType' | 'osType', v: unknown): void => {
        const text = str(v);
        if (text !== undefined) service[key] = text.slice(0, 200);
      };
      if (s) {
        set('name', s.name);
        set('product', s.product);
        set('version', s.version);
        set('extraInfo', s.extrainfo);
        set('deviceType', s.devicetype);
        set('osType', s.ostype);
      }
      services.push(service);
    }
    const os = node(h.os);
    const osMatches: NmapOsMatch[] = nodes(os?.osmatch).map((m) => ({
      name: str(m.name) ?? '',
      accuracy: Number(m.accuracy) || 0,
      classes: nodes(m.osclass).map((c) => ({
        ...(str(c.type) ? { type: str(c.type)! } : {}),
        ...(str(c.vendor) ? { vendor: str(c.vendor)! } : {}),
        ...(str(c.osfamily) ? { family: str(c.osfamily)! } : {}),
        ...(str(c.osgen) ? { generation: str(c.osgen)! } : {}),
        accuracy: Number(c.accuracy) || 0,
        cpe: cpes(c.cpe),
      })),
    }));
    osMatches.sort((a, b) => b.accuracy - a.accuracy);
    const facts: NmapFacts = { services, osMatches };
    if (os && osMatches.length === 0) {
      facts.osNote = services.length === 0 ? 'OS detection found no match (no open port to fingerprint)' : 'OS detection found no match';
    }
    hosts.set(addr, { address: addr, state: str(node(h.status)?.state) ?? 'unknown', timedOut: h.timedout === 'true', facts });
  }
  return {
    version: str(run.version) ?? null,
    args: str(run.args) ?? null,
    hosts,
    exit: str(finished?.exit) ?? null,
    errorMessage: str(finished?.errormsg) ?? null,
  };
}
