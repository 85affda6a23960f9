// mDNS / DNS-SD: what services a host announces (_ipp._tcp, _airplay._tcp, _axis-video._tcp...).
// Sends: a "legacy unicast" query (RFC 6762 §6.7) straight to the host's UDP 5353 from an ordinary
// port: `_services._dns-sd._udp.local PTR` and the host's reverse name, then one follow-up for the
// service types it named (instances, TXT). Responders answer such queries by unicast to us, so no
// multicast group is joined and only the target is asked. Caveat: responders accept this only from
// their own link, so the caller asks only hosts on a local segment (or loopback, for tests).
import type { FingerprintFacts } from '../../model/index.js';
import { decodeResponse, encodeQuery, TYPE } from './dns-message.js';
import { udpExchange } from './udp-exchange.js';

const SERVICES = '_services._dns-sd._udp.local';

export type MdnsAnswer = NonNullable<FingerprintFacts['mdns']>;

export function reverseName(address: string): string {
  return `${address.split('.').reverse().join('.')}.in-addr.arpa`;
}

export async function probeMdns(address: string, port: number, timeoutMs: number, signal: AbortSignal): Promise<MdnsAnswer | null> {
  const services = new Set<string>();
  const instances = new Set<string>();
  const txt: string[] = [];
  let hostname: string | undefined;
  let askedInstances = false;
  const reverse = reverseName(address).toLowerCase();
  await udpExchange(
    address,
    port,
    encodeQuery(0x4e43, [{ name: SERVICES, type: TYPE.PTR }, { name: reverseName(address), type: TYPE.PTR }]),
    timeoutMs,
    signal,
    (msg, send) => {
      const response = decodeResponse(msg);
      if (!response) return false;
      for (const r of response.records) {
        const name = r.name.toLowerCase();
        if (r.type === TYPE.PTR && name === SERVICES) services.add(r.data.toLowerCase());
        else if (r.type === TYPE.PTR && name === reverse) hostname ??= r.data.replace(/\.$/, '');
        else if (r.type === TYPE.PTR && services.has(name)) instances.add(r.data);
        else if (r.type === TYPE.TXT && r.txt) for (const t of r.txt) if (txt.length < 24 && !txt.includes(t)) txt.push(t.slice(0, 200));
      }
      if (askedInstances) return true;
      if (services.size === 0) return hostname !== undefined;
      askedInstances = true;
      send(encodeQuery(0x4e44, [...services].slice(0, 8).map((s) => ({ name: s, type: TYPE.PTR }))));
      return false;
    },
  );
  if (services.size === 0 && hostname === undefined && instances.size === 0) return null;
  return {
    services: [...services].sort(),
    instances: [...instances].slice(0, 16),
    ...(hostname ? { hostname } : {}),
    ...(txt.length > 0 ? { txt } : {}),
  };
}
