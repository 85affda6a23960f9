#!/usr/bin/env node
// `npm run bench`: runs every `bench:*` script of package.json in order (each one benchmark,
// printing its own table), after one build. Extra arguments go to each script. Exit 1 if any fails.
//
// Note for whoever adds a benchmark: add a "bench:NAME" script; this runner picks it up.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const scripts = Object.keys(JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')).scripts ?? {})
  .filter((name) => name.startsWith('bench:'))
  .sort();
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const build = spawnSync(npm, ['run', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
let failed = 0;
for (const name of scripts) {
  process.stdout.write(`\n== ${name}\n`);
  const r = spawnSync(npm, ['run', '--silent', name, '--', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
