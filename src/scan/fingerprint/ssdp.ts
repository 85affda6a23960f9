// SSDP / UPnP: the device description a UPnP device publishes (deviceType, friendlyName,
// manufacturer, modelName). Sends: one unicast `M-SEARCH` (UPnP 1.1 §1.3.2) to the host's UDP 1900
// asking for its root device, then one HTTP GET of the LOCATION it answers with, only when that
// URL points at the same host (a description elsewhere is recorded, not fetched). Local segments
// only: a UPnP device's answer describes the LAN it sits on.
import { XMLParser } from 'fast-xml-parser';
import type { FingerprintFacts } from '../../model/index.js';
import { httpGet } from './http.js';
import { udpExchange } from './udp-exchange.js';

export type SsdpAnswer = NonNullable<FingerprintFacts['ssdp']>;

export function mSearch(address: string, port: number): Buffer {
  return Buffer.from(`M-SEARCH * HTTP/1.1\r\nHOST: ${address}:${port}\r\nMAN: "ssdp:discover"\r\nST: upnp:rootdevice\r\nUSER-AGENT: netcensus UPnP/1.1\r\n\r\n`);
}

export function parseSsdpHeaders(text: string): Record<string, string> | null {
  if (!/^HTTP\/1\.[01]\s+200/i.test(text)) return null;
  const headers: Record<string, string> = {};
  for (const line of text.split(/\r?\n/).slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] ??= line.slice(i + 1).trim().slice(0, 300);
  }
  return headers;
}

const xml = new XMLParser({ ignoreAttributes: true, parseTagValue: false, processEntities: true, htmlEntities: false, removeNSPrefix: true });

export function parseDeviceDescription(text: string): Partial<SsdpAnswer> {
  try {
    const doc = xml.parse(text) as { root?: { device?: Record<string, unknown> } };
    const device = doc.root?.device;
    if (!device) return {};
    const out: Partial<SsdpAnswer> = {};
    for (const key of ['deviceType', 'friendlyName', 'manufacturer', 'modelName', 'modelNumber'] as const) {
      const v = device[key];
      if (typeof v === 'string' && v.trim() !== '') out[key] = v.trim().slice(0, 200);
    }
    return out;
  } catch {
    return {};
  }
}

export async function probeSsdp(address: string, port: number, timeoutMs: number, signal: AbortSignal): Promise<SsdpAnswer | null> {
  let headers: Record<string, string> | null = null;
  await udpExchange(address, port, mSearch(address, port), timeoutMs, signal, (msg) => {
    headers = parseSsdpHeaders(msg.toString('latin1'));
    return headers !== null;
  });
  const h = headers as Record<string, string> | null;
  if (!h) return null;
  const answer: SsdpAnswer = {
    ...(h.server ? { server: h.server } : {}),
    ...(h.location ? { location: h.location } : {}),
  };
  const url = safeUrl(h.location);
  if (url && url.protocol === 'http:' && url.hostname === address) {
    const r = await httpGet(address, Number(url.port || 80), url.pathname + url.search, false, timeoutMs, signal);
    if (r && r.status === 200) Object.assign(answer, parseDeviceDescription(r.body));
  }
  return answer;
}

function safeUrl(text: string | undefined): URL | null {
  try {
    return text ? new URL(text) : null;
  } catch {
    return null;
  }
}
