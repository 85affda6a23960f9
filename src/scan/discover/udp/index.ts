// UDP probes of the sweep. Sends: for each address, an SNMP GetRequest for sysObjectID.0 per
// configured v1/v2c community to the SNMP port (an answer is proof of life and the start of SNMP
// interrogation); with no community configured, one empty datagram to port 33434 instead, sent only
// so that the kernel resolves the address's MAC (ARP) for the neighbour table.
//
// Caveat (measured on the lab, see ../shared/lab/README.md): a datagram to a local address whose ARP
// is unresolved waits in the kernel for up to 3 s charged to the sending socket's send buffer; a
// stock buffer holds about 200 such datagrams, past which sends stall. So probes go out over a pool of
// sockets, each asking for the largest buffer the kernel allows, sized for the probes in flight.
import { createSocket, type Socket } from 'node:dgram';
import { decodeGetResponse, encodeGetRequest } from './snmp-probe-codec.js';

export interface UdpProberOptions {
  communities: string[];
  version: 'v1' | 'v2c';
  snmpPort: number;
  /** Datagrams that may wait for ARP at once; decides the number of sockets. */
  maxPending: number;
  /** The kernel's ceiling for a socket's send buffer (net.core.wmem_max). */
  wmemMax: number;
  onAnswer: (address: string, sysObjectID: string | null, communityIndex: number, rttMs: number) => void;
}

/** About what one small datagram costs a socket's send buffer while it waits (skb truesize). */
const BYTES_PER_PENDING = 1152;
const TRIGGER_PORT = 33434;

export class UdpProber {
  private sockets: Socket[] = [];
  private next = 0;
  private requestId = Math.floor(Math.random() * 0x3fffffff);
  private readonly outstanding = new Map<number, { address: string; community: number; sentAt: number }>();
  private readonly idsByAddress = new Map<string, number[]>();
  sendErrors = 0;
  sent = 0;

  constructor(private readonly options: UdpProberOptions) {}

  async open(): Promise<void> {
    const perSocket = Math.max(64, Math.floor(this.options.wmemMax / BYTES_PER_PENDING));
    const count = Math.min(256, Math.max(1, Math.ceil(this.options.maxPending / perSocket)));
    for (let i = 0; i < count; i++) {
      const socket = createSocket({ type: 'udp4', sendBufferSize: this.options.wmemMax });
      socket.on('message', (msg, rinfo) => this.onMessage(msg, rinfo.address));
      // An ICMP error or a bad datagram must never end the scan.
      socket.on('error', () => {
        this.sendErrors++;
      });
      await new Promise<void>((resolve) => socket.bind(0, () => resolve()));
      this.sockets.push(socket);
    }
  }

  get socketCount(): number {
    return this.sockets.length;
  }

  /** Sends this address's probes; resolves when handed to the kernel. */
  probe(address: string): Promise<void> {
    const sends: Promise<void>[] = [];
    if (this.options.communities.length === 0) {
      sends.push(this.send(Buffer.alloc(0), TRIGGER_PORT, address));
    } else {
      const ids: number[] = [];
      this.idsByAddress.set(address, ids);
      this.options.communities.forEach((community, index) => {
        this.requestId = (this.requestId + 1) & 0x3fffffff;
        ids.push(this.requestId);
        this.outstanding.set(this.requestId, { address, community: index, sentAt: performance.now() });
        sends.push(this.send(encodeGetRequest(this.options.version, community, this.requestId), this.options.snmpPort, address));
      });
    }
    return Promise.all(sends).then(() => undefined);
  }

  /** Forgets requests to an address that is decided, so late or forged answers are ignored. */
  forget(address: string): void {
    for (const id of this.idsByAddress.get(address) ?? []) this.outstanding.delete(id);
    this.idsByAddress.delete(address);
  }

  private send(payload: Buffer, port: number, address: string): Promise<void> {
    const socket = this.sockets[this.next++ % this.sockets.length]!;
    return new Promise((resolve) => {
      socket.send(payload, port, address, (error) => {
        if (error) this.sendErrors++;
        else this.sent++;
        resolve();
      });
    });
  }

  private onMessage(msg: Buffer, from: string): void {
    const answer = decodeGetResponse(msg);
    if (!answer) return;
    const req = this.outstanding.get(answer.requestId);
    // Only an answer from the address we asked counts (no spoofed or stray datagrams).
    if (!req || req.address !== from) return;
    this.outstanding.delete(answer.requestId);
    this.options.onAnswer(from, answer.value, req.community, Math.round((performance.now() - req.sentAt) * 100) / 100);
  }

  close(): void {
    for (const socket of this.sockets) socket.close();
    this.sockets = [];
    this.outstanding.clear();
    this.idsByAddress.clear();
  }
}
