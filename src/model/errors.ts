// The few error classes that reach the one top-level catch in cli/, which maps them to exit codes.
// Probes never throw for an unreachable host: that is a ScanStatus, not an error.

/** Bad input from the user: a target, an option, a config file. Exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The config file does not validate. Exit 2. `issues` are "path: message" lines. */
export class ConfigError extends UsageError {
  override name = 'ConfigError';
  constructor(
    readonly file: string,
    readonly issues: string[],
  ) {
    super(`${file}: ${issues.join('; ')}`);
  }
}

/** Another scan holds the database's lock. Exit 4. */
export class LockHeldError extends Error {
  override name = 'LockHeldError';
}

/** The database cannot be opened, written or migrated. Exit 1 with a clear message. */
export class StoreError extends Error {
  override name = 'StoreError';
}
