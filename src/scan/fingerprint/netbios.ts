// NetBIOS node status (NBSTAT, RFC 1002 §4.2.17): the names a Windows or Samba host registered
// (computer name, workgroup, "file server" <20>) and the MAC it reports. Sends: one 50-byte datagram
// to the host's UDP 137. Works across routers (it is unicast), answered by hosts with NetBIOS over
// TCP/IP on; Samba reports an all-zero MAC, which is dropped.
import type { FingerprintFacts } from '../../model/index.js';
import { udpExchange } from './udp-exchange.js';

export type NetbiosAnswer = NonNullable<FingerprintFacts['netbios']>;

export function nbstatQuery(id: number): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(1, 4); // one question
  // "*" padded with NULs to 16 bytes, first-level encoded: each nibble + 'A'.
  const raw = Buffer.alloc(16);
  raw[0] = 0x2a;
  const encoded = Buffer.alloc(32);
  for (let i = 0; i < 16; i++) {
    encoded[2 * i] = 0x41 + (raw[i]! >> 4);
    encoded[2 * i + 1] = 0x41 + (raw[i]! & 0x0f);
  }
  const tail = Buffer.from([0x00, 0x00, 0x21, 0x00, 0x01]); // end of name, NBSTAT, IN
  return Buffer.concat([header, Buffer.from([32]), encoded, tail]);
}

/** Parses an NBSTAT response; null when it is not one. */
export function parseNbstat(buf: Buffer): NetbiosAnswer | null {
  if (buf.length < 12 + 34 + 10 + 1 || (buf.readUInt16BE(2) & 0x8000) === 0 || buf.readUInt16BE(6) < 1) return null;
  let offset = 12;
  // The answer's name: a 32-byte label (or a pointer), then the root.
  if ((buf[offset]! & 0xc0) === 0xc0) offset += 2;
  else {
    while (offset < buf.length && buf[offset] !== 0) offset += 1 + buf[offset]!;
    offset += 1;
  }
  if (offset + 10 > buf.length || buf.readUInt16BE(offset) !== 0x21) return null;
  const rdlength = buf.readUInt16BE(offset + 8);
  offset += 10;
  const end = Math.min(buf.length, offset + rdlength);
  const count = buf[offset] ?? 0;
  offset += 1;
  const names: NetbiosAnswer['names'] = [];
  for (let i = 0; i < count && offset + 18 <= end; i++) {
    const name = buf.subarray(offset, offset + 15).toString('latin1').replace(/[\s\u0000]+$/, '');
    const suffix = buf[offset + 15]!;
    const flags = buf.readUInt16BE(offset + 16);
    if (/^[\x20-\x7e]+$/.test(name)) names.push({ name, suffix, group: (flags & 0x8000) !== 0 });
    offset += 18;
  }
  let mac: string | undefined;
  if (offset + 6 <= end) {
    const bytes = [...buf.subarray(offset, offset + 6)];
    if (bytes.some((b) => b !== 0)) mac = bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
  }
  return names.length > 0 ? { names, ...(mac ? { mac } : {}) } : null;
}

export async function probeNetbios(address: string, port: number, timeoutMs: number, signal: AbortSignal): Promise<NetbiosAnswer | null> {
  let answer: NetbiosAnswer | null = null;
  await udpExchange(address, port, nbstatQuery(0x4e43), timeoutMs, signal, (msg) => {
    answer = parseNbstat(msg);
    return answer !== null;
  });
  return answer;
}

/** The computer name: the unique <00> name (workstation service), else the first unique name. */
export function computerName(answer: NetbiosAnswer): string | undefined {
  return (answer.names.find((n) => n.suffix === 0 && !n.group) ?? answer.names.find((n) => !n.group))?.name;
}
