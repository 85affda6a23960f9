// The V8 heap of a scan. A sweep of a large range lives for seconds to minutes with a few tens of MB
// of live objects and a steady stream of short-lived ones (a verdict per silent address, a
// neighbour-table read every few hundred ms, the connects' outcomes). V8's defaults size the heap for
// throughput: the young generation doubles up to 32 MB, and the old one may grow to several times
// what is live before a full collection. On the lab /16 that slack was 60 to 80 MB of the process's
// peak (190 MB as an unprivileged user, 145 MB as root). These two GC heuristics are read each time
// V8 sizes the heap, so they can be set while the process runs (unlike --max-semi-space-size):
//   --semi-space-growth-factor=1  the young generation keeps the size it has (1 MB a half at start);
//   --heap-growing-percent=10     a full collection once the old generation is 10% past what lived.
// Measured on the lab /16: peak RSS 134 MB unprivileged and 107 MB as root, for the same sweep time.
// The price is collection time when tens of thousands of hosts are alive and
// the inventory's own objects pile up: a loopback /16 where all 65,534 answer took 13 s instead of
// 10.4 s, for a peak of 185 MB instead of 275 MB. They are set as the scan command starts, once its
// modules are loaded and its targets known (from the code cache, loading leaves the young
// generation at its first 1 MB a half): V8 takes a chunk's code cache only under the flags it was
// made with, which are the defaults (scripts/code-cache.mjs), so a chunk loaded later in a scan is
// compiled from source. Set after a slower load (by then 8 MB) the same sweep peaked at 170 MB.
// Other commands (an export, a diff) keep the defaults' throughput.
// A range of fewer than SMALL_HEAP_FROM addresses keeps the defaults: its sweep lives for a
// fraction of a second, in which the small young generation cost some 30 scavenges, 15 ms of CPU on
// the lab /24 (254 live hosts), for 2 to 3 MB less peak RSS.
// The flags hold for the rest of the process, but starting a worker thread puts V8's flags back to
// their defaults (measured on Node 20: the young generation grew to 32 MB again), so a scan's worker
// sets them again once it runs.
import { setFlagsFromString } from 'node:v8';

/** From this many addresses in the scan's targets on, a scan keeps its heap small. */
export const SMALL_HEAP_FROM = 1024;

export function keepHeapSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
  setFlagsFromString('--heap-growing-percent=10');
}
