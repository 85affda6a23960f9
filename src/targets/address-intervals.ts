// Sets of IPv4 addresses as sorted lists of inclusive intervals, so that counting, de-duplicating
// and excluding cost as much as the number of specs, never the number of addresses (a /8 is one
// interval, not 16 million entries).

/** An inclusive run of addresses as unsigned 32-bit integers, `first <= last`. */
export type Interval = readonly [first: number, last: number];

/** Sort and join overlapping or adjacent intervals: the result is sorted, disjoint and non-adjacent. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [first, last] of sorted) {
    const prev = merged[merged.length - 1];
    // Adjacent runs (…5 and 6…) join too: the union is the same and later walks are shorter.
    if (prev && first <= prev[1] + 1) {
      if (last > prev[1]) prev[1] = last;
    } else {
      merged.push([first, last]);
    }
  }
  return merged;
}

/** The parts of `from` not in `remove`. Both must be merged (see mergeIntervals); so is the result. */
export function subtractIntervals(from: readonly Interval[], remove: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  const firstFrom = from[0];
  if (!firstFrom) return out;
  // Removals that end before `from` starts can never matter; skip them by binary search so that
  // subtracting a long exclude list from one small spec stays cheap.
  let j = firstIndexEndingAtOrAfter(remove, firstFrom[0]);
  for (const [first, last] of from) {
    while (j < remove.length && remove[j]![1] < first) j++;
    let start = first;
    // Walk removals overlapping [first, last] without consuming the last one: it may reach into
    // the next interval of `from`.
    for (let k = j; k < remove.length && start <= last; k++) {
      const [rFirst, rLast] = remove[k]!;
      if (rFirst > last) break;
      if (rFirst > start) out.push([start, rFirst - 1]);
      start = Math.max(start, rLast + 1);
    }
    if (start <= last) out.push([start, last]);
  }
  return out;
}

/** How many addresses the intervals hold (as many as 2^32: still exact in a double). */
export function countInIntervals(intervals: readonly Interval[]): number {
  let total = 0;
  for (const [first, last] of intervals) total += last - first + 1;
  return total;
}

/**
 * The addresses handed out so far, as a merged interval list. `claim` answers "which parts of this
 * run are new?" and records the run, so overlapping specs are walked once each without keeping a
 * Set of every address.
 */
export class ClaimedIntervals {
  /** Sorted, disjoint, non-adjacent. */
  private readonly runs: [number, number][] = [];

  /** The parts of [first, last] not claimed before, in ascending order; then claims all of it. */
  claim(first: number, last: number): Interval[] {
    const fresh: Interval[] = [];
    // Runs ending at first - 1 are adjacent and get merged with the new one, so start there.
    const lo = firstIndexEndingAtOrAfter(this.runs, first - 1);
    let hi = lo;
    let cursor = first;
    let mergedFirst = first;
    let mergedLast = last;
    while (hi < this.runs.length && this.runs[hi]![0] <= last + 1) {
      const [runFirst, runLast] = this.runs[hi]!;
      if (runFirst > cursor) fresh.push([cursor, runFirst - 1]);
      cursor = Math.max(cursor, runLast + 1);
      mergedFirst = Math.min(mergedFirst, runFirst);
      mergedLast = Math.max(mergedLast, runLast);
      hi++;
    }
    if (cursor <= last) fresh.push([cursor, last]);
    this.runs.splice(lo, hi - lo, [mergedFirst, mergedLast]);
    return fresh;
  }
}

/** Index of the first interval whose end is >= `value` (sorted disjoint input), or the length. */
function firstIndexEndingAtOrAfter(intervals: readonly Interval[], value: number): number {
  let lo = 0;
  let hi = intervals.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (intervals[mid]![1] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
