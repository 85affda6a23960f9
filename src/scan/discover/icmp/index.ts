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
  retries: number;
  signal: AbortSignal;
}

/** Pings every address; calls onAlive as answers come; resolves when all are decided. */
export async function pingAll(addresses: string[], options: PingOptions, onAlive: (address: string, rttMs: number) => void): Promise<void> {
  if (addresses.length === 0 || options.signal.aborted) return;
  if (options.fping) return runFping(options.fping, addresses, options, onAlive);
  if (options.ping) return runPings(options.ping, addresses, options, onAlive);
}

function runFping(command: string, addresses: string[], options: PingOptions, onAlive: (address: string, rttMs: number) => void): Promise<void> {
  return new Promise((resolve) => {
    // -a alive only, -e with the round trip, -i 1 ms between packets, -r retries, -t first timeout.
    const child = spawn(
      command,
      ['-a', '-e', '-i', '1', '-r', String(options.retries), '-t', String(options.timeoutMs), '-f', '-'],
      { stdio: ['pipe', 'pipe', 'ignore'], signal: options.signal },
    );
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const m = /^(\d+\.\d+\.\d+\.\d+)\s+\(([\d.]+) ms/.exec(line);
      if (m) onAlive(m[1]!, Number(m[2]));
    });
    child.on('error', () => resolve());
    child.on('close', () => resolve());
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
