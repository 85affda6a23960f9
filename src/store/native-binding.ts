// Where better-sqlite3's native addon is, found the way better-sqlite3 itself finds it (the
// `bindings` package), and handed to it as `nativeBinding`. The build bundles better-sqlite3's
// JavaScript with ours (scripts/bundle.mjs: loading its dozen files through Node's module loader
// cost listings some 15 ms of every start), and bundled it could not find the addon itself:
// `bindings` looks next to the package of the file that calls it, which would be netcensus. So it
// is told where better-sqlite3 is.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

type Bindings = (options: { bindings: string; module_root: string; path: true }) => string;

const ADDON = 'better_sqlite3.node';

let found: string | undefined;

/** The path of better_sqlite3.node; throws as better-sqlite3 would when it is not built. */
export function nativeBinding(): string {
  if (found === undefined) {
    const packageJson = createRequire(import.meta.url).resolve('better-sqlite3/package.json');
    const root = dirname(packageJson);
    // Where npm builds or downloads it, build/Release, is the third place `bindings` tries; when
    // the two before are empty, loading `bindings` to say so would cost some 3 ms.
    const release = join(root, 'build', 'Release', ADDON);
    if (!existsSync(join(root, 'build', ADDON)) && !existsSync(join(root, 'build', 'Debug', ADDON)) && existsSync(release)) {
      found = release;
    } else {
      const bindings = createRequire(packageJson)('bindings') as Bindings;
      found = bindings({ bindings: ADDON, module_root: root, path: true });
    }
  }
  return found;
}
