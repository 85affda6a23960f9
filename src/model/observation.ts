import type { Facts } from './facts.js';

/**
 * The closed set of outcomes of one probe. An unreachable host is data, never a thrown error:
 * only bugs and configuration errors throw.
 */
export const SCAN_STATUSES = [
  'ok',
  'timeout',
  'refused',
  'unreachable',
  'auth-failed',
  'protocol-error',
  'skipped',
  'error',
] as const;
export type ScanStatus = (typeof SCAN_STATUSES)[number];

/** What one scanner saw at one address at one time. */
export interface Observation {
  scanner: string;
  address: string;
  /** ISO 8601 time of the observation. */
  at: string;
  status: ScanStatus;
  facts: Facts;
  /** A short human note for non-ok statuses ("no answer in 1000 ms"). Never holds secrets. */
  detail?: string;
}
