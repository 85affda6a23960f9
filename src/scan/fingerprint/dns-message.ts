// Just enough of the DNS wire format for mDNS/DNS-SD answers: questions out; PTR, TXT, SRV and A
// records in, with name compression. Every length is checked against the buffer: the bytes come from
// the network.

export interface DnsRecord {
  name: string;
  type: number;
  /** PTR/SRV target, A address, or TXT strings joined by "\u0000". */
  data: string;
  txt?: string[];
}

export const TYPE = { A: 1, PTR: 12, TXT: 16, SRV: 33, ANY: 255 } as const;

export function encodeName(name: string): Buffer {
  const parts = name.split('.').filter(Boolean);
  return Buffer.concat([...parts.map((p) => Buffer.concat([Buffer.from([Math.min(63, Buffer.byteLength(p))]), Buffer.from(p).subarray(0, 63)])), Buffer.from([0])]);
}

export function encodeQuery(id: number, questions: { name: string; type: number }[]): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id & 0xffff, 0);
  header.writeUInt16BE(questions.length, 4);
  return Buffer.concat([
    header,
    ...questions.map((q) => {
      const tail = Buffer.alloc(4);
      tail.writeUInt16BE(q.type, 0);
      tail.writeUInt16BE(1, 2); // IN
      return Buffer.concat([encodeName(q.name), tail]);
    }),
  ]);
}

function readName(buf: Buffer, start: number): { name: string; next: number } {
  const labels: string[] = [];
  let offset = start;
  let next = -1;
  for (let jumps = 0; jumps < 32; ) {
    if (offset >= buf.length) throw new Error('name past end');
    const len = buf[offset]!;
    if (len === 0) {
      if (next < 0) next = offset + 1;
      return { name: labels.join('.'), next };
    }
    if ((len & 0xc0) === 0xc0) {
      if (offset + 1 >= buf.length) throw new Error('pointer past end');
      if (next < 0) next = offset + 2;
      offset = ((len & 0x3f) << 8) | buf[offset + 1]!;
      jumps++;
      continue;
    }
    if (offset + 1 + len > buf.length) throw new Error('label past end');
    labels.push(buf.subarray(offset + 1, offset + 1 + len).toString('utf8'));
    offset += 1 + len;
  }
  throw new Error('too many compression pointers');
}

/** The answer, authority and additional records of a response; null when it is not one. */
export function decodeResponse(buf: Buffer): { id: number; records: DnsRecord[] } | null {
  try {
    if (buf.length < 12 || (buf.readUInt16BE(2) & 0x8000) === 0) return null;
    const id = buf.readUInt16BE(0);
    const qd = buf.readUInt16BE(4);
    const rrCount = buf.readUInt16BE(6) + buf.readUInt16BE(8) + buf.readUInt16BE(10);
    let offset = 12;
    for (let i = 0; i < qd; i++) offset = readName(buf, offset).next + 4;
    const records: DnsRecord[] = [];
    for (let i = 0; i < rrCount && offset < buf.length; i++) {
      const { name, next } = readName(buf, offset);
      if (next + 10 > buf.length) break;
      const type = buf.readUInt16BE(next);
      const rdlength = buf.readUInt16BE(next + 8);
      const rdata = next + 10;
      if (rdata + rdlength > buf.length) break;
      offset = rdata + rdlength;
      if (type === TYPE.PTR) records.push({ name, type, data: readName(buf, rdata).name });
      else if (type === TYPE.SRV && rdlength > 6) records.push({ name, type, data: readName(buf, rdata + 6).name });
      else if (type === TYPE.A && rdlength === 4) records.push({ name, type, data: [...buf.subarray(rdata, rdata + 4)].join('.') });
      else if (type === TYPE.TXT) {
        const txt: string[] = [];
        for (let p = rdata; p < rdata + rdlength; ) {
          const len = buf[p]!;
          if (p + 1 + len > rdata + rdlength) break;
          if (len > 0) txt.push(buf.subarray(p + 1, p + 1 + len).toString('utf8'));
          p += 1 + len;
        }
        records.push({ name, type, data: txt.join('\u0000'), txt });
      }
    }
    return { id, records };
  } catch {
    return null;
  }
}
