// A hostile SNMP "agent" on loopback: one UDP socket per address, each misbehaving in its own way.
// It speaks just enough BER (written here, not borrowed from net-snmp, so that the answers can be
// broken on purpose) to read a v1/v2c request and build a response to it.
import { createSocket, type Socket } from 'node:dgram';

export type Behaviour =
  /** Answers with bytes that are not BER at all, or BER whose lengths point past the end. */
  | 'malformed'
  /** A correct response cut in half. */
  | 'truncated'
  /** A 60 kB sysDescr. */
  | 'huge'
  /** sysName and sysDescr that are not UTF-8. */
  | 'bad-utf8'
  /** GETNEXT / GETBULK answer the OID asked for (not a greater one). */
  | 'non-increasing'
  /** Every table goes on for ever: GETNEXT / GETBULK always have a next row in the subtree. */
  | 'endless'
  /** Correct answers, after the client's timeout. */
  | 'slow'
  /** A well-behaved small agent (net-snmp on Linux). */
  | 'good';

export interface HostileAgent {
  address: string;
  port: number;
  behaviour: Behaviour;
  requests: number;
  close(): Promise<void>;
}

const SYS = '1.3.6.1.2.1.1';
const NET_SNMP_LINUX = '1.3.6.1.4.1.8072.3.2.10';
/** The arc that marks OIDs of the endless table, so the next request can be told from a first one. */
const ENDLESS_ARC = 999_999;

export async function startHostileAgent(address: string, port: number, behaviour: Behaviour, options: { slowMs?: number } = {}): Promise<HostileAgent> {
  const socket: Socket = createSocket('udp4');
  const agent: HostileAgent = {
    address,
    port,
    behaviour,
    requests: 0,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
  let malformedTurn = 0;
  socket.on('message', (msg, rinfo) => {
    agent.requests++;
    const send = (reply: Buffer): void => void socket.send(reply, rinfo.port, rinfo.address, () => undefined);
    let request: SnmpRequest;
    try {
      request = parseRequest(msg);
    } catch {
      return; // not SNMP v1/v2c: say nothing, as an agent would
    }
    if (behaviour === 'malformed') {
      send(MALFORMED[malformedTurn++ % MALFORMED.length]!(request));
      return;
    }
    const reply = respond(request, behaviour);
    if (behaviour === 'truncated') send(reply.subarray(0, Math.floor(reply.length / 2)));
    else if (behaviour === 'slow') setTimeout(() => send(reply), options.slowMs ?? 2000);
    else send(reply);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, address, () => resolve());
  });
  return agent;
}

// ---------------------------------------------------------------------------------------------
// Answers

type Value = { type: 'octets'; bytes: Buffer } | { type: 'oid'; oid: string } | { type: 'ticks'; n: number } | { type: 'noSuchObject' } | { type: 'endOfMibView' };

function systemValue(oid: string, behaviour: Behaviour): Value {
  const text = (s: string): Value => ({ type: 'octets', bytes: Buffer.from(s, 'latin1') });
  switch (oid) {
    case `${SYS}.1.0`:
      if (behaviour === 'huge') return { type: 'octets', bytes: Buffer.alloc(60_000, 'A') };
      if (behaviour === 'bad-utf8') return { type: 'octets', bytes: Buffer.from([0x4c, 0x69, 0x6e, 0x75, 0x78, 0x20, 0xc3, 0x28, 0xff, 0xfe, 0xa0, 0xa1]) };
      return text('Linux hostile 6.1.0-13-amd64 #1 SMP x86_64');
    case `${SYS}.2.0`:
      return { type: 'oid', oid: NET_SNMP_LINUX };
    case `${SYS}.3.0`:
      return { type: 'ticks', n: 123456 };
    case `${SYS}.5.0`:
      if (behaviour === 'bad-utf8') return { type: 'octets', bytes: Buffer.from([0x62, 0x61, 0x64, 0xff, 0xfe, 0xc3, 0x28]) };
      return text(`${behaviour}-agent`);
    default:
      return { type: 'noSuchObject' };
  }
}

function respond(request: SnmpRequest, behaviour: Behaviour): Buffer {
  let varbinds: [string, Value][];
  if (request.pdu === PDU.get) {
    varbinds = request.oids.map((oid) => [oid, systemValue(oid, behaviour)]);
  } else {
    const repetitions = request.pdu === PDU.getBulk ? Math.max(1, Math.min(request.maxRepetitions, 50)) : 1;
    varbinds = [];
    for (const oid of request.oids) {
      for (let i = 1; i <= repetitions; i++) varbinds.push(nextOf(oid, i, behaviour));
    }
  }
  return encodeResponse(request, varbinds);
}

/** The i-th OID after `oid` in a walk, as this behaviour sees it. */
function nextOf(oid: string, i: number, behaviour: Behaviour): [string, Value] {
  const octets = (s: string): Value => ({ type: 'octets', bytes: Buffer.from(s) });
  if (behaviour === 'non-increasing') return [oid, octets('same again')];
  if (behaviour === 'endless') {
    const marker = `.1.${ENDLESS_ARC}.`;
    const at = oid.indexOf(marker);
    const [root, k] = at >= 0 ? [oid.slice(0, at), Number(oid.slice(at + marker.length))] : [oid, 0];
    return [`${root}${marker}${k + i}`, octets(`row ${k + i}`)];
  }
  return [oid, { type: 'endOfMibView' }];
}

