#!/usr/bin/env node
// Export, report and diff on a synthetic inventory of 100,000 assets over 12 monthly snapshots
// (bench/generate-synthetic-db.mjs), each run as the real CLI in its own process. Prints the
// wall time, CPU time and peak RSS of each against the goals of issue 6:
//   CSV < 3 s, XLSX < 20 s, diff (first to last snapshot) < 2 s, peak RSS < 400 MB.
//
//   npm run build && npm run bench:export [-- --assets N --snapshots M --check --only "export csv,diff"]
//
// The database is generated once (a few minutes) and kept in $NETCENSUS_BENCH_DIR (default
// $TMPDIR/netcensus-bench), named by its parameters, so later runs start at once. --check exits 1
// when a goal is missed. Wall times on a busy machine (other builds, tests) mean little: the CPU
// time column is the steadier figure. Before each case the database file is read through once, so
// that every case finds it in the OS page cache alike.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateSyntheticDb } from './generate-synthetic-db.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const assets = opt('assets', 100_000);
const snapshots = opt('snapshots', 12);
const check = args.includes('--check');
/** --only "export csv,diff": run just the cases whose names start so. */
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : [];
const GENERATOR_VERSION = 1;

const dir = process.env.NETCENSUS_BENCH_DIR || join(tmpdir(), 'netcensus-bench');
mkdirSync(dir, { recursive: true });
const db = join(dir, `synthetic-v${GENERATOR_VERSION}-${assets}-${snapshots}.db`);
if (!existsSync(db)) {
  process.stderr.write(`generating ${db} (${assets} assets, ${snapshots} snapshots; once, a few minutes)\n`);
  const t0 = Date.now();
  await generateSyntheticDb({ path: `${db}.partial`, assets, snapshots, log: (l) => process.stderr.write(`  ${l}\n`) });
  const { renameSync } = await import('node:fs');
  renameSync(`${db}.partial`, db);
  for (const s of ['-wal', '-shm']) rmSync(`${db}.partial${s}`, { force: true });
  process.stderr.write(`generated in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
}

const out = join(dir, 'out');
mkdirSync(out, { recursive: true });
const child = resolve(import.meta.dirname, 'measure-child.mjs');

function run(name, cliArgs, env = {}) {
  return new Promise((resolvePromise, reject) => {
    const argv = [child, '--db', db, ...cliArgs];
    const p = spawn(process.execPath, argv, { stdio: ['ignore', 'ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stderr = '';
    let report = '';
    p.stderr.on('data', (d) => (stderr += d));
    p.stdio[3].on('data', (d) => (report += d));
    p.on('error', reject);
    p.on('close', (code) => {
      if (code !== 0 || !report) return reject(new Error(`${name} failed (exit ${code}): ${stderr}`));
      resolvePromise({ name, ...JSON.parse(report) });
    });
  });
}

// Apply any pending migration once, outside the measurements.
await run('warm-up', ['snapshots', '--json']);

/**
 * Reads the database file (and its WAL) through once, so that every case starts with it in the OS
 * page cache. Before, only the first case paid for a cold file (1.4 GB at 100,000 assets) when the
 * cache had lost it, and a case's time depended on its place in the list.
 */
function warmFileCache() {
  const buffer = Buffer.allocUnsafe(1 << 20);
  for (const path of [db, `${db}-wal`]) {
    if (!existsSync(path)) continue;
    const fd = openSync(path, 'r');
    try {
      while (readSync(fd, buffer, 0, buffer.length, null) > 0);
    } finally {
      closeSync(fd);
    }
  }
}

const cases = [
  { name: 'export csv', args: ['export', '--format', 'csv', '--out', join(out, 'assets.csv')], goalS: 3, file: join(out, 'assets.csv') },
  { name: 'export xlsx', args: ['export', '--format', 'xlsx', '--since', '1', '--out', join(out, 'audit.xlsx')], goalS: 20, file: join(out, 'audit.xlsx') },
  { name: 'export json', args: ['export', '--format', 'json', '--out', join(out, 'inventory.json')], goalS: null, file: join(out, 'inventory.json') },
  { name: 'report html', args: ['report', '--since', '1', '--out', join(out, 'report.html')], goalS: null, file: join(out, 'report.html') },
  { name: `diff 1 ${snapshots}`, args: ['diff', '1', String(snapshots), '--json'], goalS: 2, file: null },
  // The same diff without its worker thread (src/cli/diff-pool.ts): what the second core gives.
  { name: 'one-thread diff', args: ['diff', '1', String(snapshots), '--json'], env: { NETCENSUS_DIFF_THREADS_FROM: 'Infinity' }, goalS: null, file: null },
];
const RSS_GOAL_MB = 400;

const results = [];
for (const c of cases) {
  if (only.length > 0 && !only.some((o) => c.name.startsWith(o))) continue;
  warmFileCache();
  const r = await run(c.name, c.args, c.env ?? {});
  const size = c.file && existsSync(c.file) ? statSync(c.file).size : null;
  const ok = (c.goalS === null || r.wallMs / 1000 < c.goalS) && r.maxRssMB < RSS_GOAL_MB;
  results.push({ ...r, goalS: c.goalS, size, ok });
}

const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
console.log(`netcensus export benchmark: ${assets} assets, ${snapshots} snapshots (${db})`);
console.log('each case starts with the database file read through once (in the OS page cache), as the others');
console.log(`${pad('case', 16)}${lpad('wall s', 9)}${lpad('cpu s', 9)}${lpad('peak MB', 9)}${lpad('output MB', 11)}  goal`);
for (const r of results) {
  const goal = `${r.goalS !== null ? `< ${r.goalS} s, ` : ''}< ${RSS_GOAL_MB} MB`;
  console.log(
    `${pad(r.name, 16)}${lpad((r.wallMs / 1000).toFixed(2), 9)}${lpad((r.cpuMs / 1000).toFixed(2), 9)}${lpad(r.maxRssMB.toFixed(0), 9)}${lpad(r.size === null ? '-' : (r.size / 1e6).toFixed(1), 11)}  ${goal} ${r.ok ? 'ok' : 'MISSED'}`,
  );
}
if (check && results.some((r) => !r.ok)) process.exitCode = 1;
