// TCP connect probes ("TCP ping"): every port of a short list on each host, at most `concurrency`
// sockets in flight, one timeout for all. A completed handshake is an open port; a refusal (RST)
// also proves the host alive. The sweep connects through one prober; fingerprinting, to its extra
// ports, through one per host.
//
// Why not net.connect: a net.Socket is a full duplex stream (buffers, an event emitter, an Error with
// a stack for each refusal) that a probe never reads or writes. On the lab, 2,540 connects through
// net.connect took 0.48 s of one core; through the TCP handle that net.Socket itself wraps, 0.17 s.
// So the prober opens that handle directly (process.binding('tcp_wrap'), the same object Node's
// net module uses), and falls back to net.connect where the binding is missing or not of the shape
// expected, which a test checks against the fallback on every outcome.
//
// Every connect has the same timeout, so deadlines come in the order the connects started: one timer
// for the oldest connect in flight replaces a timer per socket.
import { connect } from 'node:net';
import { getSystemErrorName } from 'node:util';
import type { ScanStatus } from '../../../model/index.js';
import type { PortOutcome } from './index.js';

export interface ConnectProberOptions {
  concurrency: number;
  timeoutMs: number;
}

interface HostJob {
  address: string;
  ports: readonly number[];
  /** The next port to start. */
  next: number;
  remaining: number;
  outcomes: PortOutcome[];
  done: (outcomes: PortOutcome[]) => void;
}

interface Attempt {
  job: HostJob;
  index: number;
  port: number;
  started: number;
  deadline: number;
  settled: boolean;
  close: () => void;
}

/** Starts one connect; `onResult` gets 0 for a completed handshake, else a negative errno. */
type Connector = (address: string, port: number, onResult: (status: number) => void) => () => void;

interface TcpHandle {
  connect(req: object, address: string, port: number): number;
  connect6(req: object, address: string, port: number): number;
  close(): void;
}
interface TcpWrapBinding {
  TCP: new (type: number) => TcpHandle;
  TCPConnectWrap: new () => { oncomplete?: (status: number) => void };
  constants: { SOCKET: number };
}

/** The binding, looked up once per process: undefined until then, null where it is not usable. */
let binding: TcpWrapBinding | null | undefined;

function tcpWrap(): TcpWrapBinding | null {
  if (binding === undefined) binding = lookUpTcpWrap();
  return binding;
}

function lookUpTcpWrap(): TcpWrapBinding | null {
  try {
    const binding = (process as unknown as { binding(name: string): unknown }).binding('tcp_wrap') as Partial<TcpWrapBinding> | undefined;
    if (typeof binding?.TCP !== 'function' || typeof binding.TCPConnectWrap !== 'function' || typeof binding.constants?.SOCKET !== 'number') return null;
    const probe = new binding.TCP(binding.constants.SOCKET);
    const usable = typeof probe.connect === 'function' && typeof probe.connect6 === 'function' && typeof probe.close === 'function';
    probe.close();
    return usable ? (binding as TcpWrapBinding) : null;
  } catch {
    return null;
  }
}

function handleConnector(binding: TcpWrapBinding): Connector {
  const { TCP, TCPConnectWrap, constants } = binding;
  return (address, port, onResult) => {
    const handle = new TCP(constants.SOCKET);
    const req = new TCPConnectWrap();
    req.oncomplete = (status) => onResult(status);
    // An address with a colon is IPv6 (net.isIPv6 compiles a large regular expression on first use).
    const error = address.includes(':') ? handle.connect6(req, address, port) : handle.connect(req, address, port);
    if (error !== 0) {
      // Refused before it started (no route, no local port left): reported like any other failure.
      queueMicrotask(() => onResult(error));
    }
    return () => handle.close();
  };
}

const netConnector: Connector = (address, port, onResult) => {
  const socket = connect({ host: address, port });
  socket.once('connect', () => onResult(0));
  socket.once('error', (error: NodeJS.ErrnoException) => onResult(typeof error.errno === 'number' ? -Math.abs(error.errno) : -1));
  return () => socket.destroy();
};

/** What one connect's result says: open, refused (the host is up), unreachable, or an error. */
export function connectStatus(status: number): { status: ScanStatus; code?: string } {
  if (status === 0) return { status: 'ok' };
  let code: string;
  try {
    code = getSystemErrorName(status);
  } catch {
    code = 'error';
  }
  switch (code) {
    case 'ECONNREFUSED':
      return { status: 'refused', code };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
      return { status: 'unreachable', code };
    case 'ETIMEDOUT':
      return { status: 'timeout', code };
    default:
      return { status: 'error', code };
  }
}

export class ConnectProber {
  /** How this prober connects: through Node's TCP handle, or net.connect where that is missing. */
  readonly via: 'tcp-handle' | 'net';
  private readonly connector: Connector;
  private readonly queue: HostJob[] = [];
  private queueHead = 0;
  /** Attempts in flight, oldest first, from flightHead on. */
  private flight: Attempt[] = [];
  private flightHead = 0;
  private inFlight = 0;
  private timer: NodeJS.Timeout | null = null;
  private aborted = false;

