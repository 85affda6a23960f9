// One temp folder per test run: every test's tempDir() (and anything else using os.tmpdir()) lands
// in it, and it is removed when the run ends, passed or failed.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let root: string | null = null;

export function setup(): void {
  root = mkdtempSync(join(tmpdir(), 'netcensus-tests-'));
  // Tests that run the CLI as `nobody` give it a folder in here: it must be able to reach it.
  chmodSync(root, 0o755);
  process.env.TMPDIR = root; // the test processes are started after this, with this environment
}

export function teardown(): void {
  if (root) rmSync(root, { recursive: true, force: true });
}
