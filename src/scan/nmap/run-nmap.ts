// Spawns nmap directly (no shell: addresses and ports are arguments, never parsed by sh) and collects
// its XML on stdout. A run that outlives its timeout, or whose scan is aborted, is killed (SIGTERM,
// then SIGKILL after a grace period) and reported as such; nothing here throws on a failed run.
import { spawn } from 'node:child_process';

export interface NmapRun {
  stdout: string;
  stderr: string;
  code: number | null;
  /** Killed by us: 'timeout' (the batch timeout) or 'aborted' (the scan was stopped). */
  killed: 'timeout' | 'aborted' | null;
  /** The spawn itself failed (ENOENT: nmap is not there, EACCES). */
  spawnError: NodeJS.ErrnoException | null;
}

const MAX_OUTPUT = 64 * 1024 * 1024;

export function runNmap(command: string, args: string[], timeoutMs: number, signal: AbortSignal): Promise<NmapRun> {
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    let outBytes = 0;
    let stderr = '';
    let killed: NmapRun['killed'] = null;
    let spawnError: NodeJS.ErrnoException | null = null;
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], shell: false });
    const kill = (why: 'timeout' | 'aborted'): void => {
      if (killed || child.exitCode !== null) return;
      killed = why;
      child.kill('SIGTERM');
      // nmap usually stops on SIGTERM at once; a child stuck in a raw-socket loop gets SIGKILL.
      setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }, 2000).unref();
    };
    const timer = setTimeout(() => kill('timeout'), timeoutMs);
    const onAbort = (): void => kill('aborted');
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (d: Buffer) => {
      if (outBytes < MAX_OUTPUT) out.push(d);
      outBytes += d.length;
    });
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 16_384) stderr += d.toString('utf8');
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      spawnError = error;
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr, code, killed, spawnError });
    });
  });
}
