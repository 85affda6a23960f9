// The V8 code cache of the bundle (written by scripts/code-cache.mjs at build time, read by
// src/cli/bundle-loader.ts): every chunk has one and V8 takes it, in a process started as the
// launcher starts one; and a cache that cannot be used (rejected, missing, or older than an edit
// of its chunk) only means that chunk is compiled from source, with the same output.
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, runCli, tempDir } from '../helpers/cli.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BUNDLE = join(ROOT, 'dist/bundle');

/** Loads every chunk of `dir` (or runs the CLI with `args`) in a plain `node`, and reports each chunk's cache use. */
function inNode(dir: string, args: string[] | null, cwd: string) {
  const script = `
    const { createBundleLoader } = require(${JSON.stringify(join(dir, 'main.cjs'))});
    const loader = createBundleLoader(${JSON.stringify(dir)});
    const done = () => process.stderr.write('\\nUSE ' + JSON.stringify(Object.fromEntries(loader.codeCacheUse())) + '\\n');
    const args = ${JSON.stringify(args)};
    if (args) loader.require('./cli.cjs').main(['node', 'netcensus', ...args]).then(done);
    else { for (const f of require('node:fs').readdirSync(${JSON.stringify(dir)}).filter((f) => f.endsWith('.cjs') && f !== 'main.cjs')) loader.require('./' + f); done(); }`;
  const child = spawnSync(process.execPath, ['-e', script], { cwd, env: cliEnv(cwd), encoding: 'utf8' });
  const [stderr, use] = child.stderr.split('\nUSE ');
  return { code: child.status, stdout: child.stdout, stderr: stderr ?? '', use: JSON.parse(use ?? '{}') as Record<string, string> };
}

describe('the code cache', () => {
  it('is there for every chunk of the bundle, and V8 takes each', () => {
    const chunks = readdirSync(BUNDLE).filter((f) => f.endsWith('.cjs') && f !== 'main.cjs');
    expect(chunks.length).toBeGreaterThan(10);
    const { code, use } = inNode(BUNDLE, null, tempDir());
    expect(code).toBe(0);
    expect(Object.keys(use).sort()).toEqual(chunks.sort());
    expect(Object.entries(use).filter(([, u]) => u !== 'used')).toEqual([]);
  });

  it('that cannot be used costs a compile from source, not a failure', async () => {
    const home = tempDir();
    const copy = join(home, 'bundle');
    cpSync(BUNDLE, copy, { recursive: true, preserveTimestamps: true });
    symlinkSync(join(ROOT, 'node_modules'), join(home, 'node_modules'));
    const chunks = readdirSync(copy).filter((f) => f.endsWith('.cjs') && f !== 'main.cjs');
    const context = chunks.find((f) => f.startsWith('context-'))!;
    const snapshots = chunks.find((f) => f.startsWith('snapshots-'))!;
    writeFileSync(join(copy, 'cli.cjs.cache'), 'not a code cache');
    rmSync(join(copy, `${snapshots}.cache`));
    // An edit by hand after the build, of the same length: V8 checks only the length and would
    // take the stale cache, so the loader must not offer it.
    const source = readFileSync(join(copy, context), 'utf8');
    writeFileSync(join(copy, context), source.slice(0, -1) + (source.endsWith('\n') ? ' ' : '\n'));
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(copy, context), later, later);

    const db = join(home, 'x.db');
    const scan = await runCli(['--db', db, 'scan', '127.0.0.1', '--ports', '1', '--no-dns', '--no-snmp', '--no-fingerprint', '--no-icmp', '--no-arp'], { cwd: home, env: cliEnv(home) });
    expect(scan.code, scan.stderr).toBe(0);
    const expected = await runCli(['--db', db, 'snapshots', '--json'], { cwd: home, env: cliEnv(home) });
    const run = inNode(copy, ['--db', db, 'snapshots', '--json'], home);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(expected.stdout);
    expect(run.use).toMatchObject({ 'cli.cjs': 'rejected', [snapshots]: 'none', [context]: 'none' });
    expect(Object.values(run.use).filter((u) => u === 'used').length).toBeGreaterThan(0);
  });
});
