// Packets the kernel dropped for want of room in its receive backlog (/proc/net/softnet_stat,
// second column, per CPU, hex). On the lab, a sweep at 10,000 addresses a second makes the kernel
// broadcast up to three ARP requests per absent address and the backlog overflows: an ARP answer
// lost this way looks like an absent host. The sweep watches this count to slow down and to retry
// the addresses whose answers may have been lost. Readable without privileges; null where absent.
import { readFile } from 'node:fs/promises';

export async function readSoftnetDrops(): Promise<number | null> {
  const text = await readFile('/proc/net/softnet_stat', 'utf8').catch(() => null);
  return text === null ? null : parseSoftnetDrops(text);
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
