// What every command needs from its environment: where the database is, the config, the store.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { UsageError } from '../model/index.js';
import { openSqliteStore, type SqliteStore } from '../store/sqlite-store.js';

export interface GlobalOptions {
  db?: string;
  config?: string;
  json?: boolean;
}

export function databasePath(opts: GlobalOptions, env: NodeJS.ProcessEnv = process.env): string {
  if (opts.db) return resolve(opts.db);
  const dataHome = env.XDG_DATA_HOME || join(env.HOME || homedir(), '.local', 'share');
  return join(dataHome, 'netcensus', 'inventory.db');
}

/** For commands that only read: a missing database is a usage error, not an empty inventory. */
export function openExistingStore(opts: GlobalOptions): SqliteStore {
  const path = databasePath(opts);
  if (!existsSync(path)) {
    throw new UsageError(`no inventory at ${path} yet; run "netcensus scan TARGET" first, or point --db at your database`);
  }
  return openSqliteStore(path);
}

export function openStoreForWriting(opts: GlobalOptions): SqliteStore {
  return openSqliteStore(databasePath(opts));
}
