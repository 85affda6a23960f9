// snmpsim on loopback for a test: ../shared/lab/snmpsim-serve.sh for one device per address
// (killed by the pid the script prints), or snmpsimd itself on one endpoint where the community
// names the data file (the project's own fixtures, no ../shared needed).
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import snmp from 'net-snmp';
import { SHARED } from '../helpers/prereqs.js';

export interface Snmpsim {
  pid: number;
  /** Recording name per address, in the script's order (file names sorted bytewise). */
  names: Map<string, string>;
  stop(): void;
}

export async function startSnmpsimPerAddress(dataDir: string, firstAddress: string, port: number): Promise<Snmpsim> {
  const pid = await serve(['--per-address', dataDir, firstAddress, String(port)]);
  const files = readdirSync(dataDir)
    .filter((f) => f.endsWith('.snmprec'))
    .sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : 1));
  const base = firstAddress.split('.').map(Number);
  const names = new Map<string, string>();
  files.forEach((f, i) => {
    const last = base[3]! + i;
    names.set(`${base[0]}.${base[1]}.${base[2]! + Math.floor(last / 256)}.${last % 256}`, f.replace(/\.snmprec$/, ''));
  });
  return { pid, names, stop: () => stopPid(pid) };
}

/**
 * snmpsimd itself (no ../shared needed) on one endpoint ADDRESS:PORT, where the community names the
 * data file: DIR/c.snmprec answers community "c", DIR/c@10.snmprec community "c@10" (Cisco
 * community indexing). Resolves once `probeCommunity` gets an answer. As root it drops to nobody
 * (snmpsimd refuses root), so DIR must be world-readable.
 */
export async function startSnmpsimEndpoint(dataDir: string, address: string, port: number, probeCommunity: string): Promise<{ stop(): void }> {
  const cache = mkdtempSync(join(tmpdir(), 'netcensus-snmpsim-'));
  chmodSync(cache, 0o777);
  const asRoot = process.getuid?.() === 0;
  const child = spawn(
    'snmpsimd',
    [
      `--data-dir=${dataDir}`,
      `--agent-udpv4-endpoint=${address}:${port}`,
      `--cache-dir=${cache}`,
      '--logging-method=null',
      ...(asRoot ? ['--process-user=nobody', '--process-group=nogroup'] : []),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const stop = (): void => {
    child.kill('SIGTERM');
    rmSync(cache, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`snmpsimd exited ${child.exitCode}: ${stderr.slice(-800)}`);
    if (await answers(address, port, probeCommunity)) return { stop };
    if (Date.now() > deadline) {
      stop();
      throw new Error(`snmpsimd did not answer on ${address}:${port} within 60 s: ${stderr.slice(-800)}`);
    }
  }
}

function answers(address: string, port: number, community: string): Promise<boolean> {
  const session = snmp.createSession(address, community, { port, version: snmp.Version2c, timeout: 500, retries: 0 });
  session.on('error', () => undefined);
  return new Promise((resolve) =>
    session.get(['1.3.6.1.2.1.1.1.0'], (error) => {
      session.close();
      resolve(!error);
    }),
  );
}

async function serve(args: string[]): Promise<number> {
  const script = join(SHARED, 'lab/snmpsim-serve.sh');
  const child = spawn('bash', [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const pid = Number(stdout.trim());
  if (code !== 0 || !Number.isInteger(pid) || pid <= 0) throw new Error(`snmpsim-serve.sh failed (${code}): ${stderr.slice(-800)}`);
  return pid;
}

function stopPid(pid: number): void {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // already gone
  }
}
