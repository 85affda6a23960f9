// Tests that need something a fresh clone may lack (root, the lab, snmpsim, nmap, ../shared) run
// when it is there and skip with a printed reason when it is not. CI sets
// NETCENSUS_TEST_REQUIRE_ALL=1, under which a missing prerequisite fails instead of skipping.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, it } from 'vitest';

export const REQUIRE_ALL = process.env.NETCENSUS_TEST_REQUIRE_ALL === '1';
export const SHARED = resolve(import.meta.dirname, '../../../shared');

/** The reason a prerequisite is missing, or null when it is there. */
export type Missing = string | null;

export function needShared(sub = ''): Missing {
  return existsSync(resolve(SHARED, sub)) ? null : `../shared${sub ? `/${sub}` : ''} is not beside the project (a user's clone has none)`;
}

export function needRoot(): Missing {
  return process.getuid?.() === 0 ? null : 'needs root';
}

export function needCommand(command: string): Missing {
  const r = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return r.status === 0 ? null : `${command} is not installed`;
}

export function firstMissing(...checks: Missing[]): Missing {
  return checks.find((c) => c !== null) ?? null;
}

/**
 * `describe`, or a skipped one with the reason printed; under NETCENSUS_TEST_REQUIRE_ALL=1 a suite
 * whose prerequisite is missing fails.
 */
export function describeWhen(missing: Missing, name: string, body: () => void): void {
  if (missing === null) {
    describe(name, body);
  } else if (REQUIRE_ALL) {
    describe(name, () => {
      it('has its prerequisites (NETCENSUS_TEST_REQUIRE_ALL=1)', () => {
        throw new Error(`required but missing: ${missing}`);
      });
    });
  } else {
    process.stderr.write(`[skip] ${name}: ${missing}\n`);
    describe.skip(`${name} (skipped: ${missing})`, body);
  }
}
