// Packets the kernel dropped for want of room in its receive backlog (/proc/net/softnet_stat,
// second column, per CPU, hex). On the lab, a sweep at 10,000 addresses a second makes the kernel
// broadcast up to three ARP requests per absent address and the backlog overflows: an ARP answer
// lost this way looks like an absent host. The sweep watches this count to slow down and to retry
// the addresses whose answers may have been lost. Readable without privileges; null where absent.
// Read synchronously: a line per CPU that the kernel writes out in microseconds, where a read
// through the thread pool waited for the sweep's busy thread to take its result (30 to 40 ms,
// measured on the lab /24).
import { readFileSync } from 'node:fs';

export function readSoftnetDrops(): number | null {
  let text: string;
  try {
    text = readFileSync('/proc/net/softnet_stat', 'latin1');
  } catch {
    return null;
  }
  return parseSoftnetDrops(text);
}

export function parseSoftnetDrops(text: string): number | null {
  let total = 0;
  let rows = 0;
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 2) continue;
    const dropped = parseInt(fields[1]!, 16);
    if (!Number.isFinite(dropped)) return null;
    total += dropped;
    rows++;
  }
  return rows > 0 ? total : null;
}
