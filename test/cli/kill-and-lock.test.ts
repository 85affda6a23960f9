// A scan killed with SIGKILL mid-run loses nothing committed: earlier snapshots and their exports
// are byte-identical, the killed run's committed records stay, the file passes integrity_check,
// and the next scan marks the killed one interrupted. While it runs, a second scan exits 4.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli, startCli, tempDir } from '../helpers/cli.js';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server.js';
import { pickPort } from '../helpers/listeners.js';

const NET = '127.30.0';

describe('SIGKILL mid-scan and the scan lock', () => {
  const home = tempDir();
  const db = join(home, 'inventory.db');
  const env = cliEnv(home);
  const port = String(pickPort(2));
  let dns: TestDnsServer;
  const cli = (...args: string[]) => runCli(['--db', db, ...args], { cwd: home, env, timeoutMs: 90_000 });
  const quickScan = () => cli('scan', `${NET}.1-4`, '--ports', port, '--dns-server', dns.address, '--timeout', '300');

  beforeAll(async () => {
    dns = await startDnsServer();
    for (let i = 1; i <= 254; i++) dns.ptr.set(`${NET}.${i}`, `host-${i}.kill.test`);
  });
  afterAll(async () => {
    await dns?.close();
  });

  it('keeps every committed byte and marks the killed run interrupted', async () => {
    expect((await quickScan()).code).toBe(0);
    expect((await quickScan()).code).toBe(0);
    const exportBefore = (await cli('export', '1', '--format', 'csv')).stdout;
    const diffBefore = (await cli('diff', '1', '2', '--json')).stdout;
    expect(exportBefore.split('\r\n').length).toBeGreaterThan(4);

    // A slow scan: every name lookup takes 150 ms and only two hosts are interrogated at a time.
    dns.delayMs = 150;
    const slow = startCli(
      ['--db', db, 'scan', `${NET}.0/24`, '--ports', port, '--dns-server', dns.address, '--timeout', '300', '--concurrency', '2'],
      { cwd: home, env },
    );
    let slowStderr = '';
    slow.stderr!.on('data', (d) => (slowStderr += d));
    const exited = new Promise<number | null>((resolve) => slow.on('close', (code) => resolve(code)));

    const reader = new Database(db, { readonly: true });
    const committed = (): number =>
      (reader.prepare('SELECT count(*) AS n FROM records WHERE snapshot_id = 3').get() as { n: number }).n;
    const deadline = Date.now() + 30_000;
    while (committed() < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(committed()).toBeGreaterThanOrEqual(3);

    // The lock: a second scan while this one runs exits 4 at once, naming the running one.
    const second = await quickScan();
    expect(second.code).toBe(4);
    expect(second.stderr).toMatch(/another scan holds .*snapshot 3, pid \d+ on \S+, started /);

    slow.kill('SIGKILL');
    await exited;
    const kept = committed();
    expect(kept).toBeGreaterThanOrEqual(3);
    expect(kept).toBeLessThan(254);
    reader.close();

    const check = new Database(db, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    expect((check.prepare('SELECT status FROM snapshots WHERE id = 3').get() as { status: string }).status).toBe('running');
    check.close();

    expect((await cli('export', '1', '--format', 'csv')).stdout).toBe(exportBefore);
    expect((await cli('diff', '1', '2', '--json')).stdout).toBe(diffBefore);
    // Listings use complete snapshots only: latest is still snapshot 2.
    expect(JSON.parse((await cli('assets', '--json')).stdout).snapshotId).toBe(2);

    dns.delayMs = 0;
    const next = await quickScan();
    expect(next.code).toBe(0);
    expect(next.stderr).toContain('marked earlier run(s) 3 interrupted');
    const after = new Database(db, { readonly: true });
    expect(after.pragma('integrity_check', { simple: true })).toBe('ok');
    const snaps = after.prepare('SELECT id, status FROM snapshots ORDER BY id').all();
    expect(snaps).toEqual([
      { id: 1, status: 'complete' },
      { id: 2, status: 'complete' },
      { id: 3, status: 'interrupted' },
      { id: 4, status: 'complete' },
    ]);
    expect((after.prepare('SELECT count(*) AS n FROM records WHERE snapshot_id = 3').get() as { n: number }).n).toBe(kept);
    after.close();
    void slowStderr;
  });
});
