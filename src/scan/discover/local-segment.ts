// Which addresses are on a local segment (the same subnet as one of this machine's interfaces), and
// through which interface: only there does the kernel ARP for them, so only there do MACs and the
// neighbour table mean anything. Loopback is not a segment.
import { networkInterfaces } from 'node:os';

export interface LocalSegment {
  device: string;
  /** This machine's own address on it, and its MAC. */
  own: string;
  ownMac: string | null;
  network: number;
  mask: number;
}

export function localSegments(): LocalSegment[] {
  const segments: LocalSegment[] = [];
  for (const [device, addrs] of Object.entries(networkInterfaces())) {
    for (const a of addrs ?? []) {
      if (a.family !== 'IPv4' || a.internal || !a.cidr) continue;
      const prefix = Number(a.cidr.split('/')[1]);
      if (!(prefix >= 8 && prefix <= 30)) continue;
      const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
      const ownMac = a.mac && a.mac !== '00:00:00:00:00:00' ? a.mac.toLowerCase() : null;
      segments.push({ device, own: a.address, ownMac, network: (toInt(a.address) & mask) >>> 0, mask });
    }
  }
  // Most specific first, so overlapping subnets pick the narrowest.
  return segments.sort((x, y) => y.mask - x.mask);
}

export function segmentOf(segments: readonly LocalSegment[], address: number): LocalSegment | null {
  for (const s of segments) if (((address & s.mask) >>> 0) === s.network) return s;
  return null;
}

function toInt(ip: string): number {
  return ip.split('.').reduce((n, o) => ((n << 8) | Number(o)) >>> 0, 0);
}
