// A large `diff --json` reads its ranges of assets in two threads (diff-pool.ts): its output must be
// byte for byte the single-thread one, replacements that pair an asset of one range with an asset
// of another included, and a worker that dies must fail the diff, not hang it or shorten it. The
// worker is the built one (dist/bundle/diff-worker.js, `npm run build`), a real thread on a real
// SQLite file.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { diffAsTexts, diffCommand, writeDiffJson } from '../../src/cli/commands/diff.js';
import { splitAssetIds } from '../../src/cli/diff-pool.js';
import { captured } from '../helpers/captured-output.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { cliEnv, runCli, tempDir } from '../helpers/cli.js';
import { generateSyntheticDb } from '../helpers/synthetic-db.js';

const BUILT_WORKER = new URL('../../dist/bundle/diff-worker.js', import.meta.url);
const PAIRS = [
  [1, 6],
  [6, 1],
  [2, 5],
] as const;

describe('diff --json in two threads', () => {
  const dir = tempDir();
  const path = join(dir, 'generated.db');
  /** The single-thread output of each pair (diffCommand run from the sources has no built worker). */
  const single = new Map<string, string>();

  beforeAll(async () => {
    await generateSyntheticDb({ path, assets: 1500, snapshots: 6, seed: 5 });
    for (const [from, to] of PAIRS) {
      const { output, text } = captured();
      await diffCommand(String(from), String(to), { db: path, json: true }, output);
      single.set(`${from}-${to}`, text());
    }
  });

  it('needs the built worker', () => {
    expect(existsSync(BUILT_WORKER), 'run npm run build first').toBe(true);
  });

  it('is the single-thread output, replacements across ranges included', async () => {
    const store = openSqliteStore(path, { readonly: true });
    try {
      const ranges = splitAssetIds((await store.assetIdSpan(6))!);
      const rangeOf = (id: number) => ranges.findIndex((r) => (r.from ?? -Infinity) <= id && id <= (r.to ?? Infinity));
      let across = 0;
      for (const [from, to] of PAIRS) {
        // This thread takes at most half of the ranges, then waits: the worker takes the others.
        const part = await diffAsTexts(store, from, to, { from: 0, script: BUILT_WORKER, ownRanges: ranges.length / 2 });
        const { output, text } = captured();
        const [a, b] = [await store.getSnapshot(from), await store.getSnapshot(to)];
        writeDiffJson(output, { from: { id: from, startedAt: a!.startedAt }, to: { id: to, startedAt: b!.startedAt } }, part);
        expect(text(), `diff ${from} ${to}`).toBe(single.get(`${from}-${to}`));
        const changes = (JSON.parse(text()) as { changes: { kind: string; assetId: number; replacedAssetId?: number }[] }).changes;
        across += changes.filter((c) => c.kind === 'replaced' && rangeOf(c.assetId) !== rangeOf(c.replacedAssetId!)).length;
      }
      // The generator replaces a few printers a month; the new one has a new (higher) id.
      expect(across).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  });

  it('is the same through the built CLI with the threshold lowered', async () => {
    const home = tempDir();
    for (const [from, to] of PAIRS) {
      const threaded = await runCli(['--db', path, 'diff', String(from), String(to), '--json'], {
        cwd: home,
        env: cliEnv(home, { NETCENSUS_DIFF_THREADS_FROM: '1' }),
      });
      expect(threaded.stderr).toBe('');
      expect(threaded.code).toBe(0);
      expect(threaded.stdout, `diff ${from} ${to}`).toBe(single.get(`${from}-${to}`));
    }
  });

  it('refuses a NETCENSUS_DIFF_THREADS_FROM that is not a number (exit 2)', async () => {
    const home = tempDir();
    const r = await runCli(['--db', path, 'diff', '1', '2', '--json'], { cwd: home, env: cliEnv(home, { NETCENSUS_DIFF_THREADS_FROM: 'many' }) });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('netcensus: NETCENSUS_DIFF_THREADS_FROM=many: expected a number of assets (0 or more), or Infinity\n');
  });

  it('fails with a clear error when the worker dies after taking a range', async () => {
    // A worker that takes a range as diff-worker.ts does (it counts, then takes), then dies.
    const dying = join(dir, 'dying-worker.mjs');
    writeFileSync(
      dying,
      `import { workerData } from 'node:worker_threads';
       const claims = new Int32Array(workerData.claims);
       Atomics.add(claims, 1, 1);
       Atomics.add(claims, 0, 1);
       process.exit(3);`,
    );
    const store = openSqliteStore(path, { readonly: true });
    try {
      await expect(diffAsTexts(store, 1, 6, { from: 0, script: pathToFileURL(dying), ownRanges: 1 })).rejects.toThrow(
        /worker thread stopped before it finished its part: it exited with code 3/,
      );
    } finally {
      await store.close();
    }
  });

  it('is whole without a worker that could not start', async () => {
    // A worker that fails as it loads (before it takes a range): this thread takes every range.
    const broken = join(dir, 'broken-worker.mjs');
    writeFileSync(broken, `throw new Error('cannot start');`);
    const store = openSqliteStore(path, { readonly: true });
    try {
      const part = await diffAsTexts(store, 1, 6, { from: 0, script: pathToFileURL(broken), ownRanges: 2 });
      const { output, text } = captured();
      const [a, b] = [await store.getSnapshot(1), await store.getSnapshot(6)];
      writeDiffJson(output, { from: { id: 1, startedAt: a!.startedAt }, to: { id: 6, startedAt: b!.startedAt } }, part);
      expect(text()).toBe(single.get('1-6'));
    } finally {
      await store.close();
    }
  });
});
