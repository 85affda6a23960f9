// The snmprec format (snmpsim's): one `OID|TAG|VALUE` per line, sorted by OID. TAG is the ASN.1
// type number (2 Integer, 4 OctetString, 6 OID, 64 IpAddress, 65 Counter32, 66 Gauge32,
// 67 TimeTicks, 70 Counter64); a trailing "x" means VALUE is hex.
import { compareOids, decodeOctets, type SnmpValue } from './transport.js';

export function parseSnmprec(text: string): SnmpValue[] {
  const out: SnmpValue[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line === '' || line.startsWith('#')) continue;
    const first = line.indexOf('|');
    const second = line.indexOf('|', first + 1);
    if (first < 0 || second < 0) continue;
    const oid = line.slice(0, first).replace(/^\./, '');
    const tagText = line.slice(first + 1, second);
    const raw = line.slice(second + 1);
    const hex = tagText.endsWith('x');
    const tag = Number.parseInt(hex ? tagText.slice(0, -1) : tagText, 10);
    if (!Number.isInteger(tag) || !/^\d+(\.\d+)*$/.test(oid)) continue;
    out.push(valueFromRecord(oid, tag, raw, hex));
  }
  return out.sort((a, b) => compareOids(a.oid, b.oid));
}

function valueFromRecord(oid: string, tag: number, raw: string, hex: boolean): SnmpValue {
  if (tag === 4 || tag === 68) {
    const bytes = hex ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'utf8');
    return { oid, tag, text: decodeOctets(bytes), bytes: new Uint8Array(bytes) };
  }
  if (tag === 64 && hex) {
    const b = Buffer.from(raw, 'hex');
    return { oid, tag, text: [...b].join('.') };
  }
  if (tag === 2 || tag === 65 || tag === 66 || tag === 67 || tag === 70) {
    const n = Number(raw);
    return { oid, tag, text: raw, num: n };
  }
  return { oid, tag, text: raw };
}

/** Formats values as snmprec lines. Strings that are not plain printable text are written as hex. */
export function formatSnmprec(values: SnmpValue[]): string {
  const lines = [...values]
    .sort((a, b) => compareOids(a.oid, b.oid))
    .map((v) => {
      if (v.bytes !== undefined) {
        const buf = Buffer.from(v.bytes);
        const printable = buf.length > 0 && /^[\x20-\x7E]*$/.test(buf.toString('latin1'));
        return printable ? `${v.oid}|${v.tag}|${buf.toString('latin1')}` : `${v.oid}|${v.tag}x|${buf.toString('hex')}`;
      }
      return `${v.oid}|${v.tag}|${v.text}`;
    });
  return lines.join('\n') + (lines.length > 0 ? '\n' : '');
}
