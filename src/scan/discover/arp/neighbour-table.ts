// The kernel's neighbour (ARP) table: every local-segment host the kernel resolved, with its MAC,
// whatever probe made it resolve. While the table is small (its entry count is in
// /proc/net/stat/arp_cache), it is read from /proc/net/arp, synchronously: about 1.6 ms for 256
// entries, where starting `ip` costs a fork of this process and a few ms before its first line, and
// a read through the thread pool waits for a busy sweep to take its result. A large table is
// read with `ip neigh` filtered to resolved states (fast even with tens of thousands of pending
// entries, where the kernel produces /proc/net/arp slowly: about 2 s for 13,000 entries, measured
// on the lab), its text output parsed as it streams in: a sweep reads the table every few hundred
// ms, and one string (or JSON document) of a few thousand entries per read is a large object that
// only a full collection frees. /proc/net/arp is also the fallback when `ip` is missing or fails.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

export interface NeighbourEntry {
  address: string;
  mac: string;
  device: string;
}

const RESOLVED_STATES = ['reachable', 'stale', 'delay', 'probe', 'permanent', 'noarp'];

/**
 * Up to this many entries (resolved or not), the table is read from /proc/net/arp: the kernel's
 * time for it grows faster than the table (1.6 ms for 256 entries, 2 s for 13,000).
 */
const SMALL_TABLE = 512;

export async function readNeighbours(device: string, ipCommand: string | null): Promise<NeighbourEntry[]> {
  const small = (neighbourTableSize() ?? Number.POSITIVE_INFINITY) <= SMALL_TABLE;
  if (!small && ipCommand) {
    const entries = await readIpNeigh(ipCommand, device);
    if (entries !== null) return entries;
  }
  // A large table without ip: the kernel may take seconds, which must not hold this thread.
  const text = small ? readProcFile('/proc/net/arp') : await readFile('/proc/net/arp', 'latin1').catch(() => '');
  return parseProcNetArp(text).filter((e) => e.device === device);
}

function readProcFile(path: string): string {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return '';
  }
}

/** `ip -4 neigh show dev DEVICE nud ...`, parsed a chunk at a time; null when ip failed. */
function readIpNeigh(ipCommand: string, device: string): Promise<NeighbourEntry[] | null> {
  return new Promise((resolve) => {
    const args = ['-4', 'neigh', 'show', 'dev', device, ...RESOLVED_STATES.flatMap((s) => ['nud', s])];
    const child = spawn(ipCommand, args, { stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 });
    const out: NeighbourEntry[] = [];
    let rest = '';
    const take = (line: string): void => {
      const entry = parseIpNeighLine(line, device);
      if (entry) out.push(entry);
    };
    child.stdout.setEncoding('latin1');
    child.stdout.on('data', (chunk: string) => {
      const text = rest + chunk;
      let start = 0;
      for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
        take(text.slice(start, end));
        start = end + 1;
      }
      rest = text.slice(start);
    });
    child.on('error', () => resolve(null));
    child.on('close', (code) => {
      if (rest) take(rest);
      resolve(code === 0 ? out : null);
    });
  });
}

/**
 * One line of `ip -4 neigh show`: "10.0.0.5 lladdr 02:00:00:00:00:01 REACHABLE", with "dev eth0"
 * after the address when no device was asked for, and flags such as "router" before the state.
 * Entries with no link-layer address (INCOMPLETE, FAILED) give null.
 */
export function parseIpNeighLine(line: string, device: string): NeighbourEntry | null {
  const fields = line.trim().split(/\s+/);
  const at = fields.indexOf('lladdr');
  const address = fields[0];
  const mac = at > 0 ? fields[at + 1] : undefined;
  if (!address || !mac || !/^\d{1,3}(\.\d{1,3}){3}$/.test(address) || !isMac(mac)) return null;
  const dev = fields.indexOf('dev');
  return { address, mac: mac.toLowerCase(), device: dev > 0 && fields[dev + 1] ? fields[dev + 1]! : device };
}

/** The IPv4 neighbour table's entries now, or null when the kernel does not say. */
function neighbourTableSize(): number | null {
  return parseArpCacheEntries(readProcFile('/proc/net/stat/arp_cache'));
}

/**
 * /proc/net/stat/arp_cache: a header line, then a line per CPU whose first column, "entries", is
 * the table's size (the same on every line), in hex.
 */
export function parseArpCacheEntries(text: string): number | null {
  const lines = text.split('\n');
  if (!/^entries\s/.test(lines[0] ?? '')) return null;
  const first = (lines[1] ?? '').trim().split(/\s+/)[0] ?? '';
  return /^[0-9a-f]{1,8}$/i.test(first) ? parseInt(first, 16) : null;
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
