// ARP requests sent as raw frames by the system's arp-scan, for a local segment, when this process
// may open raw sockets (root or CAP_NET_RAW; arp-scan carries no file capability on Debian).
//
// Why not only the kernel: every datagram to an unresolved local address makes the kernel create a
// neighbour entry and broadcast three ARP requests a second apart, and the first of them is sent in
// the sender's own thread; on a sparse /16 that kernel work, not the network, bounds the sweep (see
// ../shared/lab/README.md, "Limits found"). arp-scan sends one frame per attempt, paced, with no
// neighbour entries and no socket buffers held while waiting, and names each host's MAC itself.
//
// Sends: an ARP request per address and attempt (two attempts, the second only to addresses that did
// not answer the first), at most `ratePerSecond` frames a second. Caveats: only for addresses on the
// interface's own segment; a host that answers ARP but nothing else is still alive, as with the kernel
// table.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { readFile } from 'node:fs/promises';

export interface ArpScanOptions {
  command: string;
  device: string;
  addresses: string[];
  ratePerSecond: number;
  /** Attempts per address (arp-scan's --retry). */
  attempts: number;
  signal: AbortSignal;
  onHost: (address: string, mac: string) => void;
}

export type ArpScanResult = { ok: true } | { ok: false; reason: string };

const LINE = /^(\d{1,3}(?:\.\d{1,3}){3})\t([0-9a-f]{2}(?::[0-9a-f]{2}){5})(?:\t|$)/i;

/** Runs one arp-scan over these addresses; calls onHost as answers come. Never throws. */
export function arpScan(options: ArpScanOptions): Promise<ArpScanResult> {
  return new Promise((resolve) => {
    if (options.addresses.length === 0 || options.signal.aborted) return resolve({ ok: true });
    const intervalUs = Math.max(1, Math.round(1_000_000 / Math.max(1, options.ratePerSecond)));
    const args = [
      '--quiet', // address and MAC only: no vendor file read
      '--plain',
      '--ignoredups',
      '--numeric', // addresses only: never a DNS lookup
      `--interface=${options.device}`,
      `--retry=${options.attempts}`,
      // A LAN answers ARP within milliseconds: retry a silent address after 300 ms, and end 450 ms
      // after the last attempt (arp-scan's default 500 ms, times 1.5 per attempt, ends 750 ms after).
      '--timeout=300',
      `--interval=${intervalUs}u`,
      '--file=-',
    ];
    const child = spawn(options.command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    let settled = false;
    const done = (result: ArpScanResult): void => {
      if (settled) return;
      settled = true;
      options.signal.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const onAbort = (): void => {
      child.kill('SIGTERM');
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error) => done({ ok: false, reason: `arp-scan did not start: ${error.message}` }));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 4096) stderr += chunk;
    });
    const seen = new Set<string>();
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = LINE.exec(line);
      if (!match || seen.has(match[1]!)) return;
      seen.add(match[1]!);
      options.onHost(match[1]!, match[2]!.toLowerCase());
    });
    child.on('close', (code, signal) => {
      if (code === 0 || options.signal.aborted) return done({ ok: true });
      const first = stderr.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
      done({ ok: false, reason: `arp-scan ${signal ? `was killed (${signal})` : `exited with ${code}`}${first ? `: ${first}` : ''}` });
    });
    // The target list goes in on stdin (one address a line): no argument list to overflow.
    child.stdin.on('error', () => undefined);
    const chunk = 4096;
    const write = (from: number): void => {
      for (let i = from; i < options.addresses.length; i += chunk) {
        const more = child.stdin.write(options.addresses.slice(i, i + chunk).join('\n') + '\n');
        if (!more) return void child.stdin.once('drain', () => write(i + chunk));
      }
      child.stdin.end();
    };
    write(0);
  });
}

/**
 * Whether arp-scan started from this process may open its raw socket: root with CAP_NET_RAW in the
 * effective set (a root process in a restricted container may lack it).
 */
export async function mayUseRawSockets(): Promise<boolean> {
  if (process.getuid?.() !== 0) return false;
  const status = await readFile('/proc/self/status', 'utf8').catch(() => '');
  const hex = /^CapEff:\s*([0-9a-f]+)/im.exec(status)?.[1];
  return hex === undefined || (BigInt(`0x${hex}`) & (1n << 13n)) !== 0n;
}
