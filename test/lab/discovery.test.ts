// Discovery against the network lab: the real CLI sweeps the lab /16 and is scored against the
// truth manifest: every live address found (recall), nothing else (precision), each host with its
// own MAC got it and its maker, the ICMP-blocked and the silent hosts found by what they do answer.
import { chmodSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cliEnv, runCli, tempDir } from '../helpers/cli.js';
import { flushNeighbours, labDown, labGuard, labMissing, labUp, type ManifestHost } from '../helpers/lab.js';
import { describeWhen, firstMissing, needCommand } from '../helpers/prereqs.js';

interface Entry {
  assetId: number;
  address: string;
  macs: string[];
  openPorts: number[];
  facts: { liveness?: { method: string }[]; macVendor?: { value: string } };
}

const DEFAULT_PORTS = [22, 80, 135, 139, 443, 445, 515, 631, 3389, 9100];

describeWhen(firstMissing(labMissing(), needCommand('fping'), needCommand('arp-scan')), 'discovery on the lab', () => {
  let hosts: ManifestHost[] = [];
  const home = tempDir();
  chmodSync(home, 0o777);

  beforeAll(() => {
    hosts = labUp({ HOSTS: '254', SILENT: '10', DEVICES: '20', LAYOUT: 'spread', SEED: '1', SNMP: '0' });
  });
  afterAll(() => {
    labDown();
  });

  interface Sweep {
    found: Map<string, Entry>;
    arpNote: string;
  }

  async function sweep(db: string, extra: string[] = [], env = cliEnv(home)): Promise<Sweep> {
    labGuard();
    flushNeighbours();
    const scan = await runCli(['--db', db, 'scan', '10.77.0.0/16', '--no-dns', '--json', ...extra], { cwd: home, env, timeoutMs: 180_000 });
    expect(scan.code, scan.stderr).toBe(0);
    const arpNote = JSON.parse(scan.stdout).discovery.methods.find((m: { method: string }) => m.method === 'arp').note as string;
    const out = await runCli(['--db', db, 'export', '--format', 'json'], { cwd: home, env });
    const entries = JSON.parse(out.stdout).assets as Entry[];
    return { found: new Map(entries.map((e) => [e.address, e])), arpNote };
  }

  it('finds every live address and nothing else, with MACs and makers (as root: ARP through arp-scan)', async () => {
    const { found, arpNote } = await sweep(join(home, 'root.db'));
    expect(arpNote).toMatch(/^arp-scan on .*itlab0/);
    checkEverything(found);
  });

  it('finds the same through the kernel\'s neighbour table, with the datagrams sent from a worker thread', async () => {
    // The thorough mode: a second pass over silent addresses, so that an ARP answer lost while the
    // machine is busy cannot fail the test (the default decides from the loss it measures).
    const { found, arpNote } = await sweep(join(home, 'kernel.db'), ['--no-arp-scan', '--second-pass', 'always']);
    expect(arpNote).toMatch(/^neighbour table of .*itlab0/);
    checkEverything(found);
  });

  function checkEverything(found: Map<string, Entry>): void {
    const live = hosts.filter((h) => h.arp || h.icmp || h.kind === 'scanner');
    const missed = live.filter((h) => !found.has(h.ip)).map((h) => h.ip);
    expect(missed, 'recall').toEqual([]);
    const known = new Set(hosts.map((h) => h.ip));
    expect([...found.keys()].filter((a) => !known.has(a)), 'precision').toEqual([]);

    for (const h of hosts.filter((x) => x.macDistinct)) {
      const e = found.get(h.ip)!;
      expect(e.macs, h.ip).toEqual([h.mac]);
      // The manifest names the maker where the MAC has one (the scanner's own 02:… has none).
      if (h.vendor === null) continue;
      const vendor = e.facts.macVendor?.value ?? '';
      // Same registry, spelled its own way ("Routerboard.com" for "Routerboard.com (MikroTik)").
      expect(vendor.toLowerCase(), `${h.ip} vendor`).toContain(h.vendor.split(/[ ,(]/)[0]!.toLowerCase());
    }
    const methods = (ip: string) => (found.get(ip)!.facts.liveness ?? []).map((l) => l.method);
    const firewalled = hosts.find((h) => h.role === 'windows-firewalled')!;
    expect(methods(firewalled.ip)).not.toContain('icmp');
    expect(methods(firewalled.ip).some((m) => m === 'tcp:445' || m === 'tcp:3389')).toBe(true);
    for (const silent of hosts.filter((h) => h.silent)) expect(methods(silent.ip), silent.ip).toEqual(['arp']);
    for (const h of hosts.filter((x) => x.kind === 'device')) {
      // Every listening port of the default list is found, and nothing reported open is closed
      // (the fingerprint probe adds ports such as 23 or 554 beyond the sweep's list).
      const ports = found.get(h.ip)!.openPorts;
      for (const p of h.tcpOpen.filter((x) => DEFAULT_PORTS.includes(x))) expect(ports, `${h.ip} port ${p}`).toContain(p);
      for (const p of ports) expect(h.tcpOpen, `${h.ip} reported ${p} open`).toContain(p);
      expect(methods(h.ip)).toContain('arp');
      if (h.icmp) expect(methods(h.ip)).toContain('icmp');
    }
  }

  it('works unprivileged, and without fping or ping says so and still finds hosts by ARP and TCP', async () => {
    // As `nobody`, with a PATH that has `ip` but no fping or ping.
    const bin = join(home, 'bin');
    mkdirSync(bin, { recursive: true });
    symlinkSync('/usr/sbin/ip', join(bin, 'ip'));
    const db = join(home, 'nobody.db');
    const env = { ...cliEnv(home), PATH: bin };
    labGuard();
    flushNeighbours();
    const scan = await runCliAsNobody(['--db', db, 'scan', '10.77.0.0/20', '--no-dns', '--json'], home, env);
    expect(scan.code, scan.stderr).toBe(0);
    const summary = JSON.parse(scan.stdout);
    const icmp = summary.discovery.methods.find((m: { method: string }) => m.method === 'icmp');
    expect(icmp).toMatchObject({ ran: false });
    expect(icmp.note).toContain('neither fping nor ping');
    const expected = hosts.filter((h) => (h.arp || h.kind === 'scanner') && inPrefix(h.ip, '10.77.0.0', 20));
    expect(summary.counts.alive).toBe(expected.length);
  });
});

function inPrefix(ip: string, net: string, bits: number): boolean {
  const n = (s: string) => s.split('.').reduce((a, o) => ((a << 8) | Number(o)) >>> 0, 0);
  const mask = (0xffffffff << (32 - bits)) >>> 0;
  return ((n(ip) & mask) >>> 0) === ((n(net) & mask) >>> 0);
}

function runCliAsNobody(args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  return runCli(args, { cwd, env, timeoutMs: 180_000, asNobody: true });
}