  /** `via: 'net'` (or NETCENSUS_TCP_CONNECT=net) keeps to net.connect. */
  constructor(
    private readonly options: ConnectProberOptions,
    via: 'auto' | 'net' = process.env.NETCENSUS_TCP_CONNECT === 'net' ? 'net' : 'auto',
  ) {
    const wrap = via === 'auto' ? tcpWrap() : null;
    this.connector = wrap ? handleConnector(wrap) : netConnector;
    this.via = wrap ? 'tcp-handle' : 'net';
  }

  /** Connects to every port; `done` gets one outcome per port, in the ports' order. */
  probeHost(address: string, ports: readonly number[], done: (outcomes: PortOutcome[]) => void): void {
    if (ports.length === 0) return done([]);
    const job: HostJob = { address, ports, next: 0, remaining: ports.length, outcomes: new Array<PortOutcome>(ports.length), done };
    if (this.aborted) return this.skipRest(job);
    this.queue.push(job);
    this.pump();
  }

  /** Starts nothing more: what waits is skipped at once, what is in flight ends by its timeout. */
  abort(): void {
    this.aborted = true;
    while (this.queueHead < this.queue.length) this.skipRest(this.queue[this.queueHead++]!);
    this.compactQueue();
  }

  private skipRest(job: HostJob): void {
    for (; job.next < job.ports.length; job.next++) this.record(job, job.next, { port: job.ports[job.next]!, status: 'skipped', rttMs: 0, code: 'aborted' });
  }

  private pump(): void {
    while (!this.aborted && this.inFlight < this.options.concurrency && this.queueHead < this.queue.length) {
      const job = this.queue[this.queueHead]!;
      const index = job.next++;
      if (job.next >= job.ports.length) this.queueHead++;
      this.start(job, index);
    }
    this.compactQueue();
  }

  private compactQueue(): void {
    if (this.queueHead === this.queue.length) {
      this.queue.length = 0;
      this.queueHead = 0;
    } else if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
  }

  private start(job: HostJob, index: number): void {
    const port = job.ports[index]!;
    const started = performance.now();
    const attempt: Attempt = { job, index, port, started, deadline: started + this.options.timeoutMs, settled: false, close: () => undefined };
    this.inFlight++;
    this.flight.push(attempt);
    attempt.close = this.connector(job.address, port, (status) => {
      if (attempt.settled) return;
      const { status: verdict, code } = connectStatus(status);
      this.settle(attempt, verdict, code);
    });
    this.armTimer();
  }

  private settle(attempt: Attempt, status: ScanStatus, code?: string): void {
    attempt.settled = true;
    attempt.close();
    this.inFlight--;
    const rttMs = Math.round((performance.now() - attempt.started) * 100) / 100;
    this.record(attempt.job, attempt.index, { port: attempt.port, status, rttMs, ...(code ? { code } : {}) });
    this.pump();
    if (this.inFlight === 0 && this.timer) {
      // Nothing left to time out: a pending timer would only hold the process open.
      clearTimeout(this.timer);
      this.timer = null;
      this.dropSettled();
    }
  }

  private record(job: HostJob, index: number, outcome: PortOutcome): void {
    job.outcomes[index] = outcome;
    if (--job.remaining === 0) job.done(job.outcomes);
  }

  private armTimer(): void {
    if (this.timer) return;
    this.dropSettled();
    const oldest = this.flight[this.flightHead];
    if (!oldest) return;
    // The verdict waits one turn of the event loop: on a busy loop the timer can come due in the
    // same turn as the answer, and the answer, handled after timers, must win.
    const timer = setTimeout(() => {
      // Only what was due when the timer ran: an attempt that comes due meanwhile gets its own turn.
      const due = performance.now();
      setImmediate(() => {
        if (this.timer === timer) this.expire(due);
      });
    }, Math.max(0, oldest.deadline - performance.now()));
    this.timer = timer;
  }

  private expire(due: number): void {
    this.timer = null;
    while (this.flightHead < this.flight.length && this.flight[this.flightHead]!.deadline <= due) {
      const attempt = this.flight[this.flightHead++]!;
      if (attempt.settled) continue;
      this.settle(attempt, this.aborted ? 'skipped' : 'timeout');
    }
    this.armTimer();
  }

  /** Forgets settled attempts at the head, and compacts now and then rather than per attempt. */
  private dropSettled(): void {
    while (this.flightHead < this.flight.length && this.flight[this.flightHead]!.settled) this.flightHead++;
    if (this.flightHead === this.flight.length) {
      this.flight = [];
      this.flightHead = 0;
    } else if (this.flightHead > 4096 && this.flightHead * 2 > this.flight.length) {
      this.flight = this.flight.slice(this.flightHead);
      this.flightHead = 0;
    }
  }
}
