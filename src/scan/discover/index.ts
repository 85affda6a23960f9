// Discovery: one asynchronous sweep of the whole range, all methods in flight together.
//
// Sends, per address:
//   - local segment (same subnet as an interface): one UDP datagram (an SNMP sysObjectID GET per
//     configured community, else an empty one to port 33434). Its real job is to make the kernel ARP
//     for the address; the neighbour table, read every few hundred ms during the sweep, then names
//     every host that answered ARP, with its MAC, even one that drops every IP packet. A host found
//     so gets TCP connects to the port list and an ICMP echo (batched through fping) for its open
//     ports, round trip and how it answers.
//   - elsewhere (routed subnets, loopback): TCP connects to the port list, ICMP echo through fping,
//     and the SNMP GETs. Any answer proves the host alive.
// A live host is handed on as soon as its probes are done (a stream, not phase barriers).
//
// Pacing (see ../shared/lab/README.md "Limits found"): probes go out at most --rate a second; local
// datagrams waiting for ARP are capped at half the kernel's neighbour-table size (gc_thresh3), since
// past it the kernel drops new entries; they go out over a pool of sockets with large send buffers
// so that none stalls; TCP sockets in flight are capped by --concurrency.
//
// Retries: the kernel itself sends up to three ARP requests a second apart. How many live hosts
// needed more than the first one measures the loss on the segment; when that loss makes it likely
// that some live host missed all three, every local address that stayed silent gets a second pass
// at the end (a busy lab machine loses ARP answers in bursts; a quiet LAN needs no second pass).
import pLimit from 'p-limit';
import type { Liveness, Observation, OpenPort, ScanStatus } from '../../model/index.js';
import { AsyncQueue } from '../async-queue.js';
import type { Discoverer, ScanContext } from '../scanner.js';
import type { SystemTools } from '../tools.js';
import { readNeighbourLimits, readNeighbours, type NeighbourLimits } from './arp/neighbour-table.js';
import { readSoftnetDrops } from './congestion.js';
import { pingAll } from './icmp/index.js';
import { localSegments, segmentOf, type LocalSegment } from './local-segment.js';
import { firstAnswer, probePort, silentStatus, type PortOutcome } from './tcp/index.js';
import { UdpProber } from './udp/index.js';

export interface SweepOptions {
  ports: number[];
  connectTimeoutMs: number;
  /** TCP sockets in flight at most. */
  concurrency: number;
  /** Probes (datagrams and connects) per second at most. */
  rate: number;
  icmp: boolean;
  icmpTimeoutMs: number;
  arp: boolean;
  /** How long a local address may take to answer ARP (the kernel gives up after about 3 s). */
  arpWaitMs: number;
  /** A second pass over silent local addresses: when the measured loss calls for it, always, or never. */
  secondPass: 'auto' | 'always' | 'never';
  communities: string[];
  snmpVersion: 'v1' | 'v2c';
  snmpPort: number;
  snmpTimeoutMs: number;
  tools: SystemTools;
  /** For tests: the machine's segments and kernel limits, instead of reading them. */
  segments?: LocalSegment[];
  limits?: NeighbourLimits;
}

export interface MethodReport {
  method: 'arp' | 'icmp' | 'tcp' | 'snmp';
  ran: boolean;
  /** Why it did not run, or how it ran ("fping", "ping per address"). */
  note: string;
}

export interface SweepReport {
  methods: MethodReport[];
  warnings: string[];
  sendErrors: number;
  /** Local addresses probed a second time because ARP answers were being lost. */
  retried: number;
  /** Live local hosts that answered the kernel's first ARP request, and those that needed a later one. */
  arpFirstTry: number;
  arpLaterTry: number;
  /** Packets the kernel dropped (receive backlog) during the sweep, machine-wide. */
  drops: number;
  udpSockets: number;
  localPendingCap: number | null;
}

interface HostState {
  address: string;
  segment: LocalSegment | null;
  sentAt: number;
  liveness: Liveness[];
  mac: string | null;
  tcp: 'waiting' | 'running' | 'done';
  tcpOutcomes: PortOutcome[];
  icmp: 'waiting' | 'queued' | 'done';
  snmpDeadline: number;
  snmpAnswered: boolean;
  /** In the second pass (see "Retries" above). */
  retried: boolean;
}

export interface SweepDiscoverer extends Discoverer {
  report(): SweepReport;
}

