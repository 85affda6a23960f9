// Cheap fingerprinting of a live host, for devices that answer neither SNMP nor nmap: what plain
// protocols reveal without credentials (runZero's approach). identify/classify-device turns the
// answers into guesses with evidence and a confidence.
//
// Sends, per live host, all at once, each with a short timeout:
//   - TCP connects to a few classification ports the sweep did not try (554 RTSP, 902 ESXi, 5060 SIP,
//     8291 Winbox, ...; the list comes from the classification rules);
//   - one `GET /` to each HTTP port found open (80 plain; 443 TLS first, then plain);
//   - one NetBIOS node-status datagram to UDP 137;
//   - on a local segment (or loopback) only: an mDNS/DNS-SD query and an SSDP M-SEARCH, both unicast
//     to the host (responders refuse these from off their link, and they describe a LAN).
// Caveats: nothing is sent to 9100 (a raw printer port prints whatever it receives). The protocol
// ports are settings so that tests can run responders on loopback high ports.
import { ConnectProber } from '../discover/tcp/connect-prober.js';
import type { PortOutcome } from '../discover/tcp/index.js';
import { localSegments, segmentOf, type LocalSegment } from '../discover/local-segment.js';
import type { FingerprintFacts, Facts, Observation, OpenPort, Sourced } from '../../model/index.js';
import type { Interrogator, LiveHost, ScanContext } from '../scanner.js';
import { probeHttp } from './http.js';
import { probeMdns } from './mdns.js';
import { computerName, probeNetbios } from './netbios.js';
import { probeSsdp } from './ssdp.js';

export interface HttpPort {
  port: number;
  /** Try TLS first (then plain). */
  tls: boolean;
}

export interface FingerprintOptions {
  timeoutMs: number;
  /** Extra TCP ports to try (those the sweep already tried are skipped). */
  ports: number[];
  /** Ports the sweep tried: not tried again. */
  sweptPorts: number[];
  httpPorts: HttpPort[];
  mdnsPort: number;
  ssdpPort: number;
  netbiosPort: number;
  /** For tests: the machine's segments instead of reading them. */
  segments?: LocalSegment[];
}

export const DEFAULT_HTTP_PORTS: HttpPort[] = [
  { port: 80, tls: false },
  { port: 443, tls: true },
  { port: 8080, tls: false },
  { port: 8443, tls: true },
];

/** Ports never probed with data: raw printing (JetDirect) prints what it receives. */
const NEVER_SEND = new Set([9100, 9101, 9102, 9103, 9104, 9105, 9106, 9107]);

export function fingerprintInterrogator(options: FingerprintOptions): Interrogator {
  const swept = new Set(options.sweptPorts);
  const extra = [...new Set(options.ports)].filter((p) => !swept.has(p)).sort((a, b) => a - b);
  let segments: LocalSegment[] | null = options.segments ?? null;
  const isLocal = (address: string): boolean => {
    if (address.startsWith('127.')) return true;
    segments ??= localSegments();
    return segmentOf(segments, ipToInt(address)) !== null;
  };
  return {
    name: 'fingerprint',
    describe: `HTTP title/Server, NetBIOS, mDNS and SSDP (local segments), TCP ${extra.join(',') || '(no extra ports)'}`,
    async scan(host: LiveHost, ctx: ScanContext): Promise<Observation> {
      const { address } = host;
      const signal = ctx.signal;
      const t = options.timeoutMs;
      const local = isLocal(address);
      const openBefore = new Set((host.discovery.facts.openPorts?.value ?? []).filter((p) => p.protocol === 'tcp').map((p) => p.port));

      const extraOpen = connectAll(address, extra, t, signal).then((outcomes) => outcomes.filter((o) => o.status === 'ok').map((o) => o.port));
      const netbios = probeNetbios(address, options.netbiosPort, t, signal);
      const mdns = local ? probeMdns(address, options.mdnsPort, t, signal) : Promise.resolve(null);
      const ssdp = local ? probeSsdp(address, options.ssdpPort, t, signal) : Promise.resolve(null);
      const newlyOpen = await extraOpen;
      const open = new Set([...openBefore, ...newlyOpen]);
      const http = (
        await Promise.all(options.httpPorts.filter((h) => open.has(h.port) && !NEVER_SEND.has(h.port)).map((h) => probeHttp(address, h.port, h.tls, t, signal)))
      ).filter((a) => a !== null);

      const fingerprint: FingerprintFacts = {};
      const sources: string[] = [];
      if (http.length > 0) {
        fingerprint.http = http;
        sources.push(`http:${http.map((h) => h.port).join(',')}`);
      }
      const nb = await netbios;
      if (nb) {
        fingerprint.netbios = nb;
        sources.push('netbios:NBSTAT');
      }
      const md = await mdns;
      if (md) {
        fingerprint.mdns = md;
        sources.push('mdns:unicast');
      }
      const ss = await ssdp;
      if (ss) {
        fingerprint.ssdp = ss;
        sources.push('ssdp:M-SEARCH');
      }

      const facts: Facts = {};
      if (sources.length > 0) facts.fingerprint = { value: fingerprint, source: sources.join(', ') };
      if (newlyOpen.length > 0) {
        const ports: OpenPort[] = newlyOpen.map((port) => ({ port, protocol: 'tcp' }));
        facts.openPorts = { value: ports, source: 'tcp:connect (fingerprint)' };
      }
      const hostnames: Sourced<string>[] = [];
      const nbName = nb ? computerName(nb) : undefined;
      if (nbName && /^[A-Za-z0-9_.-]+$/.test(nbName)) hostnames.push({ value: nbName.toLowerCase(), source: 'netbios:NBSTAT' });
      if (md?.hostname && /^[A-Za-z0-9_.-]+$/.test(md.hostname)) hostnames.push({ value: md.hostname.toLowerCase(), source: 'mdns:PTR' });
      if (hostnames.length > 0) facts.hostnames = hostnames;
      if (nb?.mac) facts.macs = [{ value: nb.mac, source: 'netbios:NBSTAT' }];
      return { scanner: 'fingerprint', address, at: ctx.now().toISOString(), status: 'ok', facts };
    },
  };
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, o) => ((n << 8) | Number(o)) >>> 0, 0);
}

/** Connects to every port at once; an abort skips what has not been answered by its timeout. */
function connectAll(address: string, ports: number[], timeoutMs: number, signal: AbortSignal): Promise<PortOutcome[]> {
  const prober = new ConnectProber({ concurrency: Math.max(1, ports.length), timeoutMs });
  const abort = (): void => prober.abort();
  if (signal.aborted) abort();
  else signal.addEventListener('abort', abort, { once: true });
  return new Promise<PortOutcome[]>((resolve) => prober.probeHost(address, ports, resolve)).finally(() => signal.removeEventListener('abort', abort));
}
