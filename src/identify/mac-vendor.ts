// MAC vendor from the IEEE registry, offline (the oui-data package: MA-L prefixes, first line of
// each entry is the organisation).
//
// The registry is a 5.6 MB JSON object of 53,000 entries; parsed, it holds about 30 MB of heap for
// the whole run, for the few dozen makers a network actually has. So the file is kept as bytes,
// each prefix is found in it when first asked for, and the answers are remembered.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

let registry: Buffer | null = null;
const known = new Map<string, string | null>();

function load(): Buffer {
  registry ??= readFileSync(createRequire(import.meta.url).resolve('oui-data'));
  return registry;
}

/** The registered organisation of a MAC's OUI, or null (unknown, or locally administered). */
export function macVendor(mac: string): string | null {
  const hex = mac.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
  if (hex.length < 6) return null;
  const firstOctet = parseInt(hex.slice(0, 2), 16);
  // Locally administered (random, virtual, the lab's 02:..) MACs carry no maker.
  if (firstOctet & 0x02) return null;
  const oui = hex.slice(0, 6);
  let name = known.get(oui);
  if (name === undefined) {
    const entry = lookup(load(), oui);
    const first = entry?.split('\n')[0]!.trim() ?? '';
    name = first.length > 0 && first !== 'Private' ? first : null;
    known.set(oui, name);
  }
  return name;
}

/**
 * The value of key `oui` in the registry's JSON text. A key is a quoted six-digit hex string followed
 * by a colon; inside a value a quote is always escaped (\"), so that pattern can only be a key.
 */
function lookup(json: Buffer, oui: string): string | null {
  const at = json.indexOf(`"${oui}":`, 0, 'latin1');
  if (at < 0) return null;
  let start = at + oui.length + 3;
  while (start < json.length && json[start] !== 0x22) start++; // the value's opening quote
  let end = start + 1;
  while (end < json.length && json[end] !== 0x22) end += json[end] === 0x5c ? 2 : 1; // skip escapes
  try {
    const value: unknown = JSON.parse(json.toString('utf8', start, end + 1));
    return typeof value === 'string' ? value : null;
  } catch {
    return null;
  }
}
