// Runs the sweep's probe engines (probe-engine.ts). On a large sweep through the kernel's neighbour
// table, the datagrams go out from a worker thread: each send to an unresolved local address costs
// kernel time charged to the sending thread (see probe-engine.ts), which would stall the thread that
// decides. The connects always stay in this thread: through the TCP handle (tcp/connect-prober.ts)
// they cost little, and a worker of their own measured no faster while its heap added about 30 MB
// to the process. The engine that sent an address's SNMP GET is the one that hears the answer and
// forgets it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ProbeEngine, type EngineEvent, type EngineRequest, type ProbeEngineOptions } from './probe-engine.js';
import type { PortOutcome } from './tcp/index.js';

export interface ProbePoolOptions extends ProbeEngineOptions {
  /** Send the datagrams from a worker thread (a large sweep through the kernel's neighbour table). */
  udpWorker: boolean;
  /** Datagrams to these addresses were taken by the kernel at `at` (performance.now() time). */
  onSent: (addrs: number[], at: number) => void;
  onSnmp: (addr: number, rttMs: number) => void;
  /** A worker died: a bug, which must end the sweep rather than hang it. */
  onFatal: (error: Error) => void;
}

interface Backend {
  post(request: EngineRequest): void;
  stop(): Promise<void>;
}

const WORKER_URL = new URL('./probe-worker.js', import.meta.url);
/**
 * A worker's heap is capped: what it keeps is small (sockets in flight, requests awaiting an answer),
 * and the cap makes it collect its garbage early instead of growing the process's memory.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 64 };

export class ProbePool {
  private backends: Backend[] = [];
  private udpBackend = 0;
  private tcpBackend = 0;
  private queues: { udp: number[]; forget: number[]; tcp: number[] }[] = [];
  private flushQueued = false;
  private readonly tcpJobs = new Map<number, { ports: number; resolve: (outcomes: PortOutcome[]) => void }>();
  private nextJob = 1;
  private closing: { remaining: number; resolve: () => void } | null = null;
  /** TCP connects asked for and not yet answered. */
  tcpOutstanding = 0;
  sendErrors = 0;
  sent = 0;
  sockets = 0;
  workers = 0;

  constructor(private readonly options: ProbePoolOptions) {}

  async open(): Promise<void> {
    // Without the built worker file (running from the TypeScript sources), everything stays here.
    const canFork = existsSync(fileURLToPath(WORKER_URL));
    const udpWorker = canFork && this.options.udpWorker;
    const base: ProbeEngineOptions = {
      communities: this.options.communities,
      snmpVersion: this.options.snmpVersion,
      snmpPort: this.options.snmpPort,
      maxPending: this.options.maxPending,
      wmemMax: this.options.wmemMax,
      ports: this.options.ports,
      connectTimeoutMs: this.options.connectTimeoutMs,
      concurrency: this.options.concurrency,
    };
    const ready: Promise<void>[] = [];
    const add = (inWorker: boolean, options: ProbeEngineOptions): number => {
      this.queues.push({ udp: [], forget: [], tcp: [] });
      if (!inWorker) {
        const engine = new ProbeEngine(options, (event) => this.onEvent(event));
        this.backends.push({ post: (request) => engine.handle(request), stop: async () => undefined });
        ready.push(engine.open());
        return this.backends.length - 1;
      }
      this.workers++;
      const worker = new Worker(WORKER_URL, { workerData: options, resourceLimits: WORKER_LIMITS });
      let isReady = false;
      ready.push(
        new Promise<void>((resolve, reject) => {
          worker.on('message', (event: EngineEvent) => {
            if (event.type === 'ready') {
              isReady = true;
              resolve();
            }
            this.onEvent(event);
          });
          worker.on('error', (error) => (isReady ? this.options.onFatal(error) : reject(error)));
          // A worker that ends before it was closed would leave its connects unanswered and the
          // sweep waiting for them forever.
          worker.on('exit', (code) => {
            if (this.closing === null && this.backends.length > 0) {
              const error = new Error(`a probe worker stopped unexpectedly (exit code ${code})`);
              if (isReady) this.options.onFatal(error);
              else reject(error);
            }
          });
        }),
      );
      this.backends.push({ post: (request) => worker.postMessage(request), stop: () => worker.terminate().then(() => undefined) });
      return this.backends.length - 1;
    };
    if (!udpWorker) {
      this.udpBackend = this.tcpBackend = add(false, base);
    } else {
      // Never the connects in the datagrams' worker: a burst of sends would hold its loop past the
      // connects' timeouts. An engine that sends no datagrams opens no sockets for them.
      this.udpBackend = add(true, base);
      this.tcpBackend = add(false, { ...base, maxPending: 0 });
    }
    await Promise.all(ready);
  }

  udp(addr: number): void {
    this.queues[this.udpBackend]!.udp.push(addr);
    this.queueFlush();
  }

  forget(addr: number): void {
    if (this.options.communities.length === 0) return; // nothing outstanding to forget
    this.queues[this.udpBackend]!.forget.push(addr);
    this.queueFlush();
  }

  tcp(addr: number): Promise<PortOutcome[]> {
    const id = this.nextJob++;
    const ports = this.options.ports.length;
    this.tcpOutstanding += ports;
    this.queues[this.tcpBackend]!.tcp.push(id, addr);
    this.queueFlush();
    return new Promise((resolve) => this.tcpJobs.set(id, { ports, resolve }));
  }

  abort(): void {
    this.flush();
    for (const backend of this.backends) backend.post({ type: 'abort' });
  }

  async close(): Promise<void> {
    this.flush();
    const closed = new Promise<void>((resolve) => (this.closing = { remaining: this.backends.length, resolve }));
    for (const backend of this.backends) backend.post({ type: 'close' });
    // A worker that is stuck must not hold the scan: its counters are only for the report.
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
    await Promise.all(this.backends.map((b) => b.stop()));
    this.backends = [];
  }

  private queueFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushQueued = false;
    this.backends.forEach((backend, i) => {
      const queue = this.queues[i]!;
      if (queue.udp.length > 0) backend.post({ type: 'udp', addrs: queue.udp.splice(0) });
      if (queue.tcp.length > 0) backend.post({ type: 'tcp', jobs: queue.tcp.splice(0) });
      if (queue.forget.length > 0) backend.post({ type: 'forget', addrs: queue.forget.splice(0) });
    });
  }

  private onEvent(event: EngineEvent): void {
    switch (event.type) {
      case 'ready':
        this.sockets += event.sockets;
        return;
      case 'sent':
        this.options.onSent(event.addrs, event.at - performance.timeOrigin);
        return;
      case 'snmp':
        this.options.onSnmp(event.addr, event.rttMs);
        return;
      case 'tcp':
        for (const { id, outcomes } of event.results) {
          const job = this.tcpJobs.get(id);
          if (!job) continue;
          this.tcpJobs.delete(id);
          this.tcpOutstanding -= job.ports;
          job.resolve(outcomes);
        }
        return;
      case 'closed':
        this.sendErrors += event.sendErrors;
        this.sent += event.sent;
        if (this.closing && --this.closing.remaining === 0) this.closing.resolve();
        return;
    }
  }
}