const MALFORMED: ((r: SnmpRequest) => Buffer)[] = [
  // A SEQUENCE whose length runs far past the datagram.
  () => Buffer.from([0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x02, 0x01, 0x01]),
  // Random bytes.
  () => Buffer.from('6f2d1b00ffee10203040aa55aa55deadbeef', 'hex'),
  // The right request id in an envelope whose inner lengths lie.
  (r) => {
    const good = encodeResponse(r, r.oids.map((oid) => [oid, { type: 'octets', bytes: Buffer.from('x') }]));
    const bad = Buffer.from(good);
    bad[bad.length - 3] = 0x7f; // the last varbind's value claims 127 bytes
    return bad;
  },
  // An INTEGER of 200 bytes where the version should be.
  () => tlv(0x30, Buffer.concat([tlv(0x02, Buffer.alloc(200, 0xff)), tlv(0x04, Buffer.from('public'))])),
  // An empty datagram.
  () => Buffer.alloc(0),
];

// ---------------------------------------------------------------------------------------------
// BER

const PDU = { get: 0xa0, getNext: 0xa1, response: 0xa2, getBulk: 0xa5 } as const;

interface SnmpRequest {
  version: number;
  community: Buffer;
  pdu: number;
  requestId: number;
  maxRepetitions: number;
  oids: string[];
}

interface Tlv {
  tag: number;
  value: Buffer;
  end: number;
}

function readTlv(buf: Buffer, offset: number): Tlv {
  const tag = buf[offset]!;
  let len = buf[offset + 1]!;
  let start = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i]!;
    start += n;
  }
  if (start + len > buf.length || Number.isNaN(len)) throw new Error('short');
  return { tag, value: buf.subarray(start, start + len), end: start + len };
}

function children(buf: Buffer): Tlv[] {
  const out: Tlv[] = [];
  for (let offset = 0; offset < buf.length; ) {
    const t = readTlv(buf, offset);
    out.push(t);
    offset = t.end;
  }
  return out;
}

function readInt(b: Buffer): number {
  let n = b[0]! & 0x80 ? -1 : 0;
  for (const byte of b) n = n * 256 + byte;
  return n;
}

function readOid(b: Buffer): string {
  const arcs: number[] = [];
  let n = 0;
  for (const byte of b) {
    n = n * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      if (arcs.length === 0) arcs.push(n < 80 ? Math.floor(n / 40) : 2, n < 80 ? n % 40 : n - 80);
      else arcs.push(n);
      n = 0;
    }
  }
  return arcs.join('.');
}

function parseRequest(msg: Buffer): SnmpRequest {
  const top = readTlv(msg, 0);
  if (top.tag !== 0x30) throw new Error('not a sequence');
  const [version, community, pdu] = children(top.value);
  if (!version || !community || !pdu || version.tag !== 0x02 || community.tag !== 0x04) throw new Error('not v1/v2c');
  const [requestId, , maxRepetitions, varbindList] = children(pdu.value);
  const oids = children(varbindList!.value).map((vb) => readOid(children(vb.value)[0]!.value));
  return {
    version: readInt(version.value),
    community: community.value,
    pdu: pdu.tag,
    requestId: readInt(requestId!.value),
    maxRepetitions: readInt(maxRepetitions!.value),
    oids,
  };
}

function encodeLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, value: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(value.length), value]);
}

function encodeInt(n: number): Buffer {
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v !== 0 && v !== -1);
  if (n >= 0 && bytes[0]! & 0x80) bytes.unshift(0);
  if (n < 0 && !(bytes[0]! & 0x80)) bytes.unshift(0xff);
  return tlv(0x02, Buffer.from(bytes));
}

function encodeOid(oid: string): Buffer {
  const arcs = oid.split('.').map(Number);
  const out: number[] = [arcs[0]! * 40 + arcs[1]!];
  for (const arc of arcs.slice(2)) {
    const septets: number[] = [];
    let v = arc;
    do {
      septets.unshift(v & 0x7f);
      v = Math.floor(v / 128);
    } while (v > 0);
    out.push(...septets.map((s, i) => (i < septets.length - 1 ? s | 0x80 : s)));
  }
  return tlv(0x06, Buffer.from(out));
}

function encodeValue(v: Value): Buffer {
  switch (v.type) {
    case 'octets':
      return tlv(0x04, v.bytes);
    case 'oid':
      return encodeOid(v.oid);
    case 'ticks': {
      const int = encodeInt(v.n);
      int[0] = 0x43;
      return int;
    }
    case 'noSuchObject':
      return Buffer.from([0x80, 0x00]);
    case 'endOfMibView':
      return Buffer.from([0x82, 0x00]);
  }
}

function encodeResponse(request: SnmpRequest, varbinds: [string, Value][]): Buffer {
  const list = tlv(0x30, Buffer.concat(varbinds.map(([oid, v]) => tlv(0x30, Buffer.concat([encodeOid(oid), encodeValue(v)])))));
  const pdu = tlv(PDU.response, Buffer.concat([encodeInt(request.requestId), encodeInt(0), encodeInt(0), list]));
  return tlv(0x30, Buffer.concat([encodeInt(request.version), tlv(0x04, request.community), pdu]));
}
