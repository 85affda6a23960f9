// ICMP echo through the system's fping (one process per batch of addresses, targets on stdin,
// answers streamed back as they arrive), else `ping` once per address under a concurrency cap.
// Node cannot open ICMP sockets itself; Debian installs fping and ping with cap_net_raw, so both work
// unprivileged. Arguments are addresses we generated, never network strings, and no shell is used.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import pLimit from 'p-limit';

export interface PingOptions {
  fping: string | null;
  ping: string | null;
  timeoutMs: number;
  /** Between two echo requests (fping's -i): the sweep's --rate. */
  intervalMs: number;
  retries: number;
  signal: AbortSignal;
}

/** Whether every echo request went out; when not, why (a silent address is then not known to be silent). */
export type PingResult = { ok: true } | { ok: false; reason: string };

/** Pings every address; calls onAlive as answers come; resolves when all are decided. */
export async function pingAll(addresses: string[], options: PingOptions, onAlive: (address: string, rttMs: number) => void): Promise<PingResult> {
  if (addresses.length === 0 || options.signal.aborted) return { ok: true };
  if (options.fping) return runFping(options.fping, addresses, options, onAlive);
  if (options.ping) await runPings(options.ping, addresses, options, onAlive);
  return { ok: true };
}

/**
 * fping started before the sweep that will use it, so that it runs while the scan sets up: its
 * answers wait here until the sweep takes them over.
 */
export interface PingAhead {
  readonly addresses: readonly string[];
  /** performance.now() when fping was started. */
  readonly startedAt: number;
  /** Hands over the answers so far, then each as it comes; resolves as pingAll does. Once only. */
  take(onAlive: (address: string, rttMs: number) => void): Promise<PingResult>;
  /** Stops fping if it still runs, taken over or not (a scan that ended or failed). */
  drop(): void;
}

/** Starts pingAll now, holding its answers for whoever takes them. */
export function pingAhead(addresses: string[], options: PingOptions): PingAhead {
  const stop = new AbortController();
  const forward = (): void => stop.abort();
  if (options.signal.aborted) stop.abort();
  else options.signal.addEventListener('abort', forward, { once: true });
  const held: [string, number][] = [];
  let onAnswer: ((address: string, rttMs: number) => void) | null = null;
  const startedAt = performance.now();
  const result = pingAll(addresses, { ...options, signal: stop.signal }, (address, rttMs) => {
    if (onAnswer) onAnswer(address, rttMs);
    else held.push([address, rttMs]);
  }).finally(() => options.signal.removeEventListener('abort', forward));
  return {
    addresses,
    startedAt,
    take(onAlive) {
      if (onAnswer) throw new Error('pingAhead: already taken');
      onAnswer = onAlive;
      for (const [address, rttMs] of held.splice(0)) onAlive(address, rttMs);
      return result;
    },
    drop() {
      stop.abort();
    },
  };
}

async function runFping(command: string, addresses: string[], options: PingOptions, onAlive: (address: string, rttMs: number) => void): Promise<PingResult> {
  const first = await spawnFping(command, addresses, options, intervalArg(options.intervalMs), onAlive);
  if (options.signal.aborted) return { ok: true };
  // An fping built with "safe limits" refuses an interval under 1 ms to a user that is not root.
  return first === 'refused' ? spawnFping(command, addresses, options, '1', onAlive).then((r) => (r === 'refused' ? { ok: false, reason: 'fping refused its interval' } : r)) : first;
}

/** fping's -i in milliseconds; it takes fractions (0.1 is 10,000 packets a second). */
function intervalArg(intervalMs: number): string {
  return String(Math.max(0, Math.round(intervalMs * 1000) / 1000));
}

/**
 * Resolves 'refused' when fping refused its interval (and so pinged nothing); not ok when it could
 * not send (exit 3 or 4: bad arguments, a failed system call such as no raw socket).
 */
function spawnFping(
  command: string,
  addresses: string[],
  options: PingOptions,
  interval: string,
  onAlive: (address: string, rttMs: number) => void,
): Promise<PingResult | 'refused'> {
  return new Promise((resolve) => {
    // -a alive only, -e with the round trip, -i between packets, -r retries, -t first timeout.
    const child = spawn(command, ['-a', '-e', '-i', interval, '-r', String(options.retries), '-t', String(options.timeoutMs), '-f', '-'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      signal: options.signal,
    });
    let answered = false;
    let errors = '';
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const m = /^(\d+\.\d+\.\d+\.\d+)\s+\(([\d.]+) ms/.exec(line);
      if (!m) return;
      answered = true;
      onAlive(m[1]!, Number(m[2]));
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (errors.length < 4096) errors += chunk.toString('latin1');
    });
    // An abort kills fping through its signal, which Node reports as an error: not a failure.
    child.on('error', (error) => resolve(options.signal.aborted ? { ok: true } : { ok: false, reason: `fping did not start: ${error.message}` }));
    child.on('close', (code) => {
      if (!answered && interval !== '1' && /too risky|you need -i/i.test(errors)) return resolve('refused');
      if (options.signal.aborted) return resolve({ ok: true });
      // fping exits 0 when all answered, 1 when some did not; 2 and up mean requests that never
      // went out (bad arguments, a failed system call such as no raw socket). Under -a it drops a
      // request that it could not send without a word (see the sweep's trailing datagrams).
      if (code !== null && code <= 1) return resolve({ ok: true });
      resolve({ ok: false, reason: errors.split('\n').find((l) => l.trim() !== '')?.trim().slice(0, 160) ?? `fping exited ${code ?? 'on a signal'}` });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(addresses.join('\n') + '\n');
  });
}

async function runPings(command: string, addresses: string[], options: PingOptions, onAlive: (address: string, rttMs: number) => void): Promise<void> {
  const limit = pLimit(64);
  const waitSeconds = String(Math.max(1, Math.ceil(options.timeoutMs / 1000)));
  await Promise.all(
    addresses.map((address) =>
      limit(
        () =>
          new Promise<void>((resolve) => {
            if (options.signal.aborted) return resolve();
            const child = spawn(command, ['-n', '-c', String(1 + options.retries), '-W', waitSeconds, address], {
              stdio: ['ignore', 'pipe', 'ignore'],
              signal: options.signal,
            });
            let out = '';
            child.stdout.on('data', (d) => (out += d));
            child.on('error', () => resolve());
            child.on('close', () => {
              const m = /time[=<]([\d.]+) ms/.exec(out);
              if (m) onAlive(address, Number(m[1]));
              resolve();
            });
          }),
      ),
    ),
  );
}
