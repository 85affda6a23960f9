// TCP connect discovery ("TCP ping"). Sends: one connect() per address and port of a short list
// (default 22, 80, 135, 139, 443, 445, 515, 631, 3389, 9100). A completed handshake is an open port;
// a refusal (RST) also proves the host alive. Caveats: needs no privileges, but each probe is a
// socket, so sockets in flight are capped; a host with every port filtered looks dead; loopback
// (127.0.0.0/8) refuses on every address, so every loopback address is alive.
import { connect } from 'node:net';
import type { Liveness, Observation, OpenPort, ScanStatus } from '../../../model/index.js';
import { mapUnordered } from '../../map-unordered.js';
import type { Discoverer, ScanContext } from '../../scanner.js';

export interface TcpDiscoverOptions {
  ports: number[];
  timeoutMs: number;
  /** Sockets in flight at most. */
  concurrency: number;
}

export type PortOutcome = { port: number; status: ScanStatus; rttMs: number; code?: string };

/** One connect attempt; never throws. `ok` = open, `refused` = RST (host up, port closed). */
export function probePort(address: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<PortOutcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect({ host: address, port });
    let settled = false;
    const finish = (status: ScanStatus, code?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve({ port, status, rttMs: Math.round((performance.now() - started) * 100) / 100, ...(code ? { code } : {}) });
    };
    const onAbort = (): void => finish('skipped', 'aborted');
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => finish('ok'));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      switch (error.code) {
        case 'ECONNREFUSED':
          return finish('refused', error.code);
        case 'EHOSTUNREACH':
        case 'ENETUNREACH':
        case 'EHOSTDOWN':
          return finish('unreachable', error.code);
        case 'ETIMEDOUT':
          return finish('timeout', error.code);
        default:
          return finish('error', error.code ?? 'error');
      }
    });
  });
}

/** Decides a host from its ports' outcomes: alive if any port answered (open or refused). */
export function hostObservation(address: string, outcomes: PortOutcome[], at: string): Observation {
  const answered = outcomes.filter((o) => o.status === 'ok' || o.status === 'refused');
  const open: OpenPort[] = outcomes
    .filter((o) => o.status === 'ok')
    .map((o) => ({ port: o.port, protocol: 'tcp' as const }))
    .sort((a, b) => a.port - b.port);
  if (answered.length > 0) {
    const first = answered.reduce((a, b) => (b.rttMs < a.rttMs ? b : a));
    const liveness: Liveness[] = [{ method: `tcp:${first.port}`, rttMs: first.rttMs }];
    return {
      scanner: 'discover:tcp',
      address,
      at,
      status: 'ok',
      facts: {
        liveness,
        ...(open.length > 0 ? { openPorts: { value: open, source: 'tcp:connect' } } : {}),
      },
    };
  }
  // Dead or filtered: report the most telling status (unreachable beats timeout beats error).
  const rank: ScanStatus[] = ['unreachable', 'timeout', 'error', 'skipped'];
  const status = rank.find((s) => outcomes.some((o) => o.status === s)) ?? 'timeout';
  const ports = outcomes.map((o) => o.port).join(',');
  return { scanner: 'discover:tcp', address, at, status, facts: {}, detail: `no answer on tcp ${ports}` };
}

export function tcpDiscoverer(options: TcpDiscoverOptions): Discoverer {
  const hostsInFlight = Math.max(1, Math.floor(options.concurrency / options.ports.length));
  return {
    name: 'discover:tcp',
    describe: `TCP connect to ports ${options.ports.join(', ')}; an open or refused port proves a host alive`,
    sweep(addresses, ctx: ScanContext) {
      return mapUnordered(
        addresses,
        hostsInFlight,
        async (address) => {
          const outcomes = await Promise.all(
            options.ports.map((port) => probePort(address, port, options.timeoutMs, ctx.signal)),
          );
          return hostObservation(address, outcomes, ctx.now().toISOString());
        },
        ctx.signal,
      );
    },
  };
}
