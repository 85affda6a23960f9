// Loads the bundled CLI (dist/bundle/*.cjs, built by scripts/bundle.mjs) the way Node loads CommonJS,
// but compiles each chunk through vm.Script with the V8 code cache that the build wrote next to it
// (CHUNK.cjs.cache). Node 20 has no module compile cache: parsing and compiling the chunks was the
// largest single cost of every start. A cache V8 rejects (another Node or V8 version, other V8
// flags, a source of another length) only means the chunk is compiled from its source as usual. V8
// checks a source's length, not its content, so a chunk modified after its cache was written (an
// edit in dist/ by hand) is compiled from source without offering the cache.
// Bundled on its own as dist/bundle/main.cjs, which bin/netcensus requires: CommonJS, like the
// launcher, because an ES module anywhere on the way would start Node's ESM loader (some 10 ms).
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants, Script } from 'node:vm';

/** This module, bundled (dist/bundle/main.cjs): Node's loader compiles it, not this one. */
const SELF = fileURLToPath(import.meta.url);
const LOADER = basename(SELF);

/** The bundle's folder. */
export const BUNDLE_DIR = dirname(SELF);

/** The code cache of CHUNK.cjs. */
export const CACHE_SUFFIX = '.cache';

/** The CommonJS wrapper of Node's own loader, on the chunk's first line so line numbers hold. */
const WRAPPER_START = '(function (exports, require, module, __filename, __dirname) { ';
const WRAPPER_END = '\n})';

/** Per chunk loaded: its cache was used, was rejected by V8 (compiled from source), or was none. */
export type CodeCacheUse = 'used' | 'rejected' | 'none';

export interface BundleLoader {
  /** Loads a chunk of the bundle ("./cli.cjs") and what it requires, once each. */
  require(id: string): unknown;
  /** What became of each loaded chunk's cache, by chunk name (for the tests). */
  codeCacheUse(): Map<string, CodeCacheUse>;
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
  cache: CodeCacheUse;
}

/**
 * `record`: compile without reading any cache and keep every script, for writeCodeCache (the build's
 * training run). Otherwise use the caches that are there.
 */
export function createBundleLoader(dir: string, options: { record?: boolean } = {}): BundleLoader {
  const record = options.record === true;
  const chunks = new Map<string, LoadedChunk>();
  const requireOutside = createRequire(join(dir, 'cli.cjs'));

  function compile(file: string, source: string): { script: Script; cache: CodeCacheUse } {
    const cachedData = record ? undefined : readCodeCache(file);
    const script = new Script(WRAPPER_START + source + WRAPPER_END, {
      filename: file,
      ...(cachedData ? { cachedData } : {}),
      importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
    return { script, cache: !cachedData ? 'none' : script.cachedDataRejected ? 'rejected' : 'used' };
  }

  function load(file: string): unknown {
    const loaded = chunks.get(file);
    if (loaded) return loaded.module.exports;
    const { script, cache } = compile(file, readFileSync(file, 'utf8'));
    const module = { exports: {} as unknown };
    chunks.set(file, { module, script, cache });
    const wrapper = script.runInThisContext() as (exports: unknown, require: (id: string) => unknown, module: unknown, filename: string, dirname: string) => void;
    wrapper.call(module.exports, module.exports, requireFrom, module, file, dir);
    return module.exports;
  }

  // Chunks require each other as "./NAME.cjs"; anything else (node:*, oui-data, exceljs, ...) is
  // resolved by Node from the bundle's folder, as it would be for the chunk itself.
  function requireFrom(id: string): unknown {
    return id.startsWith('./') && id.endsWith('.cjs') ? load(join(dir, id)) : requireOutside(id);
  }

  return {
    require: requireFrom,
    codeCacheUse: () => new Map([...chunks].map(([file, chunk]) => [basename(file), chunk.cache])),
    writeCodeCache() {
      if (!record) throw new Error('writeCodeCache needs a loader made with { record: true }');
      const written: string[] = [];
      for (const name of readdirSync(dir).filter((f) => f.endsWith('.cjs') && f !== LOADER).sort()) {
        const file = join(dir, name);
        const script = chunks.get(file)?.script ?? compile(file, readFileSync(file, 'utf8')).script;
        writeFileSync(file + CACHE_SUFFIX, script.createCachedData());
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
    if (statSync(file).mtimeMs > statSync(cache).mtimeMs + EDITED_AFTER_MS) return undefined;
    return readFileSync(cache);
  } catch {
    return undefined;
  }
}

/** Runs the CLI; bin/netcensus calls this with process.argv. */
export async function main(argv: string[]): Promise<void> {
  const cli = createBundleLoader(BUNDLE_DIR).require('./cli.cjs') as typeof import('./main.js');
  await cli.main(argv);
}
