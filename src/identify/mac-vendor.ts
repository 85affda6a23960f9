// MAC vendor from the IEEE registry, offline (the oui-data package: MA-L prefixes, first line of
// each entry is the organisation). Loaded on first use: about 5 MB of JSON that `--help` and
// listings never need.
import { createRequire } from 'node:module';

let registry: Record<string, string> | null = null;

function load(): Record<string, string> {
  registry ??= createRequire(import.meta.url)('oui-data') as Record<string, string>;
  return registry;
}

/** The registered organisation of a MAC's OUI, or null (unknown, or locally administered). */
export function macVendor(mac: string): string | null {
  const hex = mac.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
  if (hex.length < 6) return null;
  const firstOctet = parseInt(hex.slice(0, 2), 16);
  // Locally administered (random, virtual, the lab's 02:..) MACs carry no maker.
  if (firstOctet & 0x02) return null;
  const entry = load()[hex.slice(0, 6)];
  if (!entry) return null;
  const name = entry.split('\n')[0]!.trim();
  return name.length > 0 && name !== 'Private' ? name : null;
}
