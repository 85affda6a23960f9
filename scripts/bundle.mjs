// Second build step: bundles the compiled CLI (dist/, from tsc) into dist/bundle/, one file per
// entry and per lazily imported command. Node 20 has no module compile cache, and resolving and
// linking some 600 small ESM files (kysely alone has 280) took about half a second on every start;
// the bundle starts in half that time and with less memory. Native and data packages stay outside:
// better-sqlite3 loads its .node binary, oui-data is read as bytes (src/identify/mac-vendor.ts), and
// exceljs (export only) carries archiver, whose `new Buffer()` Node flags with a deprecation warning
// on stderr once it runs from outside node_modules.
// The worker entries keep their names, next to the chunks that start them with
// new URL('./NAME.js', import.meta.url).
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'rolldown';

const root = resolve(import.meta.dirname, '..');
const out = resolve(root, 'dist/bundle');
rmSync(out, { recursive: true, force: true });

await build({
  cwd: root,
  input: {
    main: 'dist/cli/main.js',
    'probe-worker': 'dist/scan/discover/probe-worker.js',
    'import-worker': 'dist/cli/import-worker.js',
    'diff-worker': 'dist/cli/diff-worker.js',
  },
  platform: 'node',
  external: ['better-sqlite3', 'oui-data', 'exceljs', /^node:/],
  logLevel: 'warn',
  output: { dir: out, format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
});
