#!/usr/bin/env node
// Discovery benchmark on the network lab (../shared/lab), as root: brings the lab up for each
// scenario, sweeps it with netcensus (as root and as nobody) and with the peers in the same run
// (nmap -sn, nmap -sn --min-rate 5000, fping, arp-scan), and scores each against the manifest.
// Every sweep is preceded by lab-guard.sh and a neighbour-table flush. The lab is taken down at
// the end, even on failure. Medians of ROUNDS24 / ROUNDS16 runs (defaults 3 / 3).
//   SCENARIOS="s24 s16_4000"  (also s16_1000)   node bench/discover.mjs
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, chmodSync } from 'node:fs';
import { tmpdir, cpus, totalmem, release } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const LAB = process.env.NETCENSUS_LAB ?? resolve(ROOT, '../shared/lab');
const BIN = join(ROOT, 'bin/netcensus');
const MANIFEST = '/tmp/itlab/manifest.json';

if (process.getuid?.() !== 0 || !existsSync(join(LAB, 'lab-up.sh'))) {
  console.log('bench:discover skipped: needs root and ../shared/lab');
  process.exit(0);
}
const have = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const SCENARIOS = {
  s24: { env: { HOSTS: '254', LAYOUT: 'dense', SILENT: '0', DEVICES: '20' }, target: '10.77.1.0/24', rounds: Number(process.env.ROUNDS24 ?? 3) },
  s16_1000: { env: { HOSTS: '1000', LAYOUT: 'spread', SILENT: '10', DEVICES: '20' }, target: '10.77.0.0/16', rounds: Number(process.env.ROUNDS16 ?? 3) },
  s16_4000: { env: { HOSTS: '4000', LAYOUT: 'spread', SILENT: '10', DEVICES: '20' }, target: '10.77.0.0/16', rounds: Number(process.env.ROUNDS16 ?? 3) },
};
const chosen = (process.env.SCENARIOS ?? 's24 s16_4000').split(/\s+/).filter(Boolean);
const work = mkdtempSync(join(tmpdir(), 'netcensus-bench-discover-'));
chmodSync(work, 0o777);
const NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--'];

function tools(target, small) {
  // Discovery only, as the peers do it (nmap -sn: no port scan; -n: no reverse DNS). The second pair
  // of rows is the sweep that also connects to the port list of every live host (`--no-fingerprint`,
  // the discovery stage of a default scan), for comparison.
  // bin/netcensus run as a program, as the README's set-up line runs it (its first line is sh).
  const nc = (extra = []) => (db) => [BIN, '--db', db, 'scan', target, '--no-dns', '--json', ...extra];
  const only = nc(['--discover-only']);
  const survey = nc(['--no-fingerprint']);
  const list = [
    { name: 'netcensus --discover-only', kind: 'netcensus', argv: only },
    { name: 'netcensus --discover-only (nobody)', kind: 'netcensus', argv: (db) => [...NOBODY, ...only(db)] },
    { name: 'netcensus, port survey', kind: 'netcensus', argv: survey },
    { name: 'netcensus, port survey (nobody)', kind: 'netcensus', argv: (db) => [...NOBODY, ...survey(db)] },
    { name: 'nmap -sn -n --min-rate 5000', kind: 'nmap', argv: () => ['nmap', '-sn', '-n', '--min-rate', '5000', '-oX', '-', target] },
  ];
  // Where NODE_EXTRA_CA_CERTS is set (this VM sets it), Node 20 spends 60–90 ms loading
  // certificates before its first line runs; the launcher starts Node without it. On the /24, where
  // that is a third of fping's time, the same sweep through `node bin/netcensus` shows what it costs.
  if (small && process.env.NODE_EXTRA_CA_CERTS) {
    list.splice(1, 0, { name: 'netcensus --discover-only, as node bin/netcensus (reads NODE_EXTRA_CA_CERTS)', kind: 'netcensus', argv: (db) => [process.execPath, ...only(db)] });
  }
  if (small) {
    list.push({ name: 'nmap -sn -n', kind: 'nmap', argv: () => ['nmap', '-sn', '-n', '-oX', '-', target] });
    list.push({ name: 'nmap -sn -n (nobody)', kind: 'nmap', argv: () => [...NOBODY, 'nmap', '-sn', '-n', '-oX', '-', target] });
    if (have('fping')) list.push({ name: 'fping -i 1 -r 1 -t 300', kind: 'fping', argv: () => ['fping', '-a', '-q', '-g', target, '-i', '1', '-r', '1', '-t', '300'] });
  }
  if (have('arp-scan')) list.push({ name: 'arp-scan -B 10M', kind: 'arp-scan', argv: () => ['arp-scan', '-q', '-x', '-I', 'itlab0', '-B', '10M', target] });
  return list.filter((t) => t.argv('x')[0] !== 'nmap' || have('nmap'));
}


