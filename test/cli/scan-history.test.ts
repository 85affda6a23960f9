// End to end through the built CLI: two scans of loopback "devices" (TCP listeners, names from a
// test DNS server), one device moved to another address and one gone between them, then diff,
// assets, asset and export checked on content.
import { join } from 'node:path';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli, tempDir } from '../helpers/cli.js';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server.js';
import { listen, pickPort, type Listener } from '../helpers/listeners.js';

const NET = '127.20.0';
const A = `${NET}.11`; // alpha: stays
const B1 = `${NET}.12`; // bravo: moves from .12 ...
const B2 = `${NET}.14`; // ... to .14
const C = `${NET}.13`; // charlie: gone in the second scan

describe('scan twice, then diff, assets, asset, export', () => {
  const home = tempDir();
  const db = join(home, 'inventory.db');
  const env = cliEnv(home);
  const portA = pickPort(1);
  const portB = portA + 1;
  let dns: TestDnsServer;
  let open: Listener[] = [];
  const cli = (...args: string[]) => runCli(['--db', db, ...args], { cwd: home, env });
  const scanArgs = () => ['scan', `${NET}.11-14`, '--ports', `${portA},${portB}`, '--dns-server', dns.address, '--timeout', '500'];
  let first: { stdout: string; stderr: string; code: number | null };
  let second: { stdout: string; stderr: string; code: number | null };

  beforeAll(async () => {
    dns = await startDnsServer();
    dns.ptr.set(A, 'alpha.test').set(B1, 'bravo.test').set(C, 'charlie.test');
    open = [await listen(A, portA), await listen(B1, portB), await listen(C, portA)];
    first = await cli(...scanArgs(), '--label', 'first');

    for (const l of open.splice(1)) await l.close();
    dns.ptr.delete(B1);
    dns.ptr.delete(C);
    dns.ptr.set(B2, 'bravo.test');
    open.push(await listen(B2, portB));
    second = await cli(...scanArgs(), '--json');
  });

  afterAll(async () => {
    for (const l of open) await l.close();
    await dns?.close();
  });

  it('stores each run as a complete snapshot and says so in one line', () => {
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('');
    expect(first.stderr).toMatch(/^snapshot 1 complete: 4 probed, 4 alive, 4 stored \(4 new\)/);
    expect(second.code).toBe(0);
    const summary = JSON.parse(second.stdout);
    expect(summary).toMatchObject({ snapshotId: 2, status: 'complete', counts: { probed: 4, alive: 4, records: 4, newAssets: 2 } });
  });

  it('lists both snapshots', async () => {
    const r = await cli('snapshots', '--json');
    expect(r.code).toBe(0);
    const snaps = JSON.parse(r.stdout);
    expect(snaps.map((s: { id: number; status: string; label: string | null }) => [s.id, s.status, s.label])).toEqual([
      [1, 'complete', 'first'],
      [2, 'complete', null],
    ]);
    expect(snaps[0].targets).toEqual([`${NET}.11-14`]);
  });

  it('diff: bravo moved, charlie removed, and the anonymous hosts as they really are', async () => {
    const r = await cli('diff', '--json');
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.from.id).toBe(1);
    expect(d.to.id).toBe(2);
    type C = { kind: string; tags: string[]; fields: { field: string; before: unknown; after: unknown }[]; before: { address: string; hostname: string | null } | null; after: { address: string; hostname: string | null } | null };
    const changes: C[] = d.changes;
    const moved = changes.filter((c) => c.tags.includes('moved'));
    expect(moved).toHaveLength(1);
    expect(moved[0]!.kind).toBe('changed');
    expect(moved[0]!.after!.hostname).toBe('bravo.test');
    expect(moved[0]!.fields).toContainEqual({ field: 'address', before: B1, after: B2 });
    const removed = changes.filter((c) => c.kind === 'removed').map((c) => [c.before!.address, c.before!.hostname]);
    // charlie is gone; the nameless host that answered at .14 before bravo took the address is gone too.
    expect(removed.sort()).toEqual([[C, 'charlie.test'], [B2, null]].sort());
    const added = changes.filter((c) => c.kind === 'added').map((c) => [c.after!.address, c.after!.hostname]);
    // Loopback refuses on every address, so .12 and .13 still "answer", now without names: new hosts.
    expect(added.sort()).toEqual([[B1, null], [C, null]].sort());
    expect(changes.some((c) => c.after?.hostname === 'alpha.test')).toBe(false);

    const text = await cli('diff', '1', '2');
    expect(text.stdout).toContain('[moved]');
    expect(text.stdout).toContain(`address: ${B1} -> ${B2}`);
    expect(text.stdout).toMatch(/2 added, 2 removed, 0 replaced, 1 changed \(1 moved\)/);
    const withExit = await cli('diff', '--exit-code');
    expect(withExit.code).toBe(1);
    const same = await cli('diff', '2', 'latest', '--exit-code');
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('both sides are snapshot 2');
  });

  it('assets: the latest inventory keeps charlie as missing', async () => {
    const r = await cli('assets', '--json');
    const assets = JSON.parse(r.stdout).assets as { assetId: number; address: string; hostname: string | null; seen: boolean; status: string; openPorts: number[] }[];
    expect(assets).toHaveLength(6);
    const charlie = assets.find((a) => a.hostname === 'charlie.test')!;
    expect(charlie.seen).toBe(false);
    expect(charlie.status).toMatch(/^missing since \d{4}-\d{2}-\d{2}$/);
    const bravo = assets.find((a) => a.hostname === 'bravo.test')!;
    expect(bravo).toMatchObject({ address: B2, seen: true, openPorts: [portB] });
    const filtered = await cli('assets', '--search', 'BRAVO');
    expect(filtered.stdout.trim().split('\n')).toHaveLength(2); // header + bravo
    expect(filtered.stdout).toContain(B2);
    const old = await cli('assets', '1', '--json');
    expect(JSON.parse(old.stdout).assets).toHaveLength(4);
  });

  it('asset: history with the evidence of each match', async () => {
    const list = JSON.parse((await cli('assets', '--json')).stdout).assets as { assetId: number; hostname: string | null }[];
    const bravoId = list.find((a) => a.hostname === 'bravo.test')!.assetId;
    const r = await cli('asset', String(bravoId));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('new asset (no earlier match)');
    expect(r.stdout).toMatch(/snapshot 2 .* 127\.20\.0\.14 bravo\.test\s+matched by hostname bravo\.test/);
    const missing = await cli('asset', '999');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('asset 999 does not exist');
  });

  it('export: CSV and JSON of the inventory as of a snapshot', async () => {
    const out = join(home, 'inventory.csv');
    const r = await cli('export', '--format', 'csv', '--out', out);
    expect(r.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\r\n');
    expect(lines[0]).toBe('asset_id,status,type,vendor,model,serial,hostname,address,addresses,macs,os,firmware,open_ports,first_seen,last_seen,snapshot_id');
    expect(lines).toHaveLength(7);
    expect(lines.find((l) => l.includes('charlie.test'))).toMatch(/,missing since \d{4}-\d{2}-\d{2},/);
    expect(lines.find((l) => l.includes('bravo.test'))).toContain(`,${B2},${B2},,,,${portB},`);
    const json = await cli('export', '1', '--format', 'json');
    const doc = JSON.parse(json.stdout);
    expect(doc.snapshot.id).toBe(1);
    expect(doc.assets).toHaveLength(4);
    const alpha = doc.assets.find((a: { hostname: string }) => a.hostname === 'alpha.test');
    expect(alpha.facts.hostnames).toEqual([{ value: 'alpha.test', source: 'dns:PTR' }]);
    expect(alpha.facts.openPorts.value).toEqual([{ port: portA, protocol: 'tcp' }]);
  });

  it('refuses bad input with one line and exit 2, leaving the database untouched', async () => {
    const before = readFileSync(db);
    for (const args of [
      ['scan', '10.0.0.300'],
      ['scan', '10.0.0.0/8'],
      ['scan', `${NET}.11`, '--ports', '0'],
      ['assets', 'yesterday'],
      ['diff', '2025-02-30'],
      ['scan', '@/nonexistent/targets.txt'],
    ]) {
      const r = await cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')[0]).toMatch(/^netcensus: /);
    }
    expect(readFileSync(db).equals(before)).toBe(true);
  });
});

