#!/usr/bin/env node
// SNMP inventory benchmark (issue 4): the 46 real-device recordings of ../shared/fixtures/snmp served
// by one snmpsim (one device per loopback address, 127.0.1.1 ...), interrogated in the same run by
// netcensus (the built CLI: `netcensus scan RANGE`) and by FusionInventory's NetInventory task
// (`fusioninventory-netinventory`, Debian packages fusioninventory-agent and
// fusioninventory-agent-task-network), same community, same per-request timeout (5 s). Prints both
// tools' wall times and their ratio, and each tool's accuracy per field against the truth files,
// scored by test/snmp/truth-score.ts (vendor, model, serial, firmware, type; case-insensitive,
// containment either way, fields absent from the truth not scored). Goal: netcensus at least 10x
// faster and more accurate on every field.
//
//   node bench/snmp.mjs [--threads N] [--runs N] [--table]
//     --threads  FusionInventory worker threads (default 10, the GLPI plugin's default for network
//                inventory); netcensus runs with its defaults
//     --runs     timed runs of each tool, alternating; the median is reported (default 1)
//     --table    also print the per-device table of each tool
//
// Needs: root (snmpsim on udp/161: FusionInventory opens its per-VLAN `public@<vlan>` sessions
// without the port option, so on any other port those walks only time out), snmpsim and snmp
// (apt-get install -y snmpsim snmp), fusioninventory-netinventory (apt-get install -y
// fusioninventory-agent fusioninventory-agent-task-network), ../shared beside the project, and a
// build (npm run build). Skips with a message, exit 0, when one is missing; exit 1 when a goal is missed.
//
// Fairness notes. snmpsim is one Python process for all 46 devices: it bounds both tools, and its
// first access to a recording builds an index, so every address (and VLAN community) is read once
// before anything is timed. The Cisco switch is also served under `public@<vlan>` for the VLANs
// each tool asks for (../shared/lab/snmpsim-serve-vlan.sh; without it FusionInventory does not
// finish, and netcensus waits one timeout before keeping the default table). FusionInventory's TYPE is GLPI's coarse class (NETWORKING, PRINTER, POWER, STORAGE,
// COMPUTER): scored as such for "type", and a second "type (coarse)" row maps both tools to those
// classes so that its NETWORKING for a switch counts there.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(import.meta.dirname, '..');
const SHARED = resolve(ROOT, '../shared');
const DATA = join(SHARED, 'fixtures/snmp');
const BIN = join(ROOT, 'bin/netcensus');
const FIRST = '127.0.1.1';
const PORT = 161;
const COMMUNITY = 'public';
const TIMEOUT_S = 5;
/**
 * VLANs each tool reads the Cisco IOS switch's forwarding table in, served as `public@<vlan>`:
 * FusionInventory's from the ports' VLANs (../shared/lab/README-snmpsim.md), netcensus's from
 * CISCO-VTP-MIB vtpVlanState (1 and 99 in this recording). A real Catalyst answers both.
 */
const VLAN_CONTEXTS = { ios_2960x: [1, 99, 511, 512, 513, 517, 525, 526, 527, 703, 714, 719, 721, 722, 725, 732, 736, 737, 761, 776] };
/** GLPI's classes: what FusionInventory's TYPE can say. */
const COARSE = { switch: 'networking', router: 'networking', firewall: 'networking', ap: 'networking', bmc: 'networking', printer: 'printer', ups: 'power', pdu: 'power', nas: 'storage', server: 'computer', workstation: 'computer', phone: 'phone', camera: 'video' };
const FI_TYPE = { PRINTER: 'printer', POWER: 'ups', STORAGE: 'nas', COMPUTER: 'server', PHONE: 'phone', VIDEO: 'camera', NETWORKING: 'networking' };

