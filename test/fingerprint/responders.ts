// Protocol responders on loopback for the fingerprint tests: an HTTP server, an mDNS responder, an
// SSDP responder with its description over HTTP, and a NetBIOS node-status responder. Each binds a
// 127.50.x.x address and a port the test picks, since the probes' ports are settings.
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:http';
import { encodeName } from '../../src/scan/fingerprint/dns-message.js';

export interface Closer {
  close(): Promise<void>;
}

export async function httpResponder(address: string, port: number, respond: (path: string) => { status?: number; headers?: Record<string, string>; body: string }): Promise<Closer> {
  const server: Server = createServer((req, res) => {
    const r = respond(req.url ?? '/');
    res.writeHead(r.status ?? 200, { 'Content-Type': 'text/html', ...(r.headers ?? {}) });
    res.end(r.body);
  });
  await new Promise<void>((resolve) => server.listen(port, address, resolve));
  return { close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function udpResponder(address: string, port: number, answer: (msg: Buffer) => Buffer | Buffer[] | null): Promise<Closer> {
  const socket: Socket = createSocket('udp4');
  socket.on('message', (msg, rinfo) => {
    const out = answer(msg);
    for (const b of out === null ? [] : Array.isArray(out) ? out : [out]) socket.send(b, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(port, address, resolve));
  return { close: () => new Promise((resolve) => socket.close(() => resolve())) };
}

function rr(name: string, type: number, rdata: Buffer): Buffer {
  const head = Buffer.alloc(10);
  head.writeUInt16BE(type, 0);
  head.writeUInt16BE(1, 2);
  head.writeUInt32BE(120, 4);
  head.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([encodeName(name), head, rdata]);
}

function questions(msg: Buffer): string[] {
  const names: string[] = [];
  let offset = 12;
  for (let q = 0; q < msg.readUInt16BE(4); q++) {
    const labels: string[] = [];
    while (msg[offset] !== 0) {
      labels.push(msg.subarray(offset + 1, offset + 1 + msg[offset]!).toString());
      offset += msg[offset]! + 1;
    }
    offset += 5;
    names.push(labels.join('.').toLowerCase());
  }
  return names;
}

/** Answers legacy-unicast DNS-SD: service types, instances with TXT, and the reverse name. */
export function mdnsResponder(address: string, port: number, services: Record<string, { instance: string; txt: string[] }>, hostname: string): Promise<Closer> {
  const reverse = `${address.split('.').reverse().join('.')}.in-addr.arpa`;
  return udpResponder(address, port, (msg) => {
    const answers: Buffer[] = [];
    for (const q of questions(msg)) {
      if (q === '_services._dns-sd._udp.local') for (const s of Object.keys(services)) answers.push(rr(q, 12, encodeName(s)));
      else if (q === reverse) answers.push(rr(q, 12, encodeName(hostname)));
      else if (services[q]) {
        answers.push(rr(q, 12, encodeName(services[q]!.instance)));
        answers.push(rr(services[q]!.instance, 16, Buffer.concat(services[q]!.txt.map((t) => Buffer.concat([Buffer.from([t.length]), Buffer.from(t)])))));
      }
    }
    if (answers.length === 0) return null;
    const header = Buffer.alloc(12);
    msg.copy(header, 0, 0, 2);
    header.writeUInt16BE(0x8400, 2);
    header.writeUInt16BE(answers.length, 6);
    return Buffer.concat([header, ...answers]);
  });
}

export function ssdpResponder(address: string, port: number, location: string, server: string): Promise<Closer> {
  return udpResponder(address, port, (msg) =>
    msg.toString().startsWith('M-SEARCH')
      ? Buffer.from(`HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nEXT:\r\nLOCATION: ${location}\r\nSERVER: ${server}\r\nST: upnp:rootdevice\r\nUSN: uuid:1234::upnp:rootdevice\r\n\r\n`)
      : null,
  );
}

export function netbiosResponder(address: string, port: number, names: { name: string; suffix: number; group: boolean }[], mac: number[]): Promise<Closer> {
  return udpResponder(address, port, (msg) => {
    if (msg.length < 50 || msg.readUInt16BE(46) !== 0x21) return null;
    const header = Buffer.alloc(12);
    msg.copy(header, 0, 0, 2);
    header.writeUInt16BE(0x8400, 2);
    header.writeUInt16BE(1, 6);
    const entries = names.map((n) => {
      const e = Buffer.alloc(18, 0x20);
      e.write(n.name.padEnd(15, ' '), 0, 'latin1');
      e[15] = n.suffix;
      e.writeUInt16BE(n.group ? 0x8400 : 0x0400, 16);
      return e;
    });
    const rdata = Buffer.concat([Buffer.from([names.length]), ...entries, Buffer.from(mac), Buffer.alloc(40)]);
    const fixed = Buffer.alloc(10);
    fixed.writeUInt16BE(0x21, 0);
    fixed.writeUInt16BE(1, 2);
    fixed.writeUInt16BE(rdata.length, 8);
    return Buffer.concat([header, msg.subarray(12, 12 + 34), fixed, rdata]);
  });
}
