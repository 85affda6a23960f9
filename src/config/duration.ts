// Durations as people write them in a config file or on the command line: a whole number and a
// unit (s, m, h, d, w), e.g. "90s", "45m", "2h", "90d", "12w". A bare number is seconds.
import { UsageError } from '../model/index.js';

export const DURATION_PATTERN = /^\s*\d+\s*[smhdw]?\s*$/;

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Milliseconds; throws UsageError naming the text when it is not a duration. */
export function parseDuration(text: string, what = 'duration'): number {
  const m = /^\s*(\d+)\s*([smhdw]?)\s*$/.exec(text);
  const ms = m ? Number(m[1]) * UNIT_MS[m[2] || 's']! : NaN;
  if (!m || !Number.isSafeInteger(ms) || ms <= 0) {
    throw new UsageError(`${what} "${text}" is not a duration; write a whole number and a unit, e.g. 90s, 45m, 2h, 90d or 12w`);
  }
  return ms;
}

/** "2h", "90d": the largest unit that divides the duration, for messages. */
export function formatDuration(ms: number): string {
  for (const unit of ['w', 'd', 'h', 'm'] as const) {
    if (ms % UNIT_MS[unit]! === 0) return `${ms / UNIT_MS[unit]!}${unit}`;
  }
  return `${Math.round(ms / 1000)}s`;
}
