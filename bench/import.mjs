#!/usr/bin/env node
// Import benchmark: generates 10,000 documents (bench/import-generate.mjs), imports them with the
// built CLI into a fresh database and reports documents per second (target > 500/s), the CPU time
// it took (all threads: less sensitive than the rate to what else the machine runs) and the
// process's resident memory, sampled from /proc while it runs, with the V8 heap capped (HEAP_CAP_MB)
// so that memory growing with the number of documents would fail the run. Then imports the folder
// again (idempotent: all skipped). The load average is printed beside: on a busy machine the rate
// says more about the neighbours than about the import. Run `npm run build` first.
//   node bench/import.mjs [N]
//   NETCENSUS_IMPORT_WORKERS=N node bench/import.mjs    (worker threads; default one per core)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateDocuments } from './import-generate.mjs';

const BIN = resolve(import.meta.dirname, '../bin/netcensus');
const HEAP_CAP_MB = 96;

function rssKb(pid) {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
  } catch {
    return 0;
  }
}

/** User + system CPU seconds of a live process, all its threads (/proc/PID/stat, in clock ticks of 1/100 s). */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

const load = () => loadavg()[0].toFixed(1);

function importFolder(db, dir) {
  return new Promise((ok, fail) => {
    const started = process.hrtime.bigint();
    // The V8 heap is capped: were memory to grow with the number of documents, 10,000 of them
    // would die here. RSS alone overstates use (V8 collects lazily while memory is plentiful).
    const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_CAP_MB}`, BIN, '--db', db, 'import', dir, '--json', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const samples = [];
    let cpu = 0;
    const timer = setInterval(() => {
      samples.push(rssKb(child.pid));
      cpu = Math.max(cpu, cpuSeconds(child.pid));
    }, 100);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', fail);
    child.on('close', (code) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) return fail(new Error(`import exited ${code}: ${err}`));
      const live = samples.filter((s) => s > 0);
      ok({ seconds, cpu, summary: JSON.parse(out), peakMb: Math.max(...live) / 1024, samplesMb: live.map((s) => s / 1024) });
    });
  });
}

export async function benchImport(n = 10_000) {
  const root = mkdtempSync(join(tmpdir(), 'netcensus-bench-import-'));
  try {
    const results = {};
    for (const size of [Math.max(1, Math.round(n / 10)), n]) {
      const dir = join(root, `docs-${size}`);
      const gen = generateDocuments(dir, size);
      const db = join(root, `inventory-${size}.db`);
      const loadBefore = load();
      const r = await importFolder(db, dir);
      const quarter = Math.max(1, Math.floor(r.samplesMb.length / 4));
      const early = Math.max(...r.samplesMb.slice(0, quarter));
      const late = Math.max(...r.samplesMb.slice(-quarter));
      results[size] = { documents: size, megabytes: gen.bytes / 1e6, seconds: r.seconds, cpuSeconds: r.cpu, perSecond: size / r.seconds, peakMb: r.peakMb, earlyMb: early, lateMb: late, imported: r.summary.imported, load: `${loadBefore} -> ${load()}` };
      if (size === n) {
        const again = await importFolder(db, dir);
        results.reimport = { seconds: again.seconds, perSecond: size / again.seconds, unchanged: again.summary.unchanged, snapshot: again.summary.snapshotId };
      }
    }
    return results;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = Number(process.argv[2]);
  const n = Number.isInteger(arg) && arg > 0 ? arg : 10_000;
  const r = await benchImport(n);
  const small = r[Math.max(1, Math.round(n / 10))];
  const big = r[n];
  const line = (x) =>
    `${x.documents} documents (${x.megabytes.toFixed(0)} MB): ${x.seconds.toFixed(1)} s, ${x.perSecond.toFixed(0)} docs/s, CPU ${x.cpuSeconds.toFixed(1)} s, ` +
    `peak RSS ${x.peakMb.toFixed(0)} MB (first quarter ${x.earlyMb.toFixed(0)} MB, last quarter ${x.lateMb.toFixed(0)} MB), load ${x.load}`;
  console.log(`import  ${line(small)}`);
  console.log(`import  ${line(big)}  ${big.perSecond > 500 ? 'OK (> 500/s)' : 'SLOW (target > 500/s)'}`);
  console.log(`import  V8 heap capped at ${HEAP_CAP_MB} MB for both runs (flat memory: 10x the documents in the same heap)`);
  console.log(`import  again (idempotent): ${r.reimport.seconds.toFixed(1)} s, ${r.reimport.unchanged} already imported, snapshot ${r.reimport.snapshot ?? 'none'}`);
}
