// A tiny authoritative DNS server on loopback that answers PTR queries from a map the test controls,
// so reverse-DNS names (and so identity by hostname) can be set up without touching the system
// resolver. Unknown names get NXDOMAIN. An optional delay makes lookups slow on purpose.
import { createSocket, type Socket } from 'node:dgram';

export interface TestDnsServer {
  /** "127.0.0.1:PORT", for --dns-server. */
  address: string;
  ptr: Map<string, string>;
  delayMs: number;
  queries: number;
  close(): Promise<void>;
}

export async function startDnsServer(host = '127.0.0.1'): Promise<TestDnsServer> {
  const socket: Socket = createSocket('udp4');
  const server: TestDnsServer = {
    address: '',
    ptr: new Map(),
    delayMs: 0,
    queries: 0,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
  socket.on('message', (msg, rinfo) => {
    server.queries++;
    const reply = answer(msg, server.ptr);
    if (!reply) return;
    const send = (): void => void socket.send(reply, rinfo.port, rinfo.address);
    if (server.delayMs > 0) setTimeout(send, server.delayMs);
    else send();
  });
  await new Promise<void>((resolve) => socket.bind(0, host, () => resolve()));
  server.address = `${host}:${socket.address().port}`;
  return server;
}

function answer(query: Buffer, ptr: Map<string, string>): Buffer | null {
  if (query.length < 12) return null;
  // Question: labels from offset 12, then qtype and qclass.
  const labels: string[] = [];
  let offset = 12;
  while (offset < query.length && query[offset] !== 0) {
    const len = query[offset]!;
    labels.push(query.subarray(offset + 1, offset + 1 + len).toString('ascii'));
    offset += len + 1;
  }
  const questionEnd = offset + 5;
  const qtype = query.readUInt16BE(offset + 1);
  const name = labels.join('.').toLowerCase();
  const address = name.endsWith('.in-addr.arpa') ? name.slice(0, -'.in-addr.arpa'.length).split('.').reverse().join('.') : '';
  const target = qtype === 12 ? ptr.get(address) : undefined;

  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2); // id
  header.writeUInt16BE(target ? 0x8580 : 0x8583, 2); // response, authoritative, RD/RA; NXDOMAIN when unknown
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(target ? 1 : 0, 6);
  const question = query.subarray(12, questionEnd);
  if (!target) return Buffer.concat([header, question]);
  const rdata = encodeName(target);
  const rr = Buffer.alloc(12);
  rr.writeUInt16BE(0xc00c, 0); // pointer to the question's name
  rr.writeUInt16BE(12, 2); // PTR
  rr.writeUInt16BE(1, 4); // IN
  rr.writeUInt32BE(60, 6);
  rr.writeUInt16BE(rdata.length, 10);
  return Buffer.concat([header, question, rr, rdata]);
}

function encodeName(name: string): Buffer {
  const parts = name.split('.').filter(Boolean);
  return Buffer.concat([...parts.map((p) => Buffer.concat([Buffer.from([p.length]), Buffer.from(p, 'ascii')])), Buffer.from([0])]);
}
