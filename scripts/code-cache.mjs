// Third build step (scripts/bundle.mjs runs it in a child process): writes the V8 code cache of every
// chunk of dist/bundle/ (CHUNK.cjs.cache, read by src/cli/bundle-loader.ts). A cache holds the
// functions V8 had compiled when it was written, so the common commands first run here, in this
// one process, on a throw-away database in a temp folder: two scans of 127.0.0.1 (a TCP connect to
// port 1 of the loopback each; nothing else is sent), then the listings, diff, export and report.
// Chunks none of them loads get a cache of their top level only. Exits non-zero, writing nothing,
// when a command fails.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';

const bundleDir = resolve(import.meta.dirname, '../dist/bundle');
const { createBundleLoader } = createRequire(import.meta.url)(join(bundleDir, 'main.cjs'));
const loader = createBundleLoader(bundleDir, { record: true });
const cli = loader.require('./cli.cjs');

// No config, database or colours of the user who builds.
const work = mkdtempSync(join(tmpdir(), 'netcensus-code-cache-'));
process.chdir(work);
for (const name of Object.keys(process.env)) if (name.startsWith('NETCENSUS_')) delete process.env[name];
Object.assign(process.env, { HOME: work, XDG_CONFIG_HOME: join(work, 'config'), XDG_DATA_HOME: join(work, 'data'), NO_COLOR: '1' });

const db = ['--db', join(work, 'training.db')];
const scan = [...db, 'scan', '127.0.0.1', '--ports', '1', '--no-dns', '--no-snmp', '--no-fingerprint', '--no-icmp', '--no-arp', '--fail-threshold', '100'];
const runs = [
  ['--version'],
  ['--help'],
  ['scan', '--help'],
  [...scan, '--json'],
  [...scan, '--label', 'second'],
  [...db, 'snapshots'],
  [...db, 'snapshots', '--json'],
  [...db, 'assets'],
  [...db, 'assets', '--json'],
  [...db, 'asset', '1', '--json'],
  [...db, 'diff'],
  [...db, 'diff', '--json'],
  [...db, 'export', '--format', 'csv', '--out', join(work, 'export.csv')],
  [...db, 'export', '--format', 'json', '--out', join(work, 'export.json')],
  [...db, 'report', '--out', join(work, 'report.html')],
];

try {
  for (const args of runs) {
    process.exitCode = undefined;
    await cli.main(['node', 'netcensus', ...args]);
    if ((process.exitCode ?? 0) !== 0) throw new Error(`netcensus ${args.join(' ')} exited with ${process.exitCode}`);
  }
} finally {
  process.chdir(bundleDir);
  rmSync(work, { recursive: true, force: true });
}
process.exitCode = 0;
// V8 takes a cache only under the flags it was made with. The scans above set two GC flags for the
// rest of this process (src/scan/heap.ts); a command starts with the defaults, so the caches are
// written under those.
setFlagsFromString('--semi-space-growth-factor=2');
setFlagsFromString('--heap-growing-percent=0');
const written = loader.writeCodeCache();
process.stderr.write(`code cache: ${written.length} chunks\n`);
