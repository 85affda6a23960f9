import { LockHeldError, StoreError, UsageError } from '../model/index.js';

export const EXIT = {
  ok: 0,
  changes: 1,
  usage: 2,
  targetsFailed: 3,
  lockHeld: 4,
  internal: 70,
  sigint: 130,
  sigterm: 143,
} as const;

export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return EXIT.usage;
  if (error instanceof LockHeldError) return EXIT.lockHeld;
  if (error instanceof StoreError) return 1;
  return EXIT.internal;
}

/** One line for the known error classes; a bug gets its stack so it can be reported. */
export function formatError(error: unknown): string {
  if (error instanceof UsageError || error instanceof LockHeldError || error instanceof StoreError) {
    return error.message;
  }
  const e = error as Error;
  return `internal error (please report it): ${e?.stack ?? String(error)}`;
}
