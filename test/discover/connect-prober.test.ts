// The sweep's TCP connect prober, on loopback: through Node's TCP handle it must give the same
// verdict as net.connect (its fallback) for an open port, a closed one and one whose SYNs go
// unanswered, keep to its cap on sockets in flight, stop on abort, and leave nothing holding the
// process open.
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectProber } from '../../src/scan/discover/tcp/connect-prober.js';
import type { PortOutcome } from '../../src/scan/discover/tcp/index.js';
import { listen, pickPort, type Listener } from '../helpers/listeners.js';

const HOST = '127.61.0.1';

/**
 * A port that never answers a SYN: a listener with a one-place accept queue (backlog 1) whose thread never
 * accepts (it sleeps in Atomics.wait). Once the queue is full the kernel drops further SYNs, so a
 * connect to it can only time out.
 */
async function unansweredPort(port: number): Promise<{ close(): Promise<void> }> {
  const worker = new Worker(
    `const { createServer } = require('node:net');
     const { parentPort, workerData } = require('node:worker_threads');
     const server = createServer();
     server.listen({ host: workerData.host, port: workerData.port, backlog: 1 }, () => {
       parentPort.postMessage('listening');
       Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
     });`,
    { eval: true, workerData: { host: HOST, port } },
  );
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  const prober = new ConnectProber({ concurrency: 8, timeoutMs: 300 });
  // Fill the accept queue: the first connects complete the handshake and then sit there unaccepted.
  for (let i = 0; i < 4; i++) await probe(prober, HOST, [port]);
  return { close: () => worker.terminate().then(() => undefined) };
}

function probe(prober: ConnectProber, address: string, ports: number[]): Promise<PortOutcome[]> {
  return new Promise((resolve) => prober.probeHost(address, ports, resolve));
}

const statuses = (outcomes: PortOutcome[]) => outcomes.map((o) => `${o.port}:${o.status}${o.code ? `:${o.code}` : ''}`);

describe('ConnectProber', () => {
  const open = pickPort(61);
  const closed = open + 1;
  const silent = open + 2;
  let listener: Listener;
  let blackhole: { close(): Promise<void> };

  beforeAll(async () => {
    listener = await listen(HOST, open);
    blackhole = await unansweredPort(silent);
  });
  afterAll(async () => {
    await listener?.close();
    await blackhole?.close();
  });

  it('uses the TCP handle on this Node, and gives the verdicts net.connect gives', async () => {
    const fast = new ConnectProber({ concurrency: 16, timeoutMs: 400 });
    const net = new ConnectProber({ concurrency: 16, timeoutMs: 400 }, 'net');
    // Node 20 to 24 all have it: a silent fall back to net.connect would lose the speed unnoticed.
    expect(fast.via).toBe('tcp-handle');
    expect(net.via).toBe('net');
    const ports = [open, closed, silent];
    const viaHandle = await probe(fast, HOST, ports);
    const viaNet = await probe(net, HOST, ports);
    expect(statuses(viaHandle)).toEqual([`${open}:ok`, `${closed}:refused:ECONNREFUSED`, `${silent}:timeout`]);
    expect(statuses(viaNet)).toEqual(statuses(viaHandle));
    for (const outcome of [...viaHandle, ...viaNet]) expect(outcome.rttMs).toBeGreaterThanOrEqual(0);
    // The timeout is a timeout, not an early verdict.
    expect(viaHandle[2]!.rttMs).toBeGreaterThanOrEqual(390);
  });

  it('answers every host of a large batch, each port in order, under its cap', async () => {
    const prober = new ConnectProber({ concurrency: 32, timeoutMs: 1000 });
    const hosts = Array.from({ length: 300 }, (_, i) => `127.62.${(i + 1) >> 8}.${(i + 1) & 255}`);
    const results = await Promise.all(hosts.map((h) => probe(prober, h, [closed, closed + 100, closed + 200])));
    for (const outcomes of results) {
      expect(outcomes.map((o) => o.port)).toEqual([closed, closed + 100, closed + 200]);
      // Every loopback address refuses a port nobody listens on.
      expect(outcomes.every((o) => o.status === 'refused')).toBe(true);
    }
  });

  it('keeps to its cap on sockets in flight', async () => {
    // Two at a time against a port that never answers: six connects take three timeouts.
    const prober = new ConnectProber({ concurrency: 2, timeoutMs: 200 });
    const started = performance.now();
    const outcomes = await probe(prober, HOST, [silent, silent, silent, silent, silent, silent]);
    expect(outcomes.every((o) => o.status === 'timeout')).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(3 * 200 - 10);
  });

  it('skips what has not started when aborted, and what is in flight at its timeout', async () => {
    const prober = new ConnectProber({ concurrency: 1, timeoutMs: 300 });
    const pending = probe(prober, HOST, [silent, open, closed]);
    prober.abort();
    const outcomes = await pending;
    expect(statuses(outcomes)).toEqual([`${silent}:skipped`, `${open}:skipped:aborted`, `${closed}:skipped:aborted`]);
    // A host given after the abort is answered at once, not left waiting.
    expect(statuses(await probe(prober, HOST, [open]))).toEqual([`${open}:skipped:aborted`]);
  });

  it('leaves no timer holding the process once its connects are answered', async () => {
    const script = `
      import { ConnectProber } from ${JSON.stringify(new URL('../../dist/scan/discover/tcp/connect-prober.js', import.meta.url).href)};
      const prober = new ConnectProber({ concurrency: 4, timeoutMs: 30000 });
      prober.probeHost(${JSON.stringify(HOST)}, [${closed}], (o) => console.log(o[0].status));`;
    const { spawnSync } = await import('node:child_process');
    const started = performance.now();
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(run.stdout.trim(), run.stderr).toBe('refused');
    // Far less than the 30 s timeout: the process ended when its only connect was answered.
    expect(performance.now() - started).toBeLessThan(15_000);
  });
});
