// `netcensus import` of the documents in fixtures/local through the built CLI: validation per file,
// placeholder serials, idempotent re-import, and a later document of the same server diffed for
// software and hardware changes.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli, tempDir } from '../helpers/cli.js';

const FIXTURES = resolve(import.meta.dirname, '../../fixtures/local');

type Entry = { assetId: number; hostname: string; serial: string | null; vendor: string | null; type: string | null; seen: boolean; macs: string[] };

describe('netcensus import', () => {
  const home = tempDir();
  const db = join(home, 'inventory.db');
  const env = cliEnv(home);
  const cli = (...args: string[]) => runCli(['--db', db, ...args], { cwd: home, env });
  const batch = join(home, 'collected');
  let first: Awaited<ReturnType<typeof cli>>;

  beforeAll(async () => {
    // Everything but the April document of the server, in a folder with a sub-folder.
    mkdirSync(join(batch, 'lab'), { recursive: true });
    for (const f of ['windows-laptop.json', 'macos-machine.json', 'linux-server.json', 'malformed.json']) copyFileSync(join(FIXTURES, f), join(batch, f));
    for (const f of ['placeholder-serial-a.json', 'placeholder-serial-b.json']) copyFileSync(join(FIXTURES, f), join(batch, 'lab', f));
    writeFileSync(join(batch, 'notes.txt'), 'not a document');
    first = await cli('import', batch, '--json');
  });

  it('imports the valid documents and names the bad one with each bad field (exit 3)', () => {
    expect(first.code).toBe(3);
    const summary = JSON.parse(first.stdout);
    expect(summary).toMatchObject({ snapshotId: 1, status: 'complete', documents: 6, imported: 5, unchanged: 0, counts: { records: 5, newAssets: 5, failedTargets: 1 } });
    const lines = first.stderr.trim().split('\n');
    expect(lines.every((l) => l.startsWith(`netcensus: ${join(batch, 'malformed.json')}: `) || l.startsWith('netcensus: collected/malformed.json: '))).toBe(true);
    const text = first.stderr;
    expect(text).toMatch(/malformed\.json: collectedAt: expected an ISO 8601 date-time/);
    expect(text).toMatch(/malformed\.json: system\.serial: .*expected string, received number/);
    expect(text).toMatch(/malformed\.json: memory\.totalBytes: .*expected number, received string/);
    expect(text).toMatch(/malformed\.json: software\.packages\[1\]\.name: /);
  });

  it('one asset per machine; placeholder serials and the shared bogus UUID identify nothing', async () => {
    const assets: Entry[] = JSON.parse((await cli('assets', '--json')).stdout).assets;
    expect(assets.map((a) => a.hostname).sort()).toEqual(['db01.example.net', 'lab-pc-07', 'lab-pc-08', 'lt-anna.corp.example.org', 'studio-mini.local']);
    const server = assets.find((a) => a.hostname === 'db01.example.net')!;
    expect(server).toMatchObject({ vendor: 'Dell Inc.', serial: '7XK2H53', type: 'server', seen: true, macs: ['00:1b:21:3a:4f:10', '00:1b:21:3a:4f:11'] });
    expect(assets.find((a) => a.hostname === 'lt-anna.corp.example.org')!.type).toBe('workstation');
    const labs = assets.filter((a) => a.hostname.startsWith('lab-pc'));
    expect(labs.map((a) => a.serial)).toEqual(['To Be Filled By O.E.M.', 'To Be Filled By O.E.M.']);
    expect(new Set(labs.map((a) => a.assetId)).size).toBe(2);
    const snaps = JSON.parse((await cli('snapshots', '--json')).stdout);
    expect(snaps).toMatchObject([{ id: 1, kind: 'import', status: 'complete', targets: [batch] }]);
  });

  it('importing the same files again changes nothing and makes no snapshot', async () => {
    const again = await cli('import', batch);
    expect(again.code).toBe(3); // the malformed document is still malformed
    expect(again.stderr).toMatch(/^nothing new: 6 documents, 0 imported \(0 new assets\), 5 already imported, 1 invalid; no snapshot made$/m);
    const snaps = JSON.parse((await cli('snapshots', '--json')).stdout);
    expect(snaps).toHaveLength(1);
    const one = await cli('import', join(batch, 'linux-server.json'));
    expect(one.code).toBe(0);
    expect(one.stderr).toMatch(/^nothing new/);
  });

  it('asset ID shows hardware and, with --software, the packages', async () => {
    const assets: Entry[] = JSON.parse((await cli('assets', '--json')).stdout).assets;
    const id = assets.find((a) => a.hostname === 'lt-anna.corp.example.org')!.assetId;
    const r = await cli('asset', String(id));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/bios +LENOVO R23ET70W \(1\.46 \) \(2024-02-19\) +\(systeminformation:bios\)/);
    expect(r.stdout).toMatch(/cpu +Intel Core i7-1265U, 10 cores \/ 12 threads, 1\.8 GHz/);
    expect(r.stdout).toMatch(/memory +16 GiB in 2 modules \(8 GiB DDR4, 8 GiB DDR4\)/);
    expect(r.stdout).toMatch(/disks +477 GiB nvme SAMSUNG MZVL2512HCJQ-00BL7 s\/n S64KNX0T123456/);
    expect(r.stdout).toMatch(/chassis +Notebook/);
    expect(r.stdout).toMatch(/software +8 packages \(list them with --software\) +\(registry:Uninstall\)/);
    expect(r.stdout).not.toContain('Zoom Workplace');
    const withSoftware = await cli('asset', String(id), '--software');
    expect(withSoftware.stdout).toMatch(/^ {4}Zoom Workplace +5\.17\.11 +Zoom Video Communications, Inc\.$/m);
  });

  it('a later document of the server: diff names software installed, removed, upgraded and hardware changes', async () => {
    const later = await cli('import', join(FIXTURES, 'linux-server-april.json'));
    expect(later.code, later.stderr).toBe(0);
    expect(later.stderr).toMatch(/^snapshot 2 complete: 1 document, 1 imported \(0 new assets\)/);
    const d = JSON.parse((await cli('diff', '--json')).stdout);
    expect(d.counts.byKind).toEqual({ added: 0, removed: 0, replaced: 0, changed: 1 });
    const c = d.changes[0];
    expect(c.tags).toEqual(['hardware', 'software']);
    expect(c.after.hostname).toBe('db01.example.net');
    expect(c.software).toEqual({
      installed: [{ name: 'nginx', version: '1.22.1-9' }],
      removed: [{ name: 'telnet', version: '0.17+2.4-2+deb12u1' }],
      upgraded: [{ name: 'openssl', before: '3.0.11-1~deb12u2', after: '3.0.13-1~deb12u1' }],
    });
    expect(c.fields).toContainEqual({ field: 'memory', before: 137438953472, after: 274877906944 });
    const disks = c.fields.find((f: { field: string }) => f.field === 'disks');
    expect(disks.after).toContain('nvme 1600 GB Dell Ent NVMe CM6 MU 1.6TB s/n Y0K0A0XYZ123');
    expect(c.before.facts).toBeUndefined();
    // The other machines were not in the April import: still there, not missing.
    const assets: Entry[] = JSON.parse((await cli('assets', '--json')).stdout).assets;
    expect(assets).toHaveLength(5);
    expect(assets.every((a) => a.seen)).toBe(true);

    const text = await cli('diff');
    expect(text.stdout).toContain('memory: 128 GiB -> 256 GiB');
    expect(text.stdout).toContain('software: 1 installed, 1 removed, 1 upgraded');
    expect(text.stdout).toContain('+ nginx 1.22.1-9');
    expect(text.stdout).toContain('- telnet 0.17+2.4-2+deb12u1');
    expect(text.stdout).toContain('^ openssl 3.0.11-1~deb12u2 -> 3.0.13-1~deb12u1');
    expect(text.stdout).toMatch(/0 added, 0 removed, 0 replaced, 1 changed \(1 software, 1 hardware\)/);
  });

  it('refuses a missing path or a folder without documents before touching the database (exit 2)', async () => {
    for (const args of [['import', join(home, 'nope.json')], ['import', join(home, 'empty')]]) {
      if (args[1]!.endsWith('empty')) mkdirSync(args[1]!, { recursive: true });
      const r = await cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^netcensus: (cannot import|no \*\.json)/);
    }
  });

  it('a file that is not a netcensus document, or of a newer version, gets one clear line', async () => {
    const dir = join(home, 'odd');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'a.json'), '{"hello": 1}');
    writeFileSync(join(dir, 'b.json'), '{"format": "netcensus-inventory", "version": 7}');
    writeFileSync(join(dir, 'c.json'), '{ not json');
    const r = await cli('import', dir);
    expect(r.code).toBe(3);
    const lines = r.stderr.trim().split('\n');
    expect(lines.find((l) => l.includes('a.json'))).toMatch(/format: expected "netcensus-inventory", found nothing/);
    expect(lines.find((l) => l.includes('b.json'))).toMatch(/version: document version 7 is newer than this netcensus reads \(1\); upgrade netcensus/);
    expect(lines.find((l) => l.includes('c.json'))).toMatch(/not JSON: /);
  });
});
