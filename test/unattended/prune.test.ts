// Retention: `netcensus prune` removes old snapshots' records, keeps every asset's first and latest
// sightings, and leaves every later snapshot reading exactly as before (export, diff and assets give
// the same bytes). Pruned snapshots stay listed and cannot be named any more. A profile's
// `retention:` prunes after each complete scan.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli, tempDir } from '../helpers/cli.js';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server.js';
import { pickPort } from '../helpers/listeners.js';
import { readState } from './support.js';

const NET = '127.40.3';

describe('prune', () => {
  const home = tempDir();
  const db = join(home, 'inventory.db');
  const env = cliEnv(home);
  const port = String(pickPort(43));
  let dns: TestDnsServer;
  const cli = (...args: string[]) => runCli(['--db', db, ...args], { cwd: home, env });
  const scan = (...targets: string[]) => cli('scan', ...targets, '--ports', port, '--no-icmp', '--dns-server', dns.address, '--timeout', '300');
  const views = async () => ({
    exportLatest: (await cli('export', '--format', 'csv')).stdout,
    exportJson: (await cli('export', '--format', 'json')).stdout,
    export4: (await cli('export', '4', '--format', 'csv')).stdout,
    diff: (await cli('diff', '--json')).stdout,
    assets: (await cli('assets', '--json')).stdout,
  });

  beforeAll(async () => {
    dns = await startDnsServer();
    for (let i = 1; i <= 9; i++) dns.ptr.set(`${NET}.${i}`, `keep-${i}.prune.test`);
    // .6 is seen once, in snapshot 1, and missing ever since; .7 appears in snapshot 4.
    for (const targets of [[`${NET}.1-6`], [`${NET}.1-5`], [`${NET}.2-5`], [`${NET}.1-4`, `${NET}.7`], [`${NET}.1-5`]]) {
      const r = await scan(...targets);
      expect(r.code, r.stderr).toBe(0);
    }
  });
  afterAll(async () => {
    await dns?.close();
  });

  it('needs a rule', async () => {
    const r = await cli('prune');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--keep-last N');
    expect((await cli('prune', '--older-than', 'soon')).code).toBe(2);
  });

  it('--dry-run says what would go and changes nothing', async () => {
    const before = readState(db);
    const r = await cli('prune', '--keep-last', '2', '--dry-run', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ dryRun: true, cutoffId: 4, pruned: [1, 2, 3] });
    expect(readState(db).recordHashes).toEqual(before.recordHashes);
    expect((await cli('prune', '--older-than', '30d')).stderr).toContain('nothing to prune');
  });

  it('--keep-last 2: later snapshots read the same, first and last seen included; the space is given back', async () => {
    const before = await views();
    const stateBefore = readState(db);
    const r = await cli('prune', '--keep-last', '2', '--json');
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({ cutoffId: 4, pruned: [1, 2, 3], vacuumed: true });
    expect(result.recordsDeleted).toBe(4); // .2-.5 in snapshot 2: neither a first nor a latest sighting
    expect(result.bytesAfter).toBeLessThanOrEqual(result.bytesBefore);

    const after = readState(db);
    expect(after.integrity).toBe('ok');
    expect(after.recordCounts.get(2)).toBe(1); // .1: its latest sighting before snapshot 4
    expect(after.recordHashes.get(4)).toBe(stateBefore.recordHashes.get(4));
    expect(after.recordHashes.get(5)).toBe(stateBefore.recordHashes.get(5));
    expect(after.assets).toBe(stateBefore.assets);
    expect(await views()).toEqual(before);
    // .6, seen only in snapshot 1, is still in the inventory: missing since then.
    const six = JSON.parse(before.assets).assets ?? JSON.parse(before.assets);
    expect(JSON.stringify(six)).toContain(`${NET}.6`);
  });

  it('lists pruned snapshots as such, and refuses them by name', async () => {
    const list = await cli('snapshots');
    expect(list.stdout).toMatch(/\n\s*1\s+\S+\s+complete, pruned/);
    const json = JSON.parse((await cli('snapshots', '--json')).stdout);
    expect(json.filter((s: { prunedAt?: string }) => s.prunedAt).map((s: { id: number }) => s.id)).toEqual([1, 2, 3]);
    const r = await cli('export', '1', '--format', 'csv');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/snapshot 1 .* was pruned on .*name a later snapshot/);
    // latest~N skips nothing: there is no complete, unpruned snapshot two before the latest.
    expect((await cli('diff', 'latest~2', 'latest')).code).toBe(2);
  });

  it('a scan after pruning recognises every asset (no duplicates)', async () => {
    const assets = readState(db).assets;
    const r = await scan(`${NET}.1-7`);
    expect(r.code, r.stderr).toBe(0);
    expect(readState(db).assets).toBe(assets);
  });

  it("a profile's retention prunes after each complete scan", async () => {
    const dir = tempDir();
    const config = join(dir, 'netcensus.yaml');
    writeFileSync(config, `profiles:\n  nightly:\n    targets: ["${NET}.1-3"]\n    retention: { keepLast: 1 }\n`, { mode: 0o600 });
    const run = () =>
      runCli(['--db', join(dir, 'r.db'), '--config', config, 'scan', '--profile', 'nightly', '--ports', port, '--no-icmp', '--dns-server', dns.address, '--json'], { cwd: dir, env });
    expect((await run()).code).toBe(0);
    const second = await run();
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout).pruned).toMatchObject({ snapshots: [1] });
  });
});
