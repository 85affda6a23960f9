// A large sweep of connects (a /20, then a /16, of loopback): every loopback address refuses the
// connect, so every address is alive, found by TCP; and an interrupted large sweep still stops
// promptly. (Datagrams from a worker thread need a local segment: the lab test sweeps one.)
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, runCli, startCli, tempDir } from '../helpers/cli.js';
import { pickPort } from '../helpers/listeners.js';
import { readState, waitFor } from '../unattended/support.js';

const RANGE = '127.50.0.0/20'; // 4,094 addresses

describe('a large sweep of connects', () => {
  const home = tempDir();
  const env = cliEnv(home);
  const port = String(pickPort(50));
  const args = (db: string, range = RANGE) => ['--db', db, 'scan', range, '--ports', port, '--no-icmp', '--no-dns', '--no-snmp', '--no-fingerprint', '--json'];

  it('finds every address, each by its refused connect', async () => {
    const db = join(home, 'large.db');
    const scan = await runCli(args(db), { cwd: home, env, timeoutMs: 120_000 });
    expect(scan.code, scan.stderr).toBe(0);
    const summary = JSON.parse(scan.stdout);
    expect(summary.counts.probed).toBe(4094);
    expect(summary.counts.alive).toBe(4094);
    const out = await runCli(['--db', db, 'export', '--format', 'json'], { cwd: home, env });
    const assets = JSON.parse(out.stdout).assets as { address: string; facts: { liveness?: { method: string }[] } }[];
    expect(assets).toHaveLength(4094);
    const byTcp = assets.filter((a) => a.facts.liveness?.some((l) => l.method === `tcp:${port}`));
    expect(byTcp).toHaveLength(4094);
  });

  it('stops promptly on SIGINT, marking the snapshot interrupted', async () => {
    // A /16 of loopback: far more than the sweep gets through before the signal.
    const db = join(home, 'stopped.db');
    const child = startCli(args(db, '127.51.0.0/16'), { cwd: home, env });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    // Signal once the scan has begun its snapshot: an earlier signal finds no handler installed yet.
    await waitFor(() => running(db), 20_000, 'the scan to begin its snapshot');
    const sent = performance.now();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    const took = performance.now() - sent;
    expect(code, stderr).toBe(130);
    // Not a speed target: a sweep waiting on connects that never end would not stop at all.
    expect(took).toBeLessThan(5000);
    const list = await runCli(['--db', db, 'snapshots', '--json'], { cwd: home, env });
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain('interrupted');
  });
});

function running(db: string): boolean {
  try {
    return readState(db).snapshots.some((s) => s.status === 'running');
  } catch {
    return false; // not created yet
  }
}
