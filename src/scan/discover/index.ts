// Discovery: one asynchronous sweep of the whole range, all methods in flight together.
//
// Sends, per address:
//   - local segment (same subnet as an interface), on a large sweep as root with arp-scan installed:
//     ARP requests as raw frames through arp-scan (arp/arp-scan.ts), two attempts, paced at --rate;
//     each answer names a live host and its MAC, even one that drops every IP packet.
//   - local segment otherwise: one UDP datagram (an SNMP sysObjectID GET per configured community,
//     else an empty one to port 33434). Its real job is to make the kernel ARP for the address; the
//     neighbour table, read every few hundred ms during the sweep, then names every host that
//     answered ARP, with its MAC. On a sweep of up to ICMP_FIRST_MAX addresses with fping, fping's
//     echo request goes first (started before the sweep itself, see pingAhead) and makes the
//     kernel ARP; the datagram follows only to an address still undecided once fping has sent
//     everything (or at once, when it carries SNMP GETs).
//   - elsewhere (routed subnets, loopback): TCP connects to the port list, ICMP echo through fping,
//     and the SNMP GETs. Any answer proves the host alive.
// A local host found by ARP then gets the TCP connects (unless only discovering) and an ICMP echo
// too, for its open ports, round trip and how it answers.
// A live host is handed on as soon as its probes are done (a stream, not phase barriers).
//
// Pacing (see ../shared/lab/README.md "Limits found"): probes go out at most --rate a second; local
// datagrams waiting for ARP are capped at half the kernel's neighbour-table size (gc_thresh3), since
// past it the kernel drops new entries; they go out over a pool of sockets with large send buffers
// so that none stalls; TCP sockets in flight are capped by --concurrency. On a large sweep through
// the kernel's neighbour table the datagrams go out from a worker thread (probe-pool.ts): the
// kernel's ARP work on each send would otherwise stall the thread that decides.
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
import { arpScan, mayUseRawSockets } from './arp/arp-scan.js';
import { readNeighbourLimits, readNeighbours, type NeighbourLimits } from './arp/neighbour-table.js';
import { readSoftnetDrops } from './congestion.js';
import { pingAhead, pingAll, type PingAhead, type PingOptions, type PingResult } from './icmp/index.js';
import { dottedToInt } from './ip-int.js';
import { localSegments, segmentOf, type LocalSegment } from './local-segment.js';
import { ProbePool } from './probe-pool.js';
import { firstAnswer, silentStatus, type PortOutcome } from './tcp/index.js';

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
  /** Local segments by raw ARP requests through arp-scan when root and installed (else the kernel's table). */
  arpScan: boolean;
  /**
   * Connect to the port list of every live host (true), or only of hosts that nothing else proved
   * alive (false: discovery only, as nmap -sn; a local host found by ARP or ICMP gets no connects).
   */
  surveyPorts: boolean;
  /** A second pass over silent local addresses: when the measured loss calls for it, always, or never. */
  secondPass: 'auto' | 'always' | 'never';
  communities: string[];
  snmpVersion: 'v1' | 'v2c';
  snmpPort: number;
  snmpTimeoutMs: number;
  tools: SystemTools;
  /** How many addresses the sweep will be given (an estimate): a large sweep sends from worker threads. */
  expectedAddresses?: number;
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
  addr: number;
  segment: LocalSegment | null;
  sentAt: number;
  /** When its first proof of life came (Infinity while none has). */
  aliveAt: number;
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
  /**
   * On a range small enough to be pinged first (see ICMP_FIRST_MAX), starts fping over its local
   * addresses now, while the scan still sets up; the sweep takes its answers over. Returns what
   * stops that fping if no sweep took it.
   */
  pingAhead(addresses: Iterable<string>, signal: AbortSignal): () => void;
}

