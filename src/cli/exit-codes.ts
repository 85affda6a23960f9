import { LockHeldError, StoreError, UsageError } from '../model/index.js';

export const EXIT = {
  ok: 0,
  changes: 1,
  usage: 2,
  targetsFailed: 3,
  lockHeld: 4,
  /** scan --max-duration ran out: what was found is kept, the snapshot is interrupted. */
  timeBudget: 5,
  internal: 70,
  sigint: 130,
  sigterm: 143,
} as const;

export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return EXIT.usage;
  if (error instanceof LockHeldError) return EXIT.lockHeld;
  if (error instanceof StoreError) return 1;
  if (storageProblem(error)) return 1;
  return EXIT.internal;
}

/** One line for the known error classes; a bug gets its stack so it can be reported. */
export function formatError(error: unknown): string {
  if (error instanceof UsageError || error instanceof LockHeldError || error instanceof StoreError) {
    return error.message;
  }
  const storage = storageProblem(error);
  if (storage) return storage;
  const e = error as Error;
  return `internal error (please report it): ${e?.stack ?? String(error)}`;
}

/**
 * SQLite's errors of the disk rather than of the program (full, read-only, I/O): a clear line, not
 * a stack. The failed transaction was rolled back, so nothing of it was written.
 */
function storageProblem(error: unknown): string | null {
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  const what =
    code.startsWith('SQLITE_FULL') ? 'the disk holding the database is full'
    : code.startsWith('SQLITE_READONLY') ? 'the database is read-only (file, folder or file system)'
    : code.startsWith('SQLITE_IOERR') ? 'the disk holding the database failed to read or write'
    : code.startsWith('SQLITE_CANTOPEN') ? 'the database file cannot be opened'
    : null;
  if (what === null) return null;
  return `${what} (${code}); the batch being written was rolled back and every earlier commit is intact. Fix it and run again: the next scan marks this run interrupted`;
}
