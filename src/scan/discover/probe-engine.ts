// The sending half of the sweep: UDP datagrams (ARP triggers and SNMP GETs) and TCP connects. It
// runs in worker threads on a large sweep (see probe-pool.ts), because every send to an unresolved
// local address costs tens of microseconds of kernel time (neighbour entry, ARP broadcast) charged to
// the sending thread: on one thread a /16 spends most of its time inside sendto(). The engine only
// sends and reports; every decision (pacing, liveness, verdicts) stays with the sweep.
//
// Addresses travel as 32-bit integers, and replies are batched, so that the messages between the
// threads cost little next to the probes themselves.
import { dottedToInt, intToIp } from './ip-int.js';
import { ConnectProber } from './tcp/connect-prober.js';
import type { PortOutcome } from './tcp/index.js';
import { UdpProber } from './udp/index.js';

export interface ProbeEngineOptions {
  communities: string[];
  snmpVersion: 'v1' | 'v2c';
  snmpPort: number;
  /** Datagrams that may wait for ARP at once in this engine; sizes its socket pool (0: it sends none). */
  maxPending: number;
  wmemMax: number;
  ports: number[];
  connectTimeoutMs: number;
  /** TCP sockets in flight at most in this engine. */
  concurrency: number;
}

export type EngineRequest =
  | { type: 'udp'; addrs: number[] }
  | { type: 'forget'; addrs: number[] }
  /** Flattened pairs: job id, address. Each job connects to every port of the list. */
  | { type: 'tcp'; jobs: number[] }
  | { type: 'abort' }
  | { type: 'close' };

export type EngineEvent =
  | { type: 'ready'; sockets: number }
  /** These addresses' datagrams were taken by the kernel by `at` (epoch ms). */
  | { type: 'sent'; addrs: number[]; at: number }
  | { type: 'snmp'; addr: number; rttMs: number }
  | { type: 'tcp'; results: { id: number; outcomes: PortOutcome[] }[] }
  | { type: 'closed'; sendErrors: number; sent: number };

export class ProbeEngine {
  private readonly udp: UdpProber;
  private readonly connects: ConnectProber;
  private sentBatch: number[] = [];
  private tcpBatch: { id: number; outcomes: PortOutcome[] }[] = [];
  private flushQueued = false;
  private opened = false;
  private readonly early: EngineRequest[] = [];

  constructor(
    private readonly options: ProbeEngineOptions,
    private readonly emit: (event: EngineEvent) => void,
  ) {
    this.connects = new ConnectProber({ concurrency: Math.max(1, options.concurrency), timeoutMs: options.connectTimeoutMs });
    this.udp = new UdpProber({
      communities: options.communities,
      version: options.snmpVersion,
      snmpPort: options.snmpPort,
      maxPending: options.maxPending,
      wmemMax: options.wmemMax,
      onAnswer: (address, _sysObjectID, _community, rttMs) => this.emit({ type: 'snmp', addr: dottedToInt(address), rttMs }),
    });
  }

  async open(): Promise<void> {
    if (this.options.maxPending > 0) await this.udp.open();
    this.opened = true;
    this.emit({ type: 'ready', sockets: this.udp.socketCount });
    for (const request of this.early.splice(0)) this.handle(request);
  }

  /** Requests may come before the sockets are open (the sweep does not wait): datagrams wait for them. */
  handle(request: EngineRequest): void {
    if (!this.opened && (request.type === 'udp' || request.type === 'forget')) {
      this.early.push(request);
      return;
    }
    switch (request.type) {
      case 'udp':
        for (const addr of request.addrs) {
          void this.udp.probe(intToIp(addr)).then(() => {
            this.sentBatch.push(addr);
            this.queueFlush();
          });
        }
        return;
      case 'forget':
        for (const addr of request.addrs) this.udp.forget(intToIp(addr));
        return;
      case 'tcp':
        for (let i = 0; i < request.jobs.length; i += 2) this.connectAll(request.jobs[i]!, request.jobs[i + 1]!);
        return;
      case 'abort':
        this.connects.abort();
        return;
      case 'close':
        this.flush();
        this.udp.close();
        this.emit({ type: 'closed', sendErrors: this.udp.sendErrors, sent: this.udp.sent });
        return;
    }
  }

  private connectAll(id: number, addr: number): void {
    this.connects.probeHost(intToIp(addr), this.options.ports, (outcomes) => {
      this.tcpBatch.push({ id, outcomes });
      this.queueFlush();
    });
  }

  /** Replies go out together once the current burst of callbacks is done. */
  private queueFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushQueued = false;
    if (this.sentBatch.length > 0) {
      this.emit({ type: 'sent', addrs: this.sentBatch, at: performance.timeOrigin + performance.now() });
      this.sentBatch = [];
    }
    if (this.tcpBatch.length > 0) {
      this.emit({ type: 'tcp', results: this.tcpBatch });
      this.tcpBatch = [];
    }
  }
}