export function sweepDiscoverer(options: SweepOptions): SweepDiscoverer {
  let lastReport: SweepReport = { methods: [], warnings: [], sendErrors: 0, retried: 0, arpFirstTry: 0, arpLaterTry: 0, drops: 0, udpSockets: 0, localPendingCap: null };
  let ahead: PingAhead | null = null;
  // Read once for the scan: pingAhead and the sweep it starts for ask within milliseconds.
  let segments: LocalSegment[] | undefined;
  const sweptSegments = (): LocalSegment[] => (segments ??= options.arp ? (options.segments ?? localSegments()) : []);
  return {
    name: 'discover',
    describe: 'one sweep: ARP via the neighbour table on local segments, ICMP (fping/ping), TCP connect, SNMP GET',
    report: () => lastReport,
    pingAhead(addresses, signal) {
      const local = sweptSegments();
      if (ahead || !pingsFirst(options, local)) return () => undefined;
      const own = new Set(local.map((s) => s.own));
      const pinged: string[] = [];
      for (const address of addresses) if (!own.has(address) && segmentOf(local, dottedToInt(address))) pinged.push(address);
      if (pinged.length === 0) return () => undefined;
      const started = pingAhead(pinged, icmpFirstOptions(options, signal));
      ahead = started;
      return () => started.drop();
    },
    sweep(addresses, ctx) {
      const sweep = new Sweep(options, ctx, sweptSegments(), ahead);
      ahead = null;
      lastReport = sweep.report;
      return sweep.run(addresses);
    },
  };
}

/** Whether the sweep pings every local address from the start (see ICMP_FIRST_MAX). */
function pingsFirst(options: SweepOptions, segments: LocalSegment[]): options is SweepOptions & { tools: { fping: string } } {
  const small = options.expectedAddresses !== undefined && options.expectedAddresses <= ICMP_FIRST_MAX;
  return small && segments.length > 0 && options.icmp && options.tools.fping !== null;
}

/** fping for the local addresses pinged first: one process at the full --rate, one retry. */
function icmpFirstOptions(options: SweepOptions, signal: AbortSignal): PingOptions {
  return { fping: options.tools.fping, ping: null, timeoutMs: options.icmpTimeoutMs, intervalMs: 1000 / options.rate, retries: 1, signal };
}

const MAX_STATES = 50_000;
/** The kernel's timers run late on a busy machine: give its last ARP request this long to be answered. */
const ARP_MARGIN_MS = 500;
/** A live host on the segment answers the first ARP request well within this. */
const FIRST_ARP_ANSWER_MS = 300;
/** From this many addresses on, a sweep is large: arp-scan as root, else datagrams from a worker thread. */
const LARGE_SWEEP_FROM = 2048;
/**
 * Up to this many addresses, a sweep with fping sends its ICMP echo requests to every local address
 * at once, from the start: the echo request makes the kernel ARP for the address as the datagram
 * would, from fping's process instead of ours, and a host that answers it is known without waiting
 * for a read of the neighbour table. Past this, fping's pending requests to addresses that never
 * answer ARP would fill its socket's send buffer (about 480; ../shared/lab/README.md).
 */
const ICMP_FIRST_MAX = 256;
/** After fping has sent its last request, how long before the undecided addresses get the datagram. */
const TRAIL_AFTER_MS = 20;
/** Addresses per arp-scan run: it reads its whole list before sending. */
const ARP_SCAN_BATCH = 65_536;
/** fping processes at once; each sends at its share of --rate. */
const ICMP_PROCESSES = 4;
/** How soon the neighbour table is read for a host found by ICMP or SNMP, so that answers close together share a read. */
const READ_SOON_MS = 5;
/** Silent verdicts queued for the consumer at most, so that a /16's worth is never held at once. */
const MAX_QUEUED = 2048;

