// Starts ../shared/lab/snmpsim-serve.sh (snmpsim on loopback, one device per address) for a test
// and stops it afterwards, killing it by the pid the script prints.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED } from '../helpers/prereqs.js';

export interface Snmpsim {
  pid: number;
  /** Recording name per address, in the script's order (file names sorted bytewise). */
  names: Map<string, string>;
  stop(): void;
}

export async function startSnmpsimPerAddress(dataDir: string, firstAddress: string, port: number): Promise<Snmpsim> {
  const script = join(SHARED, 'lab/snmpsim-serve.sh');
  const child = spawn('bash', [script, '--per-address', dataDir, firstAddress, String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const pid = Number(stdout.trim());
  if (code !== 0 || !Number.isInteger(pid) || pid <= 0) throw new Error(`snmpsim-serve.sh failed (${code}): ${stderr.slice(-800)}`);
  const files = readdirSync(dataDir)
    .filter((f) => f.endsWith('.snmprec'))
    .sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : 1));
  const base = firstAddress.split('.').map(Number);
  const names = new Map<string, string>();
  files.forEach((f, i) => {
    const last = base[3]! + i;
    names.set(`${base[0]}.${base[1]}.${base[2]! + Math.floor(last / 256)}.${last % 256}`, f.replace(/\.snmprec$/, ''));
  });
  return {
    pid,
    names,
    stop() {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    },
  };
}
