#!/usr/bin/env node
// `netcensus local` benchmark: the probe of this machine, stored and written as a document, through
// the built CLI (process start included, as a login script would run it). Target: under 5 s.
//   node bench/local.mjs [RUNS]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = resolve(import.meta.dirname, '../bin/netcensus');

export function benchLocal(runs = 3) {
  const root = mkdtempSync(join(tmpdir(), 'netcensus-bench-local-'));
  try {
    const time = (args) => {
      const started = process.hrtime.bigint();
      const r = spawnSync(process.execPath, [BIN, '--db', join(root, 'inventory.db'), ...args, '--quiet'], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`netcensus ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const stored = Array.from({ length: runs }, () => time(['local']));
    const written = Array.from({ length: runs }, () => time(['local', '--out', join(root, 'me.json')]));
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    return { runs, storedMedianMs: median(stored), storedMaxMs: Math.max(...stored), writtenMedianMs: median(written), writtenMaxMs: Math.max(...written) };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = Number(process.argv[2]);
  const r = benchLocal(Number.isInteger(arg) && arg > 0 ? arg : 3);
  const ok = Math.max(r.storedMaxMs, r.writtenMaxMs) < 5000 ? 'OK (< 5 s)' : 'SLOW (target < 5 s)';
  console.log(`local   stored: median ${(r.storedMedianMs / 1000).toFixed(2)} s, max ${(r.storedMaxMs / 1000).toFixed(2)} s; --out: median ${(r.writtenMedianMs / 1000).toFixed(2)} s, max ${(r.writtenMaxMs / 1000).toFixed(2)} s over ${r.runs} runs  ${ok}`);
}
