// Just enough BER to ask one question during the sweep: an SNMP v1/v2c GetRequest for
// sysObjectID.0, and the reading of its answer. Full interrogation uses net-snmp (scan/snmp); this
// codec exists because the sweep sends one datagram per address from a small pool of sockets, which
// net-snmp's one-socket-per-session model cannot do. Answers are hostile input: every length is
// checked against the buffer, and anything malformed decodes to null.

export const SYS_OBJECT_ID_OID = '1.3.6.1.2.1.1.2.0';

export function encodeGetRequest(version: 'v1' | 'v2c', community: string, requestId: number, oid = SYS_OBJECT_ID_OID): Buffer {
  const varbind = tlv(0x30, Buffer.concat([encodeOid(oid), Buffer.from([0x05, 0x00])]));
  const pdu = tlv(
    0xa0,
    Buffer.concat([encodeInt(requestId), encodeInt(0), encodeInt(0), tlv(0x30, varbind)]),
  );
  return tlv(
    0x30,
    Buffer.concat([encodeInt(version === 'v1' ? 0 : 1), tlv(0x04, Buffer.from(community, 'utf8')), pdu]),
  );
}

export interface ProbeAnswer {
  requestId: number;
  errorStatus: number;
  /** The OID value of the first varbind, when it is an OBJECT IDENTIFIER. */
  value: string | null;
}

/** Decodes a GetResponse; null for anything that is not a well-formed one. */
export function decodeGetResponse(buf: Buffer): ProbeAnswer | null {
  try {
    const msg = readTlv(buf, 0);
    if (!msg || msg.tag !== 0x30 || msg.end !== buf.length) return null;
    const version = readTlv(buf, msg.start);
    if (!version || version.tag !== 0x02) return null;
    const community = readTlv(buf, version.end);
    if (!community || community.tag !== 0x04) return null;
    const pdu = readTlv(buf, community.end);
    if (!pdu || pdu.tag !== 0xa2) return null;
    const reqId = readTlv(buf, pdu.start);
    if (!reqId || reqId.tag !== 0x02 || reqId.end - reqId.start > 5) return null;
    const err = readTlv(buf, reqId.end);
    if (!err || err.tag !== 0x02) return null;
    const errIndex = readTlv(buf, err.end);
    if (!errIndex || errIndex.tag !== 0x02) return null;
    const list = readTlv(buf, errIndex.end);
    if (!list || list.tag !== 0x30) return null;
    const requestId = readInt(buf, reqId.start, reqId.end);
    const errorStatus = readInt(buf, err.start, Math.min(err.end, err.start + 4));
    let value: string | null = null;
    const vb = readTlv(buf, list.start);
    if (vb && vb.tag === 0x30) {
      const name = readTlv(buf, vb.start);
      const val = name ? readTlv(buf, name.end) : null;
      if (val && val.tag === 0x06) value = decodeOid(buf.subarray(val.start, val.end));
    }
    return { requestId, errorStatus, value };
  } catch {
    return null;
  }
}

interface Tlv {
  tag: number;
  start: number;
  end: number;
}

function readTlv(buf: Buffer, offset: number): Tlv | null {
  if (offset + 2 > buf.length) return null;
  const tag = buf[offset]!;
  let len = buf[offset + 1]!;
  let start = offset + 2;
  if (len & 0x80) {
    const bytes = len & 0x7f;
    if (bytes === 0 || bytes > 3 || start + bytes > buf.length) return null;
    len = 0;
    for (let i = 0; i < bytes; i++) len = len * 256 + buf[start + i]!;
    start += bytes;
  }
  const end = start + len;
  if (end > buf.length) return null;
  return { tag, start, end };
}

function readInt(buf: Buffer, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) n = n * 256 + buf[i]!;
  return n;
}

function tlv(tag: number, body: Buffer): Buffer {
  const len = body.length;
  const header =
    len < 0x80 ? Buffer.from([tag, len]) : len < 0x100 ? Buffer.from([tag, 0x81, len]) : Buffer.from([tag, 0x82, len >> 8, len & 0xff]);
  return Buffer.concat([header, body]);
}

function encodeInt(n: number): Buffer {
  const bytes: number[] = [];
  let v = n >>> 0;
  do {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v > 0);
  if (bytes[0]! & 0x80) bytes.unshift(0);
  return tlv(0x02, Buffer.from(bytes));
}

function encodeOid(oid: string): Buffer {
  const parts = oid.split('.').map(Number);
  const bytes = [parts[0]! * 40 + parts[1]!];
  for (const p of parts.slice(2)) {
    const chunk: number[] = [p & 0x7f];
    let v = Math.floor(p / 128);
    while (v > 0) {
      chunk.unshift((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function decodeOid(body: Buffer): string | null {
  if (body.length === 0 || body.length > 128) return null;
  const first = body[0]!;
  const parts = [Math.min(2, Math.floor(first / 40)), first - Math.min(2, Math.floor(first / 40)) * 40];
  let v = 0;
  for (let i = 1; i < body.length; i++) {
    v = v * 128 + (body[i]! & 0x7f);
    if (v > 0xffffffff) return null;
    if (!(body[i]! & 0x80)) {
      parts.push(v);
      v = 0;
    }
  }
  if (body[body.length - 1]! & 0x80) return null;
  return parts.join('.');
}
