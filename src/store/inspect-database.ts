// A look at a database file without changing it, for `netcensus doctor`: schema version,
// integrity, snapshots, and whether a scan is running. Opens read-only and never migrates.
import BetterSqlite3 from 'better-sqlite3';
import { SCHEMA_VERSION } from './migrations.js';
import { nativeBinding } from './native-binding.js';

export interface DatabaseInspection {
  schemaVersion: number;
  /** The schema this netcensus writes. */
  currentSchema: number;
  /** "ok", or SQLite's first complaints. */
  integrity: string;
  snapshots: number;
  assets: number | null;
  running: { id: number; pid: number | null; host: string | null; startedAt: string }[];
}

export function inspectDatabase(path: string): DatabaseInspection {
  const db = new BetterSqlite3(path, { readonly: true, fileMustExist: true, nativeBinding: nativeBinding() });
  try {
    db.pragma('busy_timeout = 2000');
    const schemaVersion = db.pragma('user_version', { simple: true }) as number;
    const integrity = (db.pragma('integrity_check(5)') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
    const hasTable = (name: string): boolean =>
      db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
    const snapshots = hasTable('snapshots') ? (db.prepare('SELECT count(*) AS n FROM snapshots').get() as { n: number }).n : 0;
    const assets = hasTable('assets') ? (db.prepare('SELECT count(*) AS n FROM assets').get() as { n: number }).n : null;
    const running = hasTable('snapshots')
      ? (db.prepare("SELECT id, pid, host, started_at AS startedAt FROM snapshots WHERE status = 'running' ORDER BY id").all() as DatabaseInspection['running'])
      : [];
    return { schemaVersion, currentSchema: SCHEMA_VERSION, integrity, snapshots, assets, running };
  } finally {
    db.close();
  }
}