function run(argv) {
  execFileSync('bash', [join(LAB, 'lab-guard.sh')], { stdio: 'ignore' }); // throws unless the /16 routes to itlab0
  spawnSync('ip', ['neigh', 'flush', 'dev', 'itlab0'], { stdio: 'ignore' });
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', ...argv], { encoding: 'utf8', maxBuffer: 512 << 20, cwd: work });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [wall, user, sys, rss] = last.split(' ').map(Number);
  return { stdout: r.stdout, wall, cpu: user + sys, rssMb: rss / 1024, ok: r.status === 0 };
}

function found(tool, out, db) {
  if (tool.kind === 'netcensus') {
    const r = spawnSync(process.execPath, [BIN, '--db', db, 'export', '--format', 'json'], { encoding: 'utf8', maxBuffer: 512 << 20 });
    const assets = JSON.parse(r.stdout).assets;
    return { ips: assets.map((a) => a.address), macs: new Map(assets.flatMap((a) => (a.macs[0] ? [[a.address, a.macs[0]]] : []))) };
  }
  if (tool.kind === 'nmap') {
    const ips = [];
    const macs = new Map();
    for (const host of out.split('<host').slice(1)) {
      if (!/state="up"/.test(host)) continue;
      const ip = /addr="([\d.]+)" addrtype="ipv4"/.exec(host)?.[1];
      const mac = /addr="([0-9A-F:]+)" addrtype="mac"/i.exec(host)?.[1];
      if (ip) ips.push(ip);
      if (ip && mac) macs.set(ip, mac.toLowerCase());
    }
    return { ips, macs };
  }
  const ips = out.split('\n').map((l) => /^(\d+\.\d+\.\d+\.\d+)\s/.exec(l + ' ')?.[1]).filter(Boolean);
  const macs = new Map();
  if (tool.kind === 'arp-scan') for (const l of out.split('\n')) { const m = /^([\d.]+)\s+([0-9a-f:]{17})/.exec(l); if (m) macs.set(m[1], m[2]); }
  return { ips, macs };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
try {
  for (const name of chosen) {
    const sc = SCENARIOS[name];
    execFileSync('bash', [join(LAB, 'lab-up.sh')], { env: { ...process.env, ...sc.env }, stdio: 'ignore' });
    const hosts = JSON.parse(readFileSync(MANIFEST, 'utf8')).hosts;
    const inTarget = (ip) => sc.target.endsWith('/16') || ip.startsWith(sc.target.slice(0, sc.target.lastIndexOf('.') + 1));
    const live = new Set(hosts.filter((h) => (h.arp || h.icmp || h.kind === 'scanner') && inTarget(h.ip)).map((h) => h.ip));
    const distinct = hosts.filter((h) => h.macDistinct && h.kind !== 'scanner' && inTarget(h.ip));
    for (const tool of tools(sc.target, sc.target.endsWith('/24'))) {
      const runs = [];
      for (let i = 0; i < sc.rounds; i++) {
        const db = join(work, `${name}-${runs.length}-${Math.random().toString(36).slice(2)}.db`);
        const r = run(tool.argv(db));
        const f = found(tool, r.stdout, db);
        const hit = f.ips.filter((ip) => live.has(ip)).length;
        const extra = f.ips.filter((ip) => !live.has(ip)).length;
        const macs = distinct.filter((h) => f.macs.get(h.ip) === h.mac).length;
        runs.push({ ...r, hit, extra, macs });
      }
      rows.push({
        scenario: name, target: sc.target, tool: tool.name, runs: runs.length,
        wall: median(runs.map((r) => r.wall)), cpu: median(runs.map((r) => r.cpu)), rss: median(runs.map((r) => r.rssMb)),
        found: `${Math.min(...runs.map((r) => r.hit))}–${Math.max(...runs.map((r) => r.hit))} / ${live.size}`,
        extra: Math.max(...runs.map((r) => r.extra)), macs: `${median(runs.map((r) => r.macs))} / ${distinct.length}`,
      });
      const last = rows[rows.length - 1];
      process.stderr.write(`${name} ${tool.name}: ${last.wall.toFixed(2)} s, found ${last.found}\n`);
    }
  }
} finally {
  spawnSync('bash', [join(LAB, 'lab-down.sh')], { stdio: 'ignore' });
}

console.log(`\nDiscovery on the lab: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, kernel ${release()}, ${new Date().toISOString().slice(0, 10)}, load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}\n`);
console.log('| scenario | tool | runs | wall s (median) | vs nmap --min-rate 5000 | vs fping | CPU s | peak RSS MB | live found | not live | own MACs |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const ratio = (name) => {
    const peer = rows.find((x) => x.scenario === r.scenario && x.tool.startsWith(name));
    return peer ? (r.wall / peer.wall).toFixed(2) : '';
  };
  console.log(`| ${r.scenario} ${r.target} | ${r.tool} | ${r.runs} | ${r.wall.toFixed(2)} | ${ratio('nmap -sn -n --min-rate 5000')} | ${ratio('fping')} | ${r.cpu.toFixed(2)} | ${r.rss.toFixed(0)} | ${r.found} | ${r.extra} | ${r.macs} |`);
}
