// The kernel's neighbour (ARP) table: every local-segment host the kernel resolved, with its MAC,
// whatever probe made it resolve. Read with `ip -j neigh` filtered to resolved states (fast even
// with tens of thousands of pending entries), else /proc/net/arp (which the kernel produces slowly
// once the table is large: about 2 s for 13,000 entries, measured on the lab).
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';

export interface NeighbourEntry {
  address: string;
  mac: string;
  device: string;
}

const RESOLVED_STATES = ['reachable', 'stale', 'delay', 'probe', 'permanent', 'noarp'];

export async function readNeighbours(device: string, ipCommand: string | null): Promise<NeighbourEntry[]> {
  if (ipCommand) {
    const args = ['-j', '-4', 'neigh', 'show', 'dev', device, ...RESOLVED_STATES.flatMap((s) => ['nud', s])];
    const stdout = await new Promise<string | null>((resolve) => {
      execFile(ipCommand, args, { maxBuffer: 256 * 1024 * 1024, timeout: 10_000 }, (error, out) => resolve(error ? null : out));
    });
    if (stdout !== null) return parseIpNeighJson(stdout, device);
  }
  const text = await readFile('/proc/net/arp', 'utf8').catch(() => '');
  return parseProcNetArp(text).filter((e) => e.device === device);
}

export function parseIpNeighJson(text: string, device: string): NeighbourEntry[] {
  let rows: unknown;
  try {
    rows = JSON.parse(text || '[]');
  } catch {
    return [];
  }
  if (!Array.isArray(rows)) return [];
  const out: NeighbourEntry[] = [];
  for (const row of rows as { dst?: unknown; lladdr?: unknown; dev?: unknown }[]) {
    if (typeof row.dst === 'string' && typeof row.lladdr === 'string' && isMac(row.lladdr)) {
      out.push({ address: row.dst, mac: row.lladdr.toLowerCase(), device: typeof row.dev === 'string' ? row.dev : device });
    }
  }
  return out;
}

/** /proc/net/arp: "IP address  HW type  Flags  HW address  Mask  Device"; flag 0x2 = complete. */
export function parseProcNetArp(text: string): NeighbourEntry[] {
  const out: NeighbourEntry[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 6) continue;
    const flags = parseInt(f[2]!, 16);
    if (!(flags & 0x2) || !isMac(f[3]!) || f[3] === '00:00:00:00:00:00') continue;
    out.push({ address: f[0]!, mac: f[3]!.toLowerCase(), device: f[5]! });
  }
  return out;
}

function isMac(s: string): boolean {
  return /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/.test(s);
}

export interface NeighbourLimits {
  /** net.ipv4.neigh.default.gc_thresh3: the table's hard size. */
  gcThresh3: number | null;
  /** net.core.wmem_max: the largest send buffer a socket may ask for. */
  wmemMax: number | null;
}

export async function readNeighbourLimits(): Promise<NeighbourLimits> {
  const num = async (path: string): Promise<number | null> => {
    const text = await readFile(path, 'utf8').catch(() => null);
    const n = text === null ? NaN : parseInt(text.trim(), 10);
    return Number.isFinite(n) ? n : null;
  };
  return {
    gcThresh3: await num('/proc/sys/net/ipv4/neigh/default/gc_thresh3'),
    wmemMax: await num('/proc/sys/net/core/wmem_max'),
  };
}