export function sweepDiscoverer(options: SweepOptions): SweepDiscoverer {
  let lastReport: SweepReport = { methods: [], warnings: [], sendErrors: 0, retried: 0, arpFirstTry: 0, arpLaterTry: 0, drops: 0, udpSockets: 0, localPendingCap: null };
  return {
    name: 'discover',
    describe: 'one sweep: ARP via the neighbour table on local segments, ICMP (fping/ping), TCP connect, SNMP GET',
    report: () => lastReport,
    sweep(addresses, ctx) {
      const sweep = new Sweep(options, ctx);
      lastReport = sweep.report;
      return sweep.run(addresses);
    },
  };
}

const MAX_STATES = 50_000;
/** The kernel's timers run late on a busy machine: give its last ARP request this long to be answered. */
const ARP_MARGIN_MS = 500;
/** A live host on the segment answers the first ARP request well within this. */
const FIRST_ARP_ANSWER_MS = 300;

class Sweep {
  readonly report: SweepReport;
  private readonly out = new AsyncQueue<Observation>();
  private readonly states = new Map<string, HostState>();
  private readonly tcpLimit: ReturnType<typeof pLimit>;
  private readonly icmpLimit = pLimit(4);
  private readonly segments: LocalSegment[];
  private readonly ownAddresses: Set<string>;
  private udp: UdpProber | null = null;
  private icmpBatch: string[] = [];
  private icmpTimer: NodeJS.Timeout | null = null;
  /** Send times of local datagrams still within their ARP wait, oldest first, from pendingHead on. */
  private localPending: number[] = [];
  private pendingHead = 0;
  private localPendingCap = Number.POSITIVE_INFINITY;
  private feeding = true;
  private tokens = 0;
  private lastRefill = performance.now();
  private wake: (() => void) | null = null;
  private readonly icmpTool: string | null;
  private readonly rate: number;
  private firstDrops: number | null = null;
  private gcThresh3: number | null = null;
  private warnedTableLimit = false;
  /** Local addresses that stayed silent in the first pass: retried, or reported at the end. */
  private silentLocal: string[] = [];
  private prevReadStart = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly options: SweepOptions,
    private readonly ctx: ScanContext,
  ) {
    this.tcpLimit = pLimit(Math.max(1, options.concurrency));
    this.segments = options.arp ? (options.segments ?? localSegments()) : [];
    this.ownAddresses = new Set(this.segments.map((s) => s.own));
    this.icmpTool = options.icmp ? (options.tools.fping ?? options.tools.ping) : null;
    this.rate = options.rate;
    this.report = {
      methods: [
        {
          method: 'arp',
          ran: this.segments.length > 0 && options.arp,
          note: !options.arp ? 'turned off (--no-arp)' : this.segments.length === 0 ? 'no local segment on this machine' : `neighbour table of ${[...new Set(this.segments.map((s) => s.device))].join(', ')} (only for targets on those segments)`,
        },
        {
          method: 'icmp',
          ran: this.icmpTool !== null,
          note: !options.icmp
            ? 'turned off (--no-icmp)'
            : options.tools.fping
              ? 'fping'
              : options.tools.ping
                ? 'ping, one process per address (install fping for a faster sweep)'
                : 'neither fping nor ping is installed: hosts that answer only ICMP are missed',
        },
        { method: 'tcp', ran: options.ports.length > 0, note: `connect to ${options.ports.join(',')}` },
        {
          method: 'snmp',
          ran: options.communities.length > 0,
          note: options.communities.length > 0 ? `sysObjectID GET with ${options.communities.length} communit${options.communities.length === 1 ? 'y' : 'ies'}` : 'no v1/v2c community configured',
        },
      ],
      warnings: [],
      sendErrors: 0,
      retried: 0,
      arpFirstTry: 0,
      arpLaterTry: 0,
      drops: 0,
      udpSockets: 0,
      localPendingCap: null,
    };
  }

  async *run(addresses: Iterable<string> | AsyncIterable<string>): AsyncGenerator<Observation> {
    const limits = this.options.limits ?? (await readNeighbourLimits());
    if (this.segments.length > 0 && limits.gcThresh3 !== null) {
      this.localPendingCap = Math.max(64, Math.floor(limits.gcThresh3 / 2));
      this.report.localPendingCap = this.localPendingCap;
      this.gcThresh3 = limits.gcThresh3;
    }
    this.udp = new UdpProber({
      communities: this.options.communities,
      version: this.options.snmpVersion,
      snmpPort: this.options.snmpPort,
      maxPending: Math.min(this.localPendingCap, this.options.rate * (this.options.arpWaitMs / 1000)) || 1000,
      wmemMax: limits.wmemMax ?? 212_992,
      onAnswer: (address, _sysObjectID, _community, rttMs) => this.onSnmpAnswer(address, rttMs),
    });
    await this.udp.open();
    this.report.udpSockets = this.udp.socketCount;

    const poller = this.pollNeighbours();
    // Every refused connect makes Node build an Error with a stack trace nobody reads; on a sweep of
    // thousands of hosts that was 6% of the CPU. Stacks come back when the sweep ends.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    const feeder = this.feed(addresses).then(
      () => {
        this.feeding = false;
        this.maybeClose();
      },
      (error: unknown) => this.out.fail(error),
    );
    try {
      yield* this.out;
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
      this.feeding = false;
      await feeder;
      await poller;
      this.report.sendErrors = this.udp.sendErrors;
      this.udp.close();
      if (this.icmpTimer) clearTimeout(this.icmpTimer);
    }
  }

  private async feed(addresses: Iterable<string> | AsyncIterable<string>): Promise<void> {
    for await (const address of addresses as AsyncIterable<string>) {
      if (this.ctx.signal.aborted) break;
      await this.admit();
      if (this.ctx.signal.aborted) break;
      this.start(address, false);
    }
    if (this.segments.length === 0) return;
    // Wait for the first pass's local verdicts, then decide on a second pass.
    while (!this.ctx.signal.aborted && [...this.states.values()].some((s) => s.segment !== null)) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const silent = this.silentLocal;
    this.silentLocal = [];
    if (!this.ctx.signal.aborted && this.secondPassWorthIt()) {
      this.report.retried = silent.length;
      for (const address of silent) {
        if (this.ctx.signal.aborted) break;
        await this.admit();
        this.start(address, true);
      }
    } else {
      for (const address of silent) this.emitSilent(address);
    }
  }

  /**
   * The share of live hosts that needed the kernel's second or third ARP request estimates the
   * loss p per attempt; a live host misses all three with about p^3. A second pass is worth it
   * when that puts the expected number of missed hosts above 1 in 50.
   */
  private secondPassWorthIt(): boolean {
    if (this.options.secondPass !== 'auto') return this.options.secondPass === 'always';
    const { arpFirstTry, arpLaterTry } = this.report;
    const answered = arpFirstTry + arpLaterTry;
    const p = (arpLaterTry + 1) / (answered + 2);
    return answered * p ** 3 > 0.02;
  }

  /** Waits for a rate token, room under the local pending cap and TCP capacity. */
  private async admit(): Promise<void> {
    for (;;) {
      if (this.ctx.signal.aborted) return;
      const now = performance.now();
      this.tokens = Math.min(this.rate / 20 + 1, this.tokens + ((now - this.lastRefill) / 1000) * this.rate);
      this.lastRefill = now;
      this.expirePending(now);
      const tcpBusy = this.tcpLimit.pendingCount > this.options.concurrency * 2;
      if (this.pendingCount >= this.localPendingCap) this.warnTableLimit();
      if (this.tokens >= 1 && this.pendingCount < this.localPendingCap && !tcpBusy && this.states.size < MAX_STATES) {
        this.tokens -= 1;
        return;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, Math.max(1, Math.ceil(1000 / this.rate)));
      });
      this.wake = null;
    }
  }

  /** Said once, when the neighbour table's size is what holds the sweep back. */
  private warnTableLimit(): void {
    if (this.warnedTableLimit) return;
    this.warnedTableLimit = true;
    const perSecond = Math.round(this.localPendingCap / (this.options.arpWaitMs / 1000));
    this.report.warnings.push(
      `the kernel's neighbour table holds at most ${this.gcThresh3} entries (net.ipv4.neigh.default.gc_thresh3): ` +
        `local addresses are swept at about ${perSecond}/s, and a segment with more live hosts than that cannot all be kept; ` +
        `raise it (sysctl -w net.ipv4.neigh.default.gc_thresh3=131072) for large local ranges`,
    );
  }

  private get pendingCount(): number {
    return this.localPending.length - this.pendingHead;
  }

  private expirePending(now: number): void {
    while (this.pendingHead < this.localPending.length && now - this.localPending[this.pendingHead]! > this.options.arpWaitMs) {
      this.pendingHead++;
    }
    // Compact now and then rather than on every call (that would copy the array per address).
    if (this.pendingHead > 4096 && this.pendingHead * 2 > this.localPending.length) {
      this.localPending = this.localPending.slice(this.pendingHead);
      this.pendingHead = 0;
    }
  }

  private start(address: string, retried: boolean): void {
    const segment = this.segments.length > 0 ? segmentOf(this.segments, ipToInt(address)) : null;
    const state: HostState = {
      address,
      segment,
      sentAt: performance.now(),
      liveness: [],
      mac: null,
      tcp: 'waiting',
      tcpOutcomes: [],
      icmp: this.icmpTool ? 'waiting' : 'done',
      snmpDeadline: performance.now() + this.options.snmpTimeoutMs,
      snmpAnswered: this.options.communities.length === 0,
      retried,
    };
    this.states.set(address, state);
    if (this.ownAddresses.has(address)) {
      // This machine itself: alive by definition; its open ports are still worth knowing.
      state.mac = segment?.ownMac ?? null;
      this.markAlive(state, { method: 'self' });
      return;
    }
    if (segment) {
      this.localPending.push(state.sentAt);
      // The ARP wait starts when the kernel takes the datagram, which under load can be later than
      // the call (libuv queues a send that the socket cannot take yet).
      void this.udp!.probe(address).then(() => {
        state.sentAt = performance.now();
      });
    } else {
      if (this.options.communities.length > 0) void this.udp!.probe(address);
      this.runTcp(state);
      this.queueIcmp(state);
    }
  }

  private markAlive(state: HostState, liveness: Liveness): void {
    if (state.liveness.some((l) => l.method === liveness.method)) return;
    const first = state.liveness.length === 0;
    state.liveness.push(liveness);
    if (first && state.segment) {
      // Found by ARP (or SNMP): now learn its ports and whether it answers ICMP.
      this.runTcp(state);
      this.queueIcmp(state);
    }
    this.tryFinish(state);
  }

  private runTcp(state: HostState): void {
    if (state.tcp !== 'waiting') return;
    state.tcp = 'running';
    const probes = this.options.ports.map((port) =>
      this.tcpLimit(() => probePort(state.address, port, this.options.connectTimeoutMs, this.ctx.signal)),
    );
    void Promise.all(probes).then((outcomes) => {
      state.tcp = 'done';
      state.tcpOutcomes = outcomes;
      const first = firstAnswer(outcomes);
      if (first) this.markAlive(state, { method: `tcp:${first.port}`, rttMs: first.rttMs });
      this.tryFinish(state);
      this.wake?.();
    });
  }

  private queueIcmp(state: HostState): void {
    if (state.icmp !== 'waiting') return;
    state.icmp = 'queued';
    this.icmpBatch.push(state.address);
    if (this.icmpBatch.length >= 512) this.flushIcmp();
    else this.icmpTimer ??= setTimeout(() => this.flushIcmp(), 20);
  }

  private flushIcmp(): void {
    if (this.icmpTimer) clearTimeout(this.icmpTimer);
    this.icmpTimer = null;
    const batch = this.icmpBatch;
    this.icmpBatch = [];
    if (batch.length === 0) return;
    void this.icmpLimit(() =>
      pingAll(
        batch,
        { fping: this.options.tools.fping, ping: this.options.tools.ping, timeoutMs: this.options.icmpTimeoutMs, retries: 1, signal: this.ctx.signal },
        (address, rttMs) => {
          const state = this.states.get(address);
          if (state) this.markAlive(state, { method: 'icmp', rttMs });
        },
      ),
    ).then(() => {
      for (const address of batch) {
        const state = this.states.get(address);
        if (!state) continue;
        state.icmp = 'done';
        this.tryFinish(state);
      }
    });
  }

  private onSnmpAnswer(address: string, rttMs: number): void {
    const state = this.states.get(address);
    if (!state) return;
    state.snmpAnswered = true;
    this.markAlive(state, { method: 'snmp', rttMs });
  }

  /** Emits a host once everything about it is decided. */
  private tryFinish(state: HostState, now = performance.now()): void {
    if (!this.states.has(state.address)) return;
    const alive = state.liveness.length > 0;
    const probesDone = state.tcp === 'done' && state.icmp === 'done';
    if (state.segment) {
      // Local: alive once its follow-up probes are done; dead once ARP had its time and nothing answered.
      if (alive && probesDone) return this.finish(state);
      if (!alive && now - state.sentAt > this.options.arpWaitMs + ARP_MARGIN_MS && (state.snmpAnswered || now > state.snmpDeadline)) {
        if (!state.retried) {
          // Silent in the first pass: the verdict waits for the decision on a second pass.
          this.states.delete(state.address);
          this.udp?.forget(state.address);
          this.silentLocal.push(state.address);
          this.wake?.();
          return;
        }
        return this.finish(state);
      }
      return;
    }
    if (probesDone && (alive || state.snmpAnswered || now > state.snmpDeadline)) this.finish(state);
  }

  private finish(state: HostState): void {
    this.states.delete(state.address);
    this.udp?.forget(state.address);
    const at = this.ctx.now().toISOString();
    if (state.liveness.length > 0) {
      const open: OpenPort[] = state.tcpOutcomes
        .filter((o) => o.status === 'ok')
        .map((o) => ({ port: o.port, protocol: 'tcp' as const }))
        .sort((a, b) => a.port - b.port);
      this.out.push({
        scanner: 'discover',
        address: state.address,
        at,
        status: 'ok',
        facts: {
          liveness: [...state.liveness].sort((a, b) => a.method.localeCompare(b.method)),
          ...(state.mac ? { macs: [{ value: state.mac, source: `arp:${state.segment?.device ?? 'neighbour-table'}` }] } : {}),
          ...(open.length > 0 ? { openPorts: { value: open, source: 'tcp:connect' } } : {}),
        },
      });
    } else {
      const status: ScanStatus = state.segment ? 'timeout' : silentStatus(state.tcpOutcomes);
      this.out.push({ scanner: 'discover', address: state.address, at, status, facts: {}, detail: state.segment ? 'no ARP answer' : 'no answer' });
    }
    this.wake?.();
    this.maybeClose();
  }

  private emitSilent(address: string): void {
    this.out.push({ scanner: 'discover', address, at: this.ctx.now().toISOString(), status: 'timeout', facts: {}, detail: 'no ARP answer' });
  }

  private maybeClose(): void {
    if (!this.feeding && this.states.size === 0) this.out.close();
  }

  /** Machine-wide receive drops during the sweep, for the report (see congestion.ts). */
  private async countDrops(): Promise<void> {
    if (this.segments.length === 0) return;
    const drops = await readSoftnetDrops();
    if (drops === null) return;
    this.firstDrops ??= drops;
    this.report.drops = drops - this.firstDrops;
  }

  /** Reads the neighbour table during the sweep (entries age out of it on long sweeps), and decides stragglers. */
  private async pollNeighbours(): Promise<void> {
    const devices = [...new Set(this.segments.map((s) => s.device))];
    let interval = 25;
    while (this.feeding || this.states.size > 0) {
      await new Promise((resolve) => setTimeout(resolve, interval));
      if (this.ctx.signal.aborted) {
        for (const state of [...this.states.values()]) this.finish(state);
        break;
      }
      const started = performance.now();
      const hasLocal = [...this.states.values()].some((s) => s.segment !== null);
      if (hasLocal) {
        for (const device of devices) {
          for (const entry of await readNeighbours(device, this.options.tools.ip)) {
            const state = this.states.get(entry.address);
            if (!state || state.segment?.device !== device) continue;
            state.mac ??= entry.mac;
            if (state.liveness.length === 0 && !state.retried) {
              // Not seen by a read that began well after the send: the first ARP exchange was lost.
              if (this.prevReadStart - state.sentAt > FIRST_ARP_ANSWER_MS) this.report.arpLaterTry++;
              else this.report.arpFirstTry++;
            }
            this.markAlive(state, { method: 'arp' });
          }
        }
      }
      await this.countDrops();
      this.prevReadStart = started;
      // A local address is declared absent only by a read that began after its ARP deadline: an
      // answer that arrived while the table was being read is not missed.
      for (const state of [...this.states.values()]) this.tryFinish(state, hasLocal ? started : performance.now());
      const now = performance.now();
      // Poll often while answers come fast; back off when reading the table gets expensive, but not
      // so far that the undecided addresses at the end of a sweep wait long for their verdict.
      interval = Math.min(400, Math.max(50, (now - started) * 3, interval * 1.5));
    }
  }
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, o) => ((n << 8) | Number(o)) >>> 0, 0);
}
