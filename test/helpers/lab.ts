// The network lab of ../shared/lab: network namespaces of test hosts behind itlab0, with a truth
// manifest. Needs root. Tests bring it up in beforeAll and down in afterAll, even on failure; every
// sweep is preceded by lab-guard.sh, so no probe can leave the machine.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED, firstMissing, needCommand, needRoot, needShared, type Missing } from './prereqs.js';

export const LAB = join(SHARED, 'lab');
export const MANIFEST = '/tmp/itlab/manifest.json';

export interface ManifestHost {
  ip: string;
  kind: 'scanner' | 'infra' | 'device' | 'bulk';
  role: string;
  mac: string;
  macDistinct: boolean;
  vendor: string | null;
  icmp: boolean;
  arp: boolean;
  tcpOpen: number[];
  silent: boolean;
}

export function labMissing(): Missing {
  return firstMissing(needShared('lab/lab-up.sh'), needRoot(), needCommand('ip'), needCommand('python3'));
}

export function labUp(env: Record<string, string> = {}): ManifestHost[] {
  execFileSync('bash', [join(LAB, 'lab-up.sh')], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  return (JSON.parse(readFileSync(MANIFEST, 'utf8')) as { hosts: ManifestHost[] }).hosts;
}

export function labDown(): void {
  spawnSync('bash', [join(LAB, 'lab-down.sh')], { stdio: 'ignore' });
}

/** Throws unless the whole lab /16 routes to itlab0 (so nothing we send can leave the machine). */
export function labGuard(): void {
  execFileSync('bash', [join(LAB, 'lab-guard.sh')], { stdio: 'ignore' });
}

export function flushNeighbours(): void {
  spawnSync('ip', ['neigh', 'flush', 'dev', 'itlab0'], { stdio: 'ignore' });
}