describe('scan --discover-only', () => {
  const home = tempDir();
  const env = cliEnv(home);
  const port = pickPort(5);

  it('keeps the ports that proved an off-segment host alive, asks nothing more of it, and says so in the snapshot', async () => {
    const db = join(home, 'only.db');
    const listener = await listen(`${NET}.21`, port);
    try {
      // Loopback is off every local segment: the port list is how its hosts prove themselves alive.
      const scan = await runCli(['--db', db, 'scan', `${NET}.21`, '--ports', String(port), '--no-dns', '--discover-only', '--json'], { cwd: home, env });
      expect(scan.code, scan.stderr).toBe(0);
      expect(JSON.parse(scan.stdout).counts.alive).toBe(1);
    } finally {
      await listener.close();
    }
    const [snapshot] = JSON.parse((await runCli(['--db', db, 'snapshots', '--json'], { cwd: home, env })).stdout) as { scanners: string[]; options: Record<string, unknown> }[];
    expect(snapshot!.scanners).toEqual(['discover']);
    expect(snapshot!.options).toMatchObject({ discoverOnly: true, fingerprint: false, nmap: false });
    const [asset] = JSON.parse((await runCli(['--db', db, 'assets', '--json'], { cwd: home, env })).stdout).assets as { openPorts: number[] }[];
    expect(asset!.openPorts).toEqual([port]);
  });

  it('refuses --nmap beside it, whether it came from the flag or from the config (exit 2)', async () => {
    const db = join(home, 'refused.db');
    const flag = await runCli(['--db', db, 'scan', `${NET}.21`, '--discover-only', '--nmap'], { cwd: home, env });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--discover-only only finds them');
    const config = join(home, 'netcensus.yaml');
    writeFileSync(config, 'profiles:\n  headcount:\n    discoverOnly: true\n');
    const profile = await runCli(['--db', db, '--config', config, 'scan', `${NET}.21`, '--profile', 'headcount', '--nmap'], { cwd: home, env });
    expect(profile.code).toBe(2);
    expect(profile.stderr).toContain(`discoverOnly in profile "headcount" of ${config}`);
    expect(existsSync(db), 'no database for a refused scan').toBe(false);
  });
});