class Sweep {
  readonly report: SweepReport;
  private readonly out = new AsyncQueue<Observation>();
  private readonly states = new Map<number, HostState>();
  private readonly icmpLimit = pLimit(ICMP_PROCESSES);
  private readonly ownAddresses: Set<string>;
  private probes: ProbePool | null = null;
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
  /** Ends the neighbour poller's sleep after `ms`: the sweep is over, or a found host waits for its MAC. */
  private wakePoller: ((ms: number) => void) | null = null;
  /** A read was asked for while one ran: the next sleep is short. */
  private readRequested = false;
  /** Local addresses still undecided, and who waits for there to be none. */
  private localStates = 0;
  private localDrained: (() => void) | null = null;
  private readonly icmpTool: string | null;
  private readonly rate: number;
  private firstDrops: number | null = null;
  private gcThresh3: number | null = null;
  private warnedTableLimit = false;
  /** Local addresses that stayed silent in the first pass: retried, or reported at the end. */
  private silentLocal: string[] = [];
  private prevReadStart = Number.NEGATIVE_INFINITY;
  /** arp-scan's path when this sweep uses it for local segments. */
  private arpScanCommand: string | null = null;
  private arpBatches = new Map<string, { segment: LocalSegment; addresses: string[] }>();
  private arpRuns: Promise<void> = Promise.resolve();
  /** Local addresses pinged from the start (see ICMP_FIRST_MAX), or null when the sweep does not. */
  private icmpFirst: string[] | null = null;
  /** The consumer has stopped reading (the sweep ended, failed or was stopped): start no fping. */
  private ended = false;

