// Shared by the unattended-operation tests: a seeded random source (re-exported), and fingerprints of what a
// database holds, to prove that a kill, a signal or a fault changed nothing already committed.
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';

export { seededRandom } from '../helpers/random.js';

export interface SnapshotRow {
  id: number;
  status: string;
}

export interface DatabaseState {
  integrity: string;
  snapshots: SnapshotRow[];
  /** Per snapshot, a hash of its records (every column) and their MACs. */
  recordHashes: Map<number, string>;
  recordCounts: Map<number, number>;
  assets: number;
}

export function readState(path: string): DatabaseState {
  const db = new Database(path, { readonly: true });
  try {
    const integrity = String(db.pragma('integrity_check', { simple: true }));
    const snapshots = db.prepare('SELECT id, status FROM snapshots ORDER BY id').all() as SnapshotRow[];
    const recordHashes = new Map<number, string>();
    const recordCounts = new Map<number, number>();
    for (const s of snapshots) {
      const rows = db.prepare('SELECT * FROM records WHERE snapshot_id = ? ORDER BY id').all(s.id);
      const macs = db.prepare('SELECT * FROM record_macs WHERE snapshot_id = ? ORDER BY record_id, mac').all(s.id);
      recordHashes.set(s.id, createHash('sha256').update(JSON.stringify([rows, macs])).digest('hex'));
      recordCounts.set(s.id, rows.length);
    }
    const assets = (db.prepare('SELECT count(*) AS n FROM assets').get() as { n: number }).n;
    return { integrity, snapshots, recordHashes, recordCounts, assets };
  } finally {
    db.close();
  }
}

export function countRows(path: string, sql: string, ...params: unknown[]): number {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare(sql).get(...params) as { n: number }).n;
  } finally {
    db.close();
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls until `test` is true; throws after `timeoutMs`. */
export async function waitFor(test: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}
