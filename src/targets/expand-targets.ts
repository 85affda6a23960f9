// Turn parsed specs into a TargetSet, check its size, count it and walk it lazily.
// All of it works on interval lists (address-intervals.ts): cost grows with the number of specs,
// never with the number of addresses, and no address list is ever built.

import { UsageError } from '../model/errors.js';
import type { TargetSet, TargetSpec } from '../model/target.js';
import {
  ClaimedIntervals,
  countInIntervals,
  mergeIntervals,
  subtractIntervals,
  type Interval,
} from './address-intervals.js';
import { intToIp } from './ipv4-address.js';
import { parseExcludeSpec, parseTargetSpec } from './parse-target.js';

export interface TargetLimits {
  /** Refuse a set that covers more addresses than this (hostnames count one each). */
  maxHosts: number;
}

/**
 * Parse targets and exclusions and refuse a set larger than `maxHosts`. Pure: `@file` entries must
 * already be replaced by their contents (readTargetFile) by the caller.
 */
export function buildTargetSet(
  specs: readonly string[],
  excludes: readonly string[],
  opts: TargetLimits,
): TargetSet {
  if (!Number.isSafeInteger(opts.maxHosts) || opts.maxHosts < 1) {
    throw new UsageError(`--max-hosts ${opts.maxHosts}: write a whole number of 1 or more`);
  }
  if (specs.length === 0) {
    throw new UsageError(
      'no targets given; name an IPv4 address, CIDR (10.0.0.0/24), range (10.0.0.1-50), hostname or @file',
    );
  }
  const set: TargetSet = {
    specs: specs.map(parseTargetSpec),
    excludes: excludes.map(parseExcludeSpec),
  };
  const count = countAddresses(set);
  if (count > opts.maxHosts) {
    throw new UsageError(
      `targets cover ${groupThousands(count)} addresses, more than --max-hosts ${opts.maxHosts}; ` +
        'narrow the targets or raise --max-hosts',
    );
  }
  return set;
}

/**
 * The number of distinct targets: addresses covered by any spec and by no exclusion, plus one per
 * distinct hostname. Exclusions never remove hostnames: their addresses are unknown until resolved.
 * Always equals what iterateAddresses yields plus hostnamesOf's length.
 */
export function countAddresses(set: TargetSet): number {
  const covered = mergeIntervals(intervalsOf(set.specs));
  const excluded = mergeIntervals(intervalsOf(set.excludes));
  return countInIntervals(subtractIntervals(covered, excluded)) + hostnamesOf(set).length;
}

/**
 * Yield each target address once, as a dotted quad, in the order the specs were given (and
 * ascending within a spec), leaving out excluded addresses and those an earlier spec already
 * yielded. Lazy: taking the first few of a /8 costs no more than taking the first few of a /24.
 * Hostnames are not yielded; see hostnamesOf.
 */
export function* iterateAddresses(set: TargetSet): Generator<string, void, undefined> {
  const excluded = mergeIntervals(intervalsOf(set.excludes));
  const yielded = new ClaimedIntervals();
  for (const spec of set.specs) {
    if (spec.kind !== 'range') continue;
    const fresh = yielded.claim(spec.first, spec.last);
    for (const [first, last] of subtractIntervals(fresh, excluded)) {
      for (let n = first; n <= last; n++) yield intToIp(n);
    }
  }
}

/**
 * The hostnames among the specs, in order, each once (compared without regard to case, as DNS
 * does). `printer` and `printer.` stay distinct: the trailing dot changes how they resolve.
 */
export function hostnamesOf(set: TargetSet): string[] {
  const seen = new Set<string>();
  const names: string[] = [];
  for (const spec of set.specs) {
    if (spec.kind !== 'hostname') continue;
    const key = spec.name.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    names.push(spec.name);
  }
  return names;
}

function intervalsOf(specs: readonly TargetSpec[]): Interval[] {
  const intervals: Interval[] = [];
  for (const spec of specs) if (spec.kind === 'range') intervals.push([spec.first, spec.last]);
  return intervals;
}

/** 16777214 -> "16,777,214", independent of the locale and of ICU data. */
function groupThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
