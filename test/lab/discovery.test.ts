// Discovery against the network lab: the real CLI sweeps the lab /16 and is scored against the
// truth manifest: every live address found (recall), nothing else (precision), each host with its
// own MAC got it and its maker, the ICMP-blocked and the silent hosts found by what they do answer.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cliEnv, runCli, startCli, tempDir } from '../helpers/cli.js';
import { flushNeighbours, labDown, labGuard, labMissing, labUp, type ManifestHost } from '../helpers/lab.js';
import { describeWhen, firstMissing, needCommand } from '../helpers/prereqs.js';
import { countRows, waitFor } from '../unattended/support.js';

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

  /**
   * A small sweep (up to 256 addresses) pings every local address from the start, and fping's echo
   * requests are what make the kernel ARP. The targets: every device, silent and firewalled host,
   * bulk hosts to fill, and addresses where nothing lives.
   */
  function smallTargets(): { file: string; live: ManifestHost[]; dead: string[] } {
    const known = new Set(hosts.map((h) => h.ip));
    const special = hosts.filter((h) => h.kind === 'device' || h.silent || h.role === 'windows-firewalled');
    const bulk = hosts.filter((h) => h.kind === 'bulk' && !special.includes(h)).slice(0, 200 - special.length);
    const dead: string[] = [];
    for (let i = 1; dead.length < 40 && i < 255; i++) if (!known.has(`10.77.254.${i}`)) dead.push(`10.77.254.${i}`);
    const live = [...special, ...bulk];
    const file = join(home, 'small-targets.txt');
    // Where nothing lives first: fping probes in this order, so the live hosts come last.
    writeFileSync(file, [...dead, ...live.map((h) => h.ip)].join('\n') + '\n');
    chmodSync(file, 0o644);
    return { file, live, dead };
  }

  async function sweepSmall(db: string, extra: string[], asNobody = false, env = cliEnv(home)): Promise<{ summary: { discovery: { warnings: string[]; methods: { method: string; note: string }[] }; counts: { alive: number } }; found: Map<string, Entry> }> {
    const { file } = smallTargets();
    labGuard();
    flushNeighbours();
    const scan = await runCli(['--db', db, 'scan', `@${file}`, '--no-dns', '--json', ...extra], { cwd: home, env, timeoutMs: 180_000, asNobody });
    expect(scan.code, scan.stderr).toBe(0);
    const out = await runCli(['--db', db, 'export', '--format', 'json'], { cwd: home, env: cliEnv(home) });
    const entries = JSON.parse(out.stdout).assets as Entry[];
    return { summary: JSON.parse(scan.stdout), found: new Map(entries.map((e) => [e.address, e])) };
  }

  it('a small range: pinged from the start, every live host found with its MAC, ports and how it answered', async () => {
    const { live, dead } = smallTargets();
    const { summary, found } = await sweepSmall(join(home, 'small.db'), []);
    expect(summary.discovery.warnings).toEqual([]);
    expect(summary.discovery.methods.find((m) => m.method === 'icmp')!.note).toContain('every local address from the start');
    expect(live.filter((h) => !found.has(h.ip)).map((h) => h.ip), 'recall').toEqual([]);
    expect(dead.filter((a) => found.has(a)), 'precision').toEqual([]);
    const methods = (ip: string) => (found.get(ip)!.facts.liveness ?? []).map((l) => l.method);
    for (const h of live) {
      if (h.macDistinct && h.kind !== 'scanner') expect(found.get(h.ip)!.macs, h.ip).toEqual([h.mac]);
      if (h.silent) expect(methods(h.ip), h.ip).toEqual(['arp']);
      else if (h.icmp && h.kind !== 'scanner') expect(methods(h.ip), h.ip).toContain('icmp');
      if (h.kind === 'device') {
        for (const p of h.tcpOpen.filter((x) => DEFAULT_PORTS.includes(x))) expect(found.get(h.ip)!.openPorts, `${h.ip} port ${p}`).toContain(p);
      }
    }
    const firewalled = hosts.find((h) => h.role === 'windows-firewalled')!;
    expect(methods(firewalled.ip)).not.toContain('icmp');
    expect(methods(firewalled.ip).some((m) => m === 'tcp:445' || m === 'tcp:3389')).toBe(true);
  });

  it('--discover-only: the same hosts and MACs, without connecting to hosts that ARP or ICMP found', async () => {
    const { live } = smallTargets();
    const { summary, found } = await sweepSmall(join(home, 'only.db'), ['--discover-only']);
    expect(summary.counts.alive).toBe(live.length);
    expect(summary.discovery.methods.find((m) => m.method === 'tcp')!.note).toContain('discovery only');
    for (const h of live) {
      const e = found.get(h.ip)!;
      expect(e, h.ip).toBeDefined();
      if (h.macDistinct && h.kind !== 'scanner') expect(e.macs, h.ip).toEqual([h.mac]);
      // Every target is on the lab's segment: no port was surveyed, nothing fingerprinted.
      expect(e.openPorts, h.ip).toEqual([]);
      expect((e.facts.liveness ?? []).some((l) => l.method.startsWith('tcp:')), h.ip).toBe(false);
    }
    const silent = live.filter((h) => h.silent);
    for (const h of silent) expect((found.get(h.ip)!.facts.liveness ?? []).map((l) => l.method), h.ip).toEqual(['arp']);
  });

  it('at a low --rate, an address that fping reaches seconds in is not declared silent before', async () => {
    // 240 addresses at 50 a second: fping reaches the last live ones nearly 5 s in, past the 3.5 s
    // that an address is given to answer ARP from the moment it is probed. No second pass, which
    // would find a host declared silent too early.
    const { live } = smallTargets();
    const { found } = await sweepSmall(join(home, 'slow.db'), ['--discover-only', '--rate', '50', '--second-pass', 'never']);
    expect(live.filter((h) => !found.has(h.ip)).map((h) => h.ip), 'recall').toEqual([]);
  });

  it('a small range where fping cannot open its socket: says so, and the kernel\'s neighbour table still finds every host', async () => {
    // A copy of fping has lost the capability that lets it open a raw socket unprivileged: run as
    // nobody it fails at once, as it does on a machine where fping was installed without it.
    const bin = join(home, 'bin-nocap');
    mkdirSync(bin, { recursive: true });
    symlinkSync('/usr/sbin/ip', join(bin, 'ip'));
    copyFileSync(which('fping'), join(bin, 'fping'));
    chmodSync(join(bin, 'fping'), 0o755);
    const { live } = smallTargets();
    // Where unprivileged ICMP sockets are allowed to nobody's group, fping needs no capability:
    // close them for the length of the sweep.
    const rangeFile = '/proc/sys/net/ipv4/ping_group_range';
    const range = readFileSync(rangeFile, 'utf8').trim().split(/\s+/).map(Number);
    const allowed = range[0]! <= 65534 && 65534 <= range[1]!;
    if (allowed) writeFileSync(rangeFile, '1 0');
    let result: Awaited<ReturnType<typeof sweepSmall>>;
    try {
      result = await sweepSmall(join(home, 'nocap.db'), [], true, { ...cliEnv(home), PATH: bin });
    } finally {
      if (allowed) writeFileSync(rangeFile, range.join(' '));
    }
    const { summary, found } = result;
    expect(summary.discovery.warnings.join('\n')).toMatch(/fping failed \(.*socket/);
    const reachable = live.filter((h) => h.arp || h.kind === 'scanner');
    expect(reachable.filter((h) => !found.has(h.ip)).map((h) => h.ip), 'recall').toEqual([]);
    for (const h of reachable) if (h.macDistinct && h.kind !== 'scanner') expect(found.get(h.ip)!.macs, h.ip).toEqual([h.mac]);
  });

  it('a small range is pinged only once the scan holds the lock: with another scan running, nothing is sent', async () => {
    const db = join(home, 'locked.db');
    const { dead } = smallTargets();
    const targets = hosts.filter((h) => h.kind === 'bulk' && h.icmp && h.arp).slice(0, 20).map((h) => h.ip);
    labGuard();
    flushNeighbours();
    // The holder: a slow sweep of addresses where nothing lives, so it runs for seconds.
    const holder = startCli(['--db', db, 'scan', ...dead.slice(0, 10), '--no-dns', '--discover-only', '--rate', '2', '--second-pass', 'never'], { cwd: home, env: cliEnv(home) });
    const exited = new Promise<void>((resolve) => holder.on('close', () => resolve()));
    try {
      const running = (): boolean => {
        try {
          return countRows(db, "SELECT count(*) AS n FROM snapshots WHERE status = 'running'") > 0;
        } catch {
          return false; // not created yet
        }
      };
      await waitFor(running, 20_000, "the holder's snapshot");
      const second = await runCli(['--db', db, 'scan', ...targets, '--no-dns', '--discover-only'], { cwd: home, env: cliEnv(home) });
      expect(second.code, second.stderr).toBe(4);
      // Any probe of these addresses (fping's echo request, a datagram) leaves a neighbour entry
      // that is resolving or resolved; one learnt from a host's own ARP request would be STALE.
      const table = JSON.parse(spawnSync('ip', ['-j', 'neigh', 'show', 'dev', 'itlab0'], { encoding: 'utf8' }).stdout || '[]') as { dst: string; state?: string[] }[];
      const probed = table.filter((e) => targets.includes(e.dst) && !(e.state ?? []).every((st) => st === 'STALE'));
      expect(probed.map((e) => `${e.dst} ${(e.state ?? []).join(',')}`)).toEqual([]);
    } finally {
      holder.kill('SIGTERM');
      await exited;
    }
  });

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

function which(command: string): string {
  return execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim();
}

function inPrefix(ip: string, net: string, bits: number): boolean {
  const n = (s: string) => s.split('.').reduce((a, o) => ((a << 8) | Number(o)) >>> 0, 0);
  const mask = (0xffffffff << (32 - bits)) >>> 0;
  return ((n(ip) & mask) >>> 0) === ((n(net) & mask) >>> 0);
}

function runCliAsNobody(args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  return runCli(args, { cwd, env, timeoutMs: 180_000, asNobody: true });
}