function args() {
  const a = process.argv.slice(2);
  const value = (name, dflt) => {
    const i = a.indexOf(name);
    const n = i >= 0 ? Number(a[i + 1]) : dflt;
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} takes a positive integer`);
    return n;
  };
  return { threads: value('--threads', 10), runs: value('--runs', 1), table: a.includes('--table') };
}

function missingPrerequisite() {
  const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
  if (!existsSync(DATA)) return `${DATA} is not there (../shared beside the project)`;
  if (!existsSync(join(ROOT, 'dist/bundle/main.cjs'))) return 'no build: run npm run build';
  if (!has('snmpsimd') || !has('snmpgetnext')) return 'snmpsimd/snmpgetnext missing: apt-get install -y snmpsim snmp';
  if (!has('fusioninventory-netinventory')) return 'fusioninventory-netinventory missing: apt-get install -y fusioninventory-agent fusioninventory-agent-task-network';
  if (process.getuid?.() !== 0) return 'needs root: snmpsim must answer on udp/161 (FusionInventory per-VLAN sessions ignore --port)';
  return null;
}

/** test/snmp/truth-score.ts, transpiled on the fly, so the bench scores exactly as the conformance test. */
async function loadScoring(tmp) {
  const ts = (await import('typescript')).default;
  const source = readFileSync(join(ROOT, 'test/snmp/truth-score.ts'), 'utf8');
  const out = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  const file = join(tmp, 'truth-score.mjs');
  writeFileSync(file, out.outputText);
  return import(pathToFileURL(file).href);
}

function addressAt(first, i) {
  const p = first.split('.').map(Number);
  const n = ((p[0] << 24) >>> 0) + (p[1] << 16) + (p[2] << 8) + p[3] + i;
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function run(cmd, argv, options = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

async function timed(fn) {
  const started = process.hrtime.bigint();
  const result = await fn();
  return { ...result, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

async function startSnmpsim(names) {
  const specs = Object.entries(VLAN_CONTEXTS)
    .filter(([name]) => names.includes(name))
    .map(([name, vlans]) => `${addressAt(FIRST, names.indexOf(name))}=${vlans.join(',')}`);
  const r = await run('bash', [join(SHARED, 'lab/snmpsim-serve-vlan.sh'), DATA, FIRST, String(PORT), ...specs]);
  const pid = Number(r.stdout.trim());
  if (r.code !== 0 || !Number.isInteger(pid) || pid <= 0) throw new Error(`snmpsim-serve-vlan.sh failed (${r.code}): ${r.stderr.slice(-800)}`);
  return pid;
}

/** One read of every device (and VLAN community), so that snmpsim's per-file index exists before timing. */
async function warmUp(names) {
  const reads = names.flatMap((name, i) => {
    const address = addressAt(FIRST, i);
    return [COMMUNITY, ...(VLAN_CONTEXTS[name] ?? []).map((v) => `${COMMUNITY}@${v}`)].map((c) => ['-v2c', '-c', c, '-t', '30', '-r', '1', '-On', `${address}:${PORT}`, '1.3.6.1.2.1.1.1.0']);
  });
  for (let i = 0; i < reads.length; i += 8) await Promise.all(reads.slice(i, i + 8).map((a) => run('snmpgetnext', a)));
}

async function runNetcensus(home, names) {
  rmSync(join(home, 'inventory.db'), { force: true });
  const env = { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_DATA_HOME: join(home, '.local/share'), NO_COLOR: '1', NC_BENCH_COMMUNITY: COMMUNITY };
  const db = join(home, 'inventory.db');
  const last = addressAt(FIRST, names.length - 1);
  const scan = await timed(() =>
    run(process.execPath, [BIN, '--db', db, 'scan', `${FIRST}-${last}`, '--community', 'env:NC_BENCH_COMMUNITY', '--snmp-port', String(PORT), '--snmp-timeout', String(TIMEOUT_S * 1000), '--ports', String(PORT), '--no-dns', '--timeout', '500'], { cwd: home, env }),
  );
  if (scan.code !== 0) throw new Error(`netcensus scan exited ${scan.code}: ${scan.stderr.slice(-800)}`);
  const exported = await run(process.execPath, [BIN, '--db', db, 'export', '--format', 'json'], { cwd: home, env });
  if (exported.code !== 0) throw new Error(`netcensus export exited ${exported.code}: ${exported.stderr.slice(-800)}`);
  const found = new Map();
  for (const a of JSON.parse(exported.stdout).assets) {
    const i = names.findIndex((_, k) => addressAt(FIRST, k) === a.address);
    if (i >= 0) found.set(names[i], { vendor: a.vendor, model: a.model, serial: a.serial, firmware: a.firmware, os: a.os, type: a.type });
  }
  return { seconds: scan.seconds, found, note: scan.stderr.split('\n').find((l) => l.startsWith('snapshot ')) ?? scan.stderr.trim().split('\n').at(-1) };
}

async function runFusionInventory(tmp, names, threads) {
  const hosts = names.map((_, i) => addressAt(FIRST, i));
  // Its threads print each device's XML to one shared STDOUT: unbuffered (PERLIO=:unix) into a
  // regular file, each document is one write() and they no longer interleave as they do in a pipe.
  const file = join(tmp, 'fusioninventory.xml');
  const fd = openSync(file, 'w');
  let r;
  try {
    r = await timed(
      () =>
        new Promise((resolvePromise, reject) => {
          const child = spawn('fusioninventory-netinventory', ['--host', hosts.join(','), '--community', COMMUNITY, '--timeout', String(TIMEOUT_S), '--threads', String(threads)], {
            stdio: ['ignore', fd, 'ignore'],
            env: { ...process.env, PERLIO: ':unix' },
          });
          child.on('error', reject);
          child.on('close', (code) => resolvePromise({ code }));
        }),
    );
  } finally {
    closeSync(fd);
  }
  const { XMLParser } = await import('fast-xml-parser');
  const parser = new XMLParser({ parseTagValue: false, isArray: (name) => name === 'FIRMWARES' });
  const found = new Map();
  let unreadable = 0;
  for (const doc of readFileSync(file, 'utf8').split('<?xml').slice(1)) {
    let device;
    try {
      device = parser.parse('<?xml' + doc)?.REQUEST?.CONTENT?.DEVICE;
    } catch {
      unreadable++;
      continue;
    }
    const info = device?.INFO;
    if (!info || info.ID === undefined) continue;
    const name = names[Number(info.ID)];
    const text = (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
    const firmware = text(info.FIRMWARE) ?? text((device.FIRMWARES ?? [])[0]?.VERSION);
    found.set(name, { vendor: text(info.MANUFACTURER), model: text(info.MODEL), serial: text(info.SERIAL), firmware, os: null, type: FI_TYPE[text(info.TYPE) ?? ''] ?? text(info.TYPE) });
  }
  return { seconds: r.seconds, found, note: `exit ${r.code}, ${found.size} devices in the output${unreadable ? `, ${unreadable} unreadable documents` : ''}` };
}

function coarseScore(truths, found) {
  let ok = 0;
  let total = 0;
  for (const t of truths) {
    if (!t.type) continue;
    total++;
    const got = found.get(t.name)?.type;
    if (got && (COARSE[got] ?? got) === COARSE[t.type]) ok++;
  }
  return { ok, total, pct: total === 0 ? 100 : (100 * ok) / total };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const opts = args();
  const missing = missingPrerequisite();
  if (missing) {
    console.log(`snmp    skipped: ${missing}`);
    return 0;
  }
  const tmp = mkdtempSync(join(tmpdir(), 'netcensus-bench-snmp-'));
  const { readTruths, score, renderScore, FIELDS } = await loadScoring(tmp);
  const truths = readTruths(DATA);
  // Served in the order of snmpsim-serve.sh: file names sorted bytewise.
  const names = readdirSync(DATA)
    .filter((f) => f.endsWith('.snmprec'))
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
    .map((f) => f.replace(/\.snmprec$/, ''));
  let pid = 0;
  try {
    pid = await startSnmpsim(names);
    await warmUp(names);
    const nc = [];
    const fi = [];
    for (let i = 0; i < opts.runs; i++) {
      nc.push(await runNetcensus(tmp, names));
      fi.push(await runFusionInventory(tmp, names, opts.threads));
    }
    const ncTime = median(nc.map((r) => r.seconds));
    const fiTime = median(fi.map((r) => r.seconds));
    const ncScore = score(truths, nc.at(-1).found);
    const fiScore = score(truths, fi.at(-1).found);
    const ncCoarse = coarseScore(truths, nc.at(-1).found);
    const fiCoarse = coarseScore(truths, fi.at(-1).found);
    if (opts.table) {
      console.log(`\nnetcensus (${nc.at(-1).note})\n${renderScore(ncScore, truths)}`);
      console.log(`\nfusioninventory-netinventory (${fi.at(-1).note})\n${renderScore(fiScore, truths)}`);
    }
    const ratio = fiTime / ncTime;
    const pct = (s) => `${s.ok}/${s.total} ${s.pct.toFixed(1).padStart(5)}%`;
    const rows = [
      ['wall time', `${ncTime.toFixed(1)} s`, `${fiTime.toFixed(1)} s`, `${ratio.toFixed(1)}x faster`],
      ...FIELDS.map((f) => [f, pct(ncScore.perField[f]), pct(fiScore.perField[f]), ncScore.perField[f].pct > fiScore.perField[f].pct ? 'netcensus' : ncScore.perField[f].pct === fiScore.perField[f].pct ? 'tie' : 'FusionInventory']),
      ['type (coarse)', pct(ncCoarse), pct(fiCoarse), ncCoarse.pct > fiCoarse.pct ? 'netcensus' : ncCoarse.pct === fiCoarse.pct ? 'tie' : 'FusionInventory'],
    ];
    const w = [14, 18, 22, 16];
    console.log(`\nSNMP inventory of ${names.length} recordings (snmpsim on ${FIRST}.., udp/${PORT}, timeout ${TIMEOUT_S} s; FusionInventory --threads ${opts.threads}; median of ${opts.runs} run(s))`);
    console.log(['', 'netcensus', 'FusionInventory 2.6', 'better'].map((c, i) => c.padEnd(w[i])).join(' '));
    for (const r of rows) console.log(r.map((c, i) => String(c).padEnd(w[i])).join(' '));
    const fasterOk = ratio >= 10;
    const accurateOk = FIELDS.every((f) => ncScore.perField[f].pct > fiScore.perField[f].pct || (ncScore.perField[f].pct === 100 && fiScore.perField[f].pct === 100));
    console.log(`goal >= 10x faster: ${fasterOk ? 'met' : 'NOT met'}; more accurate on every field: ${accurateOk ? 'met' : 'NOT met'}`);
    return fasterOk && accurateOk ? 0 : 1;
  } finally {
    if (pid > 0) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    rmSync(tmp, { recursive: true, force: true });
  }
}

process.exitCode = await main();
