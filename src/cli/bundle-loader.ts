// Loads the bundled CLI (dist/bundle/*.cjs, built by scripts/bundle.mjs) the way Node loads CommonJS,
// but compiles each chunk through vm.Script with the V8 code cache that the build wrote next to it
// (CHUNK.cjs.cache). Node 20 has no module compile cache: parsing and compiling the chunks was the
// largest single cost of every start. A cache V8 rejects (another Node or V8 version, other V8
// flags, a source of another length) only means the chunk is compiled from its source as usual. V8
// checks a source's length, not its content, so a chunk modified after its cache was written (an
// edit in dist/ by hand) is compiled from source without offering the cache. This is the entry
// bin/netcensus imports (dist/bundle/main.js); it imports nothing of the CLI itself.
import type { Script } from 'node:vm';

// Node's built-ins through process.getBuiltinModule rather than `import`: an ESM import of node:fs
// builds its module facade, which loads fs streams that a start does not otherwise need.
const fs = process.getBuiltinModule('node:fs');
const { createRequire } = process.getBuiltinModule('node:module');
const { dirname, join } = process.getBuiltinModule('node:path');
const { fileURLToPath } = process.getBuiltinModule('node:url');
const vm = process.getBuiltinModule('node:vm');

/** The code cache of CHUNK.cjs. */
export const CACHE_SUFFIX = '.cache';

/** The CommonJS wrapper of Node's own loader, on the chunk's first line so line numbers hold. */
const WRAPPER_START = '(function (exports, require, module, __filename, __dirname) { ';
const WRAPPER_END = '\n})';

export interface BundleLoader {
  /** Loads a chunk of the bundle ("./cli.cjs") and what it requires, once each. */
  require(id: string): unknown;
  /**
   * Build time only (`record`): writes CHUNK.cjs.cache for every chunk of the folder, from what V8
   * has compiled so far (a chunk that ran keeps the functions that ran; the others only their
   * top level). Returns the chunks written.
   */
  writeCodeCache(): string[];
}

interface LoadedChunk {
  module: { exports: unknown };
  script: Script;
}

/**
 * `record`: compile without reading any cache and keep every script, for writeCodeCache (the build's
 * training run). Otherwise use the caches that are there.
 */
export function createBundleLoader(dir: string, options: { record?: boolean } = {}): BundleLoader {
  const record = options.record === true;
  const chunks = new Map<string, LoadedChunk>();
  const requireOutside = createRequire(join(dir, 'cli.cjs'));

  function compile(file: string, source: string): Script {
    const cachedData = record ? undefined : readCodeCache(file);
    return new vm.Script(WRAPPER_START + source + WRAPPER_END, {
      filename: file,
      ...(cachedData ? { cachedData } : {}),
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
  }

  function load(file: string): unknown {
    const loaded = chunks.get(file);
    if (loaded) return loaded.module.exports;
    const script = compile(file, fs.readFileSync(file, 'utf8'));
    const module = { exports: {} as unknown };
    chunks.set(file, { module, script });
    const wrapper = script.runInThisContext() as (exports: unknown, require: (id: string) => unknown, module: unknown, filename: string, dirname: string) => void;
    wrapper.call(module.exports, module.exports, requireFrom, module, file, dir);
    return module.exports;
  }

  // Chunks require each other as "./NAME.cjs"; anything else (node:*, better-sqlite3, ...) is
  // resolved by Node from the bundle's folder, as it would be for the chunk itself.
  function requireFrom(id: string): unknown {
    return id.startsWith('./') && id.endsWith('.cjs') ? load(join(dir, id)) : requireOutside(id);
  }

  return {
    require: requireFrom,
    writeCodeCache() {
      if (!record) throw new Error('writeCodeCache needs a loader made with { record: true }');
      const written: string[] = [];
      for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.cjs')).sort()) {
        const file = join(dir, name);
        const script = chunks.get(file)?.script ?? compile(file, fs.readFileSync(file, 'utf8'));
        fs.writeFileSync(file + CACHE_SUFFIX, script.createCachedData());
        written.push(name);
      }
      return written;
    },
  };
}

/** A copy of the folder (cp -r) may write a cache a moment before its chunk; an edit comes later. */
const EDITED_AFTER_MS = 1000;

/** CHUNK.cjs.cache when it exists and the chunk was not modified after it. */
function readCodeCache(file: string): Buffer | undefined {
  try {
    const cache = file + CACHE_SUFFIX;
    if (fs.statSync(file).mtimeMs > fs.statSync(cache).mtimeMs + EDITED_AFTER_MS) return undefined;
    return fs.readFileSync(cache);
  } catch {
    return undefined;
  }
}

/** The bundle's folder: where this module was bundled to (dist/bundle/main.js). */
export const BUNDLE_DIR = dirname(fileURLToPath(import.meta.url));

/** Runs the CLI; bin/netcensus calls this with process.argv. */
export async function main(argv: string[]): Promise<void> {
  const cli = createBundleLoader(BUNDLE_DIR).require('./cli.cjs') as typeof import('./main.js');
  await cli.main(argv);
}
