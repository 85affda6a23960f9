// MAC vendor from the IEEE registry, offline (the oui-data package: MA-L prefixes, first line of
// each entry is the organisation).
//
// The registry is a 5.6 MB JSON object of 53,000 entries; parsed, it holds about 30 MB of heap for
// the whole run, for the few dozen makers a network actually has. So the file is kept as bytes, one
// pass on first use notes where each six-digit prefix's value starts, and a value is decoded when
// first asked for and remembered.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

let registry: { bytes: Buffer; offsets: Map<string, number> } | null = null;
const known = new Map<string, string | null>();

function load(): { bytes: Buffer; offsets: Map<string, number> } {
  if (!registry) {
    const bytes = readFileSync(createRequire(import.meta.url).resolve('oui-data'));
    registry = { bytes, offsets: indexKeys(bytes) };
  }
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
    const { bytes, offsets } = load();
    const at = offsets.get(oui);
    const first = at === undefined ? '' : (readString(bytes, at)?.split('\n')[0]!.trim() ?? '');
    name = first.length > 0 && first !== 'Private' ? first : null;
    known.set(oui, name);
  }
  return name;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Where each six-hex-digit key's value begins (its opening quote), found by walking the JSON's
 * strings once: a string followed by a colon is a key. Other keys (the longer MA-M and MA-S
 * prefixes) are skipped, as before.
 */
function indexKeys(json: Buffer): Map<string, number> {
  const offsets = new Map<string, number>();
  let i = json.indexOf(QUOTE);
  while (i >= 0 && i < json.length) {
    let end = i + 1;
    while (end < json.length && json[end] !== QUOTE) end += json[end] === BACKSLASH ? 2 : 1;
    let next = end + 1;
    while (next < json.length && (json[next] === 0x20 || json[next] === 0x0a || json[next] === 0x0d || json[next] === 0x09)) next++;
    if (json[next] === 0x3a) {
      // A key: its value is the next string.
      const value = json.indexOf(QUOTE, next);
      if (value < 0) break;
      if (end - i === 7) offsets.set(json.toString('latin1', i + 1, end), value);
      i = value;
      continue;
    }
    i = json.indexOf(QUOTE, end + 1);
  }
  return offsets;
}

/** The JSON string whose opening quote is at `start`, decoded. */
function readString(json: Buffer, start: number): string | null {
  let end = start + 1;
  while (end < json.length && json[end] !== QUOTE) end += json[end] === BACKSLASH ? 2 : 1;
  try {
    const value: unknown = JSON.parse(json.toString('utf8', start, end + 1));
    return typeof value === 'string' ? value : null;
  } catch {
    return null;
  }
}
