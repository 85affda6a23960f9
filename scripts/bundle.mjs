// Second build step: bundles the compiled CLI (dist/, from tsc) into dist/bundle/, one file per
// entry and per lazily imported command. Node 20 has no module compile cache, and resolving and
// linking some 600 small ESM files (kysely alone has 280) took about half a second on every start;
// the bundle starts in a fraction of that time and with less memory.
//
// The CLI is bundled as CommonJS (cli.cjs and its chunks, *.cjs) so that it can be compiled with a
// V8 code cache, which Node 20 offers only through vm.Script. dist/bundle/main.cjs, which
// bin/netcensus requires, is src/cli/bundle-loader.ts bundled on its own: it loads the chunks with
// the cache that scripts/code-cache.mjs writes next to each (CHUNK.cjs.cache) after a training run
// of the common commands. Parsing and compiling the chunks was the largest cost of a start, and the
// cache takes a one-host scan's CPU time from about 200 to 150 ms. A cache that V8 rejects (another
// Node version) or that is missing only costs that time back; if the training run fails, the build
// warns and ships no cache rather than fail. Everything on the way is CommonJS, the launcher too:
// an ES module would start Node's ESM loader, another 10 ms. The chunks are written in ASCII (a
// source with one other character is read into two bytes a character) and without JSDoc, a third
// less source to read at every start.
//
// The worker entries stay ES modules (*.js, with their own chunks), named as they are because the
// chunks that start them name them with new URL('./NAME.js', import.meta.url); a worker is a thread
// of its own, so sharing no module with the CLI's chunks costs nothing but disk.
//
// better-sqlite3's JavaScript is bundled (through Node's loader its dozen files cost a listing some
// 15 ms); its .node binary stays where it was built, and src/store/native-binding.ts finds it with
// better-sqlite3's own `bindings`, which therefore stays outside. So do the data package oui-data,
// read as bytes (src/identify/mac-vendor.ts), and exceljs (export only), which carries archiver,
// whose `new Buffer()` Node flags with a deprecation warning on stderr once it runs from outside
// node_modules.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'rolldown';

const root = resolve(import.meta.dirname, '..');
const out = resolve(root, 'dist/bundle');
rmSync(out, { recursive: true, force: true });

const common = {
  cwd: root,
  platform: 'node',
  external: ['bindings', 'oui-data', 'exceljs', /^node:/],
  logLevel: 'warn',
};

await build({
  ...common,
  input: { cli: 'dist/cli/main.js' },
  output: {
    dir: out,
    format: 'cjs',
    entryFileNames: '[name].cjs',
    chunkFileNames: '[name]-[hash].cjs',
    charset: 'ascii',
    comments: { legal: true, jsdoc: false, annotation: false },
  },
});

await build({
  ...common,
  input: { main: 'dist/cli/bundle-loader.js' },
  output: { dir: out, format: 'cjs', entryFileNames: '[name].cjs' },
});

await build({
  ...common,
  input: {
    'probe-worker': 'dist/scan/discover/probe-worker.js',
    'import-worker': 'dist/cli/import-worker.js',
    'diff-worker': 'dist/cli/diff-worker.js',
  },
  output: { dir: out, format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
});

const training = spawnSync(process.execPath, [resolve(root, 'scripts/code-cache.mjs')], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
if (training.status !== 0) {
  const why = training.error?.message ?? training.stderr.trim().split('\n').slice(-5).join('\n');
  process.stderr.write(`bundle: warning: no V8 code cache (the CLI works, but starts slower):\n${why}\n`);
}