  constructor(
    private readonly options: SweepOptions,
    private readonly ctx: ScanContext,
    /** The local segments whose addresses it probes through ARP (none under --no-arp). */
    private readonly segments: LocalSegment[],
    /** fping started ahead of the sweep over its local addresses (SweepDiscoverer.pingAhead). */
    private ahead: PingAhead | null = null,
  ) {
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
        {
          method: 'tcp',
          ran: options.ports.length > 0,
          note: `connect to ${options.ports.join(',')}${options.surveyPorts ? '' : ' (discovery only: hosts off the local segments, where it proves them alive)'}`,
        },
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
    const large = (this.options.expectedAddresses ?? 0) >= LARGE_SWEEP_FROM;
    // arp-scan pays off on a large range, where the kernel's way is bound by its own ARP work; on a
    // small one it only adds its start (about 45 ms to its first answer, measured on the lab /24).
    if (large && this.segments.length > 0 && this.options.arpScan && this.options.tools.arpScan && (await mayUseRawSockets())) {
      this.arpScanCommand = this.options.tools.arpScan;
      this.report.methods[0]!.note = `arp-scan on ${[...new Set(this.segments.map((s) => s.device))].join(', ')} (raw ARP requests, as root), the neighbour table as a fallback (only for targets on those segments)`;
    }
    if (pingsFirst(this.options, this.segments)) {
      this.icmpFirst = [];
      this.report.methods[1]!.note = 'fping (on a range this small, every local address from the start)';
    } else {
      this.dropAhead();
    }
    if (this.segments.length > 0 && limits.gcThresh3 !== null) {
      this.localPendingCap = Math.max(64, Math.floor(limits.gcThresh3 / 2));
      this.report.localPendingCap = this.localPendingCap;
      this.gcThresh3 = limits.gcThresh3;
    }
    this.probes = new ProbePool({
      communities: this.options.communities,
      snmpVersion: this.options.snmpVersion,
      snmpPort: this.options.snmpPort,
      maxPending: Math.min(this.localPendingCap, this.options.rate * (this.options.arpWaitMs / 1000)) || 1000,
      wmemMax: limits.wmemMax ?? 212_992,
      ports: this.options.ports,
      connectTimeoutMs: this.options.connectTimeoutMs,
      concurrency: this.options.concurrency,
      // Datagrams cost much only when the kernel does ARP work for them (see probe-engine.ts).
      udpWorker: large && this.segments.length > 0 && this.arpScanCommand === null,
      onSent: (addrs, at) => {
        for (const addr of addrs) {
          const state = this.states.get(addr);
          // The ARP wait starts when the kernel takes the datagram, which under load can be later
          // than the call.
          if (state && state.segment && at > state.sentAt) state.sentAt = at;
        }
      },
      onSnmp: (addr, rttMs) => this.onSnmpAnswer(addr, rttMs),
      onFatal: (error) => this.out.fail(error),
    });
    // Not awaited: the feed starts at once (arp-scan, or datagrams the engines hold until their
    // sockets are open) while workers start.
    const opening = this.probes.open().catch((error: unknown) => this.out.fail(error));
    const stopProbes = (): void => this.probes?.abort();
    this.ctx.signal.addEventListener('abort', stopProbes, { once: true });

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
      this.ended = true;
      this.dropAhead();
      this.feeding = false;
      await feeder;
      await poller;
      this.ctx.signal.removeEventListener('abort', stopProbes);
      await opening;
      this.report.udpSockets = this.probes.sockets;
      await this.probes.close();
      this.report.sendErrors = this.probes.sendErrors;
      if (this.icmpTimer) clearTimeout(this.icmpTimer);
    }
  }

  private async feed(addresses: Iterable<string> | AsyncIterable<string>): Promise<void> {
    // A plain iterable is walked without `for await`, and an address awaits only when it must wait
    // for its turn: a promise per address is a /16's worth of garbage.
    if (Symbol.iterator in addresses) {
      for (const address of addresses) {
        if (this.ctx.signal.aborted) break;
        const wait = this.feedOne(address);
        if (wait) await wait;
      }
    } else {
      for await (const address of addresses) {
        if (this.ctx.signal.aborted) break;
        const wait = this.feedOne(address);
        if (wait) await wait;
      }
    }
    this.launchIcmpFirst();
    // Every address is in: the ICMP batch need not wait out its timer for more (20 ms of a
    // one-host scan).
    this.flushIcmp();
    for (const device of [...this.arpBatches.keys()]) this.launchArpScan(device);
    await this.arpRuns;
    if (this.segments.length === 0) return;
    // Wait for the first pass's local verdicts, then decide on a second pass.
    while (!this.ctx.signal.aborted && this.localStates > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.localDrained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.localDrained = null;
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
      await this.emitSilentAll(silent);
    }
  }

  /** Probes one address, or queues it for arp-scan; a promise only when the feed must wait. */
  private feedOne(address: string): Promise<void> | null {
    // arp-scan paces its own frames at --rate.
    if (this.arpScanCommand && this.queueArpScan(address)) return this.launchFullBatches();
    // A local address that fping alone will probe waits for no token: fping paces its requests.
    if (this.icmpFirst && this.options.communities.length === 0 && segmentOf(this.segments, dottedToInt(address))) {
      this.start(address, false);
      return null;
    }
    if (this.tryAdmit()) {
      this.start(address, false);
      return null;
    }
    return this.admit().then(() => {
      if (!this.ctx.signal.aborted) this.start(address, false);
    });
  }

  /** Puts a local address in its segment's arp-scan batch; false when arp-scan does not take it. */
  private queueArpScan(address: string): boolean {
    const segment = segmentOf(this.segments, dottedToInt(address));
    if (!segment || this.ownAddresses.has(address)) return false;
    let batch = this.arpBatches.get(segment.device);
    if (!batch) this.arpBatches.set(segment.device, (batch = { segment, addresses: [] }));
    batch.addresses.push(address);
    return true;
  }

  /** Starts a batch that is full and waits for the run before it, so that at most two are held. */
  private launchFullBatches(): Promise<void> | null {
    for (const [device, batch] of this.arpBatches) {
      if (batch.addresses.length < ARP_SCAN_BATCH) continue;
      const previous = this.arpRuns;
      this.launchArpScan(device);
      return previous;
    }
    return null;
  }

  private launchArpScan(device: string): void {
    const batch = this.arpBatches.get(device);
    if (!batch) return;
    this.arpBatches.delete(device);
    this.arpRuns = this.arpRuns.then(() => this.runArpScan(device, batch.segment, batch.addresses));
  }

  private async runArpScan(device: string, segment: LocalSegment, addresses: string[]): Promise<void> {
    if (this.ctx.signal.aborted) return;
    const wanted = new Set(addresses);
    const found = new Set<string>();
    const result = await arpScan({
      command: this.arpScanCommand!,
      device,
      addresses,
      ratePerSecond: this.rate,
      attempts: 2,
      signal: this.ctx.signal,
      onHost: (address, mac) => {
        if (!wanted.has(address) || found.has(address)) return;
        found.add(address);
        this.startFound(address, segment, mac);
      },
    });
    if (this.ctx.signal.aborted) return;
    const rest = addresses.filter((a) => !found.has(a));
    if (result.ok) return this.emitSilentAll(rest, 'no ARP answer');
    // arp-scan failed (no raw socket after all, a bad interface): the kernel's way for what is left.
    this.report.warnings.push(`${result.reason}; local addresses were swept through the kernel's neighbour table instead`);
    this.report.methods[0]!.note = `neighbour table of ${device} (arp-scan failed)`;
    this.arpScanCommand = null;
    for (const address of rest) {
      if (this.ctx.signal.aborted) return;
      await this.admit();
      this.start(address, false);
    }
  }

  /** A local host arp-scan found: alive by ARP, with its MAC; now its ports, ICMP and SNMP. */
  private startFound(address: string, segment: LocalSegment, mac: string): void {
    const addr = dottedToInt(address);
    const now = performance.now();
    const state: HostState = {
      address,
      addr,
      segment,
      sentAt: now,
      aliveAt: Number.POSITIVE_INFINITY,
      liveness: [],
      mac,
      tcp: 'waiting',
      tcpOutcomes: [],
      icmp: this.icmpTool ? 'waiting' : 'done',
      snmpDeadline: now + this.options.snmpTimeoutMs,
      snmpAnswered: this.options.communities.length === 0,
      retried: false,
    };
    this.addState(state);
    if (this.options.communities.length > 0) this.probes!.udp(addr);
    this.markAlive(state, { method: 'arp' });
  }

  /** Silent verdicts, handed over no faster than the consumer takes them. */
  private async emitSilentAll(addresses: string[], detail = 'no ARP answer'): Promise<void> {
    let at = this.ctx.now().toISOString();
    for (const address of addresses) {
      this.out.push({ scanner: 'discover', address, at, status: 'timeout', facts: {}, detail });
      if (this.out.size() <= MAX_QUEUED) continue;
      while (this.out.size() > MAX_QUEUED / 2 && !this.ctx.signal.aborted) await new Promise((resolve) => setImmediate(resolve));
      at = this.ctx.now().toISOString();
    }
  }

  /**
   * The share of live hosts that needed the kernel's second or third ARP request estimates the
   * loss p per attempt; a live host misses all three with about p^3. A second pass is worth it
   * when that puts the expected number of missed hosts above 1 in 50.
   */
  private secondPassWorthIt(): boolean {
    if (this.options.secondPass !== 'auto') return this.options.secondPass === 'always';
    // Packets the kernel dropped while the sweep ran may have been ARP answers, lost in a burst
    // that the per-host estimate below cannot see (measured on the lab: 3 of 4,032 hosts missed).
    if (this.report.drops > 0) return true;
    const { arpFirstTry, arpLaterTry } = this.report;
    const answered = arpFirstTry + arpLaterTry;
    const p = (arpLaterTry + 1) / (answered + 2);
    return answered * p ** 3 > 0.02;
  }

  /** Takes a rate token if there is one, room under the local pending cap and TCP capacity. */
  private tryAdmit(): boolean {
    const now = performance.now();
    this.tokens = Math.min(this.rate / 20 + 1, this.tokens + ((now - this.lastRefill) / 1000) * this.rate);
    this.lastRefill = now;
    this.expirePending(now);
    const tcpBusy = this.probes!.tcpOutstanding > this.options.concurrency * 3;
    if (this.pendingCount >= this.localPendingCap) this.warnTableLimit();
    if (this.tokens >= 1 && this.pendingCount < this.localPendingCap && !tcpBusy && this.states.size < MAX_STATES) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }

  /** Waits for a rate token, room under the local pending cap and TCP capacity. */
  private async admit(): Promise<void> {
    for (;;) {
      if (this.ctx.signal.aborted || this.tryAdmit()) return;
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
    const addr = dottedToInt(address);
    const segment = this.segments.length > 0 ? segmentOf(this.segments, addr) : null;
    const state: HostState = {
      address,
      addr,
      segment,
      sentAt: performance.now(),
      aliveAt: Number.POSITIVE_INFINITY,
      liveness: [],
      mac: null,
      tcp: 'waiting',
      tcpOutcomes: [],
      icmp: this.icmpTool ? 'waiting' : 'done',
      snmpDeadline: performance.now() + this.options.snmpTimeoutMs,
      snmpAnswered: this.options.communities.length === 0,
      retried,
    };
    this.addState(state);
    if (this.ownAddresses.has(address)) {
      // This machine itself: alive by definition; its open ports are still worth knowing.
      state.mac = segment?.ownMac ?? null;
      this.markAlive(state, { method: 'self' });
      return;
    }
    if (segment && this.icmpFirst && !retried) {
      // fping's echo request is what makes the kernel ARP for it (see ICMP_FIRST_MAX); the datagram
      // goes too only when it carries an SNMP GET.
      state.icmp = 'queued';
      this.icmpFirst.push(address);
      if (this.options.communities.length > 0) {
        this.localPending.push(state.sentAt);
        this.probes!.udp(addr);
      }
    } else if (segment) {
      this.localPending.push(state.sentAt);
      this.probes!.udp(addr);
    } else {
      if (this.options.communities.length > 0) this.probes!.udp(addr);
      this.runTcp(state);
      this.queueIcmp(state);
    }
  }

  private addState(state: HostState): void {
    this.states.set(state.addr, state);
    if (state.segment) this.localStates++;
  }

  private removeState(state: HostState): void {
    this.states.delete(state.addr);
    if (state.segment && --this.localStates === 0) this.localDrained?.();
  }

  private markAlive(state: HostState, liveness: Liveness): void {
    if (state.liveness.some((l) => l.method === liveness.method)) return;
    const first = state.liveness.length === 0;
    state.liveness.push(liveness);
    if (first) state.aliveAt = performance.now();
    if (first && state.segment) {
      // Found by ARP, ICMP or SNMP: now learn its ports (unless only discovering) and whether it
      // answers ICMP.
      if (this.options.surveyPorts) this.runTcp(state);
      else state.tcp = 'done';
      this.queueIcmp(state);
      // Its MAC is in the neighbour table by now: read it soon rather than at the next poll.
      if (state.mac === null) this.requestRead();
    }
    this.tryFinish(state);
  }

  private runTcp(state: HostState): void {
    if (state.tcp !== 'waiting') return;
    state.tcp = 'running';
    if (this.options.ports.length === 0) {
      state.tcp = 'done';
      return;
    }
    void this.probes!.tcp(state.addr).then((outcomes) => {
      state.tcp = 'done';
      state.tcpOutcomes = outcomes;
      const first = firstAnswer(outcomes);
      if (first) this.markAlive(state, { method: `tcp:${first.port}`, rttMs: first.rttMs });
      this.tryFinish(state);
      this.wake?.();
    });
  }

  /**
   * Pings the local addresses held for it, in one fping at the full --rate (outside the ICMP
   * batches' limit: it is the sweep's first probe of these addresses), or takes over the fping
   * that the scan started ahead over the same addresses (SweepDiscoverer.pingAhead: it starts as
   * soon as the scan holds its lock, while the writer and the sweep are set up). Each address's
   * ARP wait starts when fping reaches it. Once fping has sent everything, every address still undecided
   * gets the datagram too: fping drops a request it could not send without a word (a firewall
   * rule on ICMP, a full send buffer), and then only the datagram makes the kernel ARP. By then an
   * address fping did reach has its neighbour entry, and the datagram only waits in it.
   */
  private launchIcmpFirst(): void {
    const batch = this.icmpFirst;
    const ahead = this.ahead;
    this.ahead = null;
    if (!batch || batch.length === 0 || this.ended) {
      ahead?.drop();
      return;
    }
    this.icmpFirst = [];
    // The fping started ahead of the sweep already pings the target's local addresses; only those
    // that joined since (a hostname's address) need one of their own.
    const options = icmpFirstOptions(this.options, this.ctx.signal);
    let rest = batch;
    // The rest's fping starts once the one started ahead has sent its last request: together they
    // would go past --rate.
    let startsAt = performance.now();
    if (ahead) {
      const pinged = new Set(ahead.addresses);
      rest = batch.filter((address) => !pinged.has(address));
      this.followIcmpFirst([...ahead.addresses], ahead.startedAt, (onAlive) => ahead.take(onAlive));
      startsAt = Math.max(startsAt, ahead.startedAt + ahead.addresses.length * options.intervalMs);
    }
    if (rest.length > 0) {
      const wait = startsAt - performance.now();
      this.followIcmpFirst(rest, startsAt, async (onAlive) => {
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        return pingAll(rest, options, onAlive);
      });
    }
  }

  /** Stops an fping started ahead that this sweep will not take over. */
  private dropAhead(): void {
    this.ahead?.drop();
    this.ahead = null;
  }

  /** Takes the answers of an fping over these local addresses that started at `startedAt`. */
  private followIcmpFirst(batch: string[], startedAt: number, run: (onAlive: (address: string, rttMs: number) => void) => Promise<PingResult>): void {
    const intervalMs = 1000 / this.rate;
    batch.forEach((address, i) => {
      const state = this.states.get(dottedToInt(address));
      if (state) state.sentAt = Math.max(state.sentAt, startedAt + i * intervalMs);
    });
    const trailAfterMs = startedAt + batch.length * intervalMs + TRAIL_AFTER_MS - performance.now();
    const trailing = this.options.communities.length > 0 ? Promise.resolve() : this.trailDatagrams(batch, trailAfterMs);
    void run((address, rttMs) => {
      const state = this.states.get(dottedToInt(address));
      // The echo waited for ARP: a round trip past the first ARP exchange means it was lost once.
      if (state && state.liveness.length === 0) {
        if (rttMs > FIRST_ARP_ANSWER_MS) this.report.arpLaterTry++;
        else this.report.arpFirstTry++;
      }
      this.onIcmpAnswer(address, rttMs);
    }).then(async (result) => {
      if (!result.ok && !this.ctx.signal.aborted) {
        this.report.warnings.push(`fping failed (${result.reason}); local addresses were swept through the kernel's neighbour table alone`);
      }
      // An address is not declared silent before its datagram went.
      await trailing;
      this.icmpDecided(batch);
    });
  }

  /** The datagram to each of these local addresses still undecided after `delayMs`, paced at --rate. */
  private async trailDatagrams(addresses: string[], delayMs: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    // Timers run before the event loop reads its pipes: what fping printed while this thread was
    // busy is read first, so an address that did answer gets no datagram.
    await new Promise((resolve) => setImmediate(resolve));
    for (const address of addresses) {
      if (this.ctx.signal.aborted) return;
      const state = this.states.get(dottedToInt(address));
      if (!state || state.liveness.length > 0) continue;
      await this.admit();
      if (this.states.get(state.addr) !== state || state.liveness.length > 0) continue;
      state.sentAt = Math.max(state.sentAt, performance.now());
      this.localPending.push(state.sentAt);
      this.probes!.udp(state.addr);
    }
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
        { fping: this.options.tools.fping, ping: this.options.tools.ping, timeoutMs: this.options.icmpTimeoutMs, intervalMs: (1000 / this.rate) * ICMP_PROCESSES, retries: 1, signal: this.ctx.signal },
        (address, rttMs) => this.onIcmpAnswer(address, rttMs),
      ),
    ).then(() => this.icmpDecided(batch));
  }

  /**
   * An answer decides this host's ICMP at once: it must not wait for the batch's process, which
   * ends only when its slowest address has had every retry.
   */
  private onIcmpAnswer(address: string, rttMs: number): void {
    const state = this.states.get(dottedToInt(address));
    if (!state) return;
    state.icmp = 'done';
    this.markAlive(state, { method: 'icmp', rttMs });
  }

  /** A ping run is over: its addresses that did not answer are decided too. */
  private icmpDecided(addresses: string[]): void {
    for (const address of addresses) {
      const state = this.states.get(dottedToInt(address));
      if (!state) continue;
      state.icmp = 'done';
      this.tryFinish(state);
    }
  }

  private onSnmpAnswer(addr: number, rttMs: number): void {
    const state = this.states.get(addr);
    if (!state) return;
    state.snmpAnswered = true;
    this.markAlive(state, { method: 'snmp', rttMs });
  }

  /** Emits a host once everything about it is decided. */
  private tryFinish(state: HostState, now = performance.now()): void {
    if (this.states.get(state.addr) !== state) return;
    const alive = state.liveness.length > 0;
    const probesDone = state.tcp === 'done' && state.icmp === 'done';
    if (state.segment) {
      // Local: alive once its follow-up probes are done and a read of the neighbour table has had
      // the chance to give its MAC; dead once ARP had its time and nothing answered.
      if (alive && probesDone && (state.mac !== null || this.prevReadStart > state.aliveAt)) return this.finish(state);
      // (A local address that fping pings first is not silent before fping is done with it.)
      if (!alive && state.icmp !== 'queued' && now - state.sentAt > this.options.arpWaitMs + ARP_MARGIN_MS && (state.snmpAnswered || now > state.snmpDeadline)) {
        if (!state.retried) {
          // Silent in the first pass: the verdict waits for the decision on a second pass.
          this.removeState(state);
          this.probes?.forget(state.addr);
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
    this.removeState(state);
    this.probes?.forget(state.addr);
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
          // Code-unit order: the first localeCompare of a process loads ICU's collation (14 ms).
          liveness: [...state.liveness].sort((a, b) => (a.method < b.method ? -1 : a.method > b.method ? 1 : 0)),
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

  private maybeClose(): void {
    if (!this.feeding && this.states.size === 0) {
      this.out.close();
      this.wakePoller?.(0);
    }
  }

  /** A host was found by something other than the table: read it soon for the host's MAC. */
  private requestRead(): void {
    if (this.wakePoller) this.wakePoller(READ_SOON_MS);
    else this.readRequested = true;
  }

  /** Machine-wide receive drops during the sweep, for the report (see congestion.ts). */
  private countDrops(): void {
    if (this.segments.length === 0) return;
    const drops = readSoftnetDrops();
    if (drops === null) return;
    this.firstDrops ??= drops;
    this.report.drops = drops - this.firstDrops;
  }

  /** Reads the neighbour table during the sweep (entries age out of it on long sweeps), and decides stragglers. */
  private async pollNeighbours(): Promise<void> {
    let interval = 25;
    while (this.feeding || this.states.size > 0) {
      const sleep = this.readRequested ? Math.min(interval, READ_SOON_MS) : interval;
      this.readRequested = false;
      await new Promise<void>((resolve) => {
        let timer = setTimeout(resolve, sleep);
        let due = performance.now() + sleep;
        this.wakePoller = (ms) => {
          // Only ever sooner.
          if (performance.now() + ms >= due) return;
          clearTimeout(timer);
          due = performance.now() + ms;
          timer = setTimeout(resolve, ms);
        };
      });
      this.wakePoller = null;
      if (!this.feeding && this.states.size === 0) break;
      if (this.ctx.signal.aborted) {
        for (const state of [...this.states.values()]) this.finish(state);
        break;
      }
      const started = performance.now();
      // Only a local host still waiting for its ARP answer or its MAC needs the table, and only
      // its own device's.
      const devices = new Set<string>();
      for (const s of this.states.values()) if (s.segment !== null && s.mac === null) devices.add(s.segment.device);
      const hasLocal = devices.size > 0;
      if (hasLocal) {
        for (const device of devices) {
          for (const entry of await readNeighbours(device, this.options.tools.ip)) {
            const state = this.states.get(dottedToInt(entry.address));
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
      this.countDrops();
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

