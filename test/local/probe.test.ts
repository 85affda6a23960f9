// `netcensus local` on this machine, checked against what the system says independently: the host
// name, the MACs of `ip -j link`, /etc/os-release and the installed packages of dpkg-query.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { cliEnv, runCli, tempDir } from '../helpers/cli.js';
import { describeWhen, firstMissing, needCommand } from '../helpers/prereqs.js';

const linux = process.platform === 'linux' && existsSync('/etc/os-release') ? null : 'needs Linux with /etc/os-release';

function installedPackages(): number {
  const out = execFileSync('dpkg-query', ['-W', '-f', '${db:Status-Abbrev}\\n'], { encoding: 'utf8' });
  return out.split('\n').filter((s) => s.length >= 2 && s[1] === 'i').length;
}

function osRelease(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync('/etc/os-release', 'utf8').split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!.replace(/^"|"$/g, '');
  }
  return out;
}

describeWhen(firstMissing(linux, needCommand('ip'), needCommand('dpkg-query')), 'netcensus local on this machine', () => {
  const home = tempDir();
  const db = join(home, 'inventory.db');
  const env = cliEnv(home);
  const cli = (...args: string[]) => runCli(['--db', db, ...args], { cwd: home, env });
  const file = join(home, 'me.json');
  let doc: {
    format: string;
    version: number;
    os: { hostname: string; name: string; release?: string; platform: string };
    network: { interfaces: { name: string; mac?: string }[] };
    software: { source: string; packages: { name: string }[] };
    memory: { totalBytes: number };
  };
  let packagesBefore = 0;
  let packagesAfter = 0;
  let elapsedMs = 0;

  beforeAll(async () => {
    packagesBefore = installedPackages();
    const started = Date.now();
    const r = await cli('local', '--out', file, '--quiet');
    elapsedMs = Date.now() - started;
    packagesAfter = installedPackages();
    expect(r.code, r.stderr).toBe(0);
    doc = JSON.parse(readFileSync(file, 'utf8'));
  });

  it('writes a versioned document in well under 5 s', () => {
    expect(doc.format).toBe('netcensus-inventory');
    expect(doc.version).toBe(1);
    expect(elapsedMs).toBeLessThan(5000);
  });

  it('host name and OS as the system reports them', () => {
    expect(doc.os.hostname).toBe(hostname());
    const release = osRelease();
    expect(doc.os.platform).toBe('linux');
    expect(doc.os.name).toBe(release.NAME);
    expect(doc.os.release).toBe(release.VERSION_ID);
  });

  it('the MACs of every link that `ip -j link` lists, loopback aside', () => {
    const links = JSON.parse(execFileSync('ip', ['-j', 'link'], { encoding: 'utf8' })) as { ifname: string; link_type: string; address?: string }[];
    const expected = links.filter((l) => l.link_type !== 'loopback' && l.address).map((l) => `${l.ifname} ${l.address!.toLowerCase()}`).sort();
    const got = doc.network.interfaces.filter((i) => i.mac).map((i) => `${i.name} ${i.mac!.toLowerCase()}`).sort();
    expect(got).toEqual(expected);
  });

  it('the installed packages that dpkg-query lists', () => {
    expect(doc.software.source).toBe('dpkg-query');
    // Other work on this machine may install packages meanwhile: between the counts before and after.
    expect(doc.software.packages.length).toBeGreaterThanOrEqual(Math.min(packagesBefore, packagesAfter));
    expect(doc.software.packages.length).toBeLessThanOrEqual(Math.max(packagesBefore, packagesAfter));
    expect(doc.software.packages.some((p) => p.name === 'dpkg')).toBe(true);
  });

  it('memory total as the kernel reports it', () => {
    const kb = Number(/^MemTotal:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'))![1]);
    expect(doc.memory.totalBytes).toBe(kb * 1024);
  });

  it('without --out: stores a snapshot of kind local with this machine, shown by asset --software', async () => {
    const r = await cli('local', '--json', '--label', 'this box');
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ status: 'complete', imported: 1, counts: { records: 1, newAssets: 1 } });
    const snaps = JSON.parse((await cli('snapshots', '--json')).stdout);
    expect(snaps.map((s: { kind: string; label: string }) => [s.kind, s.label])).toEqual([['local', 'this box']]);
    const assets = JSON.parse((await cli('assets', '--json')).stdout).assets;
    expect(assets).toHaveLength(1);
    expect(assets[0]).toMatchObject({ hostname: hostname().toLowerCase(), seen: true });
    const asset = await cli('asset', String(assets[0].assetId), '--software');
    expect(asset.stdout).toMatch(/software +\d+ packages +\(dpkg-query\)/);
    expect(asset.stdout).toMatch(/^ {4}dpkg +\S+/m);
    expect(asset.stdout).toContain(`memory     `);
    // A second run is the same machine: one asset, two sightings.
    await cli('local', '--quiet');
    const again = JSON.parse((await cli('assets', '--json')).stdout).assets;
    expect(again).toHaveLength(1);
  });
});
