// A full disk and a read-only database: a clear one-line error, a non-zero exit, and nothing half
// written (integrity_check passes, earlier snapshots and their exports are unchanged, and the next
// run goes on). The database lives on a small tmpfs mounted for the test: file modes do not stop
// root, a full or read-only file system does. Needs root (to mount).
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cliEnv, runCli, tempDir } from '../helpers/cli.js';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server.js';
import { pickPort } from '../helpers/listeners.js';
import { describeWhen, firstMissing, needCommand, needRoot } from '../helpers/prereqs.js';
import { readState } from './support.js';

const NET = '127.40.5';

describeWhen(firstMissing(needRoot(), needCommand('mount'), needCommand('umount')), 'disk full and read-only database', () => {
  const home = tempDir();
  const mnt = tempDir('netcensus-tmpfs-');
  const db = join(mnt, 'inventory.db');
  const filler = join(mnt, 'filler');
  const env = cliEnv(home);
  const port = String(pickPort(46));
  let dns: TestDnsServer;
  let mounted = false;
  const cli = (...args: string[]) => runCli(['--db', db, ...args], { cwd: home, env });
  const scan = (range: string) => cli('scan', range, '--ports', port, '--no-icmp', '--dns-server', dns.address, '--timeout', '300');
  let exportBefore = '';
  let snapshot1 = '';

  beforeAll(async () => {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0700', 'tmpfs', mnt]);
    mounted = true;
    dns = await startDnsServer();
    // Long names make big records: the disk fills within the second scan.
    for (let i = 1; i <= 254; i++) dns.ptr.set(`${NET}.${i}`, `${'a-rather-long-host-name-'.repeat(8)}${i}.faults.test`);
    const first = await scan(`${NET}.1-5`);
    expect(first.code, first.stderr).toBe(0);
    exportBefore = (await cli('export', '1', '--format', 'csv')).stdout;
    snapshot1 = readState(db).recordHashes.get(1)!;
  });
  afterAll(async () => {
    await dns?.close();
    if (mounted) spawnSync('umount', ['-l', mnt]);
    rmSync(mnt, { recursive: true, force: true });
  });

  it('disk full: a clear error, exit 1, nothing half-written; the next run goes on', async () => {
    // Leave about 48 kB free.
    const fs = statfsSync(mnt);
    writeFileSync(filler, Buffer.alloc(Math.max(0, fs.bavail * fs.bsize - 48 * 1024)));
    const full = await scan(`${NET}.1-254`);
    expect(full.code, full.stderr).toBe(1);
    expect(full.stderr).toMatch(/the disk holding the database is full \(SQLITE_FULL\).*rolled back/);
    expect(full.stderr).not.toContain('internal error');

    rmSync(filler);
    const state = readState(db);
    expect(state.integrity).toBe('ok');
    expect(state.recordHashes.get(1)).toBe(snapshot1);
    expect((await cli('export', '1', '--format', 'csv')).stdout).toBe(exportBefore);
    const next = await scan(`${NET}.1-5`);
    expect(next.code, next.stderr).toBe(0);
    const after = readState(db);
    expect(after.snapshots[0]).toEqual({ id: 1, status: 'complete' });
    expect(['interrupted', 'failed']).toContain(after.snapshots[1]!.status);
    expect(after.snapshots.at(-1)!.status).toBe('complete');
  });

  it('read-only: a clear error, exit 1, the file untouched', async () => {
    const hash = () => createHash('sha256').update(readFileSync(db)).digest('hex');
    const before = hash();
    execFileSync('mount', ['-o', 'remount,ro', mnt]);
    try {
      const r = await scan(`${NET}.1-5`);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^netcensus: .*(read-only|readonly|cannot open database)/m);
      expect(r.stderr).not.toContain('internal error');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(hash()).toBe(before);
    } finally {
      execFileSync('mount', ['-o', 'remount,rw', mnt]);
    }
    expect(readState(db).integrity).toBe('ok');
  });
});
