// TCP connect probes ("TCP ping"). Sends: one connect() per port of a short list (default 22, 80,
// 135, 139, 443, 445, 515, 631, 3389, 9100). A completed handshake is an open port; a refusal (RST)
// also proves the host alive. Caveats: needs no privileges, but each probe is a socket, so sockets in
// flight are capped by the caller; a host with every port filtered looks dead; loopback
// (127.0.0.0/8) refuses on every address, so every loopback address is alive.
import { connect } from 'node:net';
import type { ScanStatus } from '../../../model/index.js';

export type PortOutcome = { port: number; status: ScanStatus; rttMs: number; code?: string };

/** One connect attempt; never throws. `ok` = open, `refused` = RST (host up, port closed). */
export function probePort(address: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<PortOutcome> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve({ port, status: 'skipped', rttMs: 0, code: 'aborted' });
    const started = performance.now();
    const socket = connect({ host: address, port });
    let settled = false;
    const finish = (status: ScanStatus, code?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ port, status, rttMs: Math.round((performance.now() - started) * 100) / 100, ...(code ? { code } : {}) });
    };
    // A sweep has thousands of probes in flight: the timer, not an abort listener per socket, ends
    // each one; an aborted scan stops starting new ones and waits at most one timeout.
    // The verdict waits one turn of the event loop: on a busy loop the timer can come due in the same
    // turn as the answer, and the answer, handled after timers, must win.
    const timer = setTimeout(() => setImmediate(() => finish(signal?.aborted ? 'skipped' : 'timeout')), timeoutMs);
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

/**
 * The port that proved the host alive, or null: the fastest open port, else the fastest refusal
 * (an open port says more about what the host is).
 */
export function firstAnswer(outcomes: readonly PortOutcome[]): PortOutcome | null {
  const fastest = (list: PortOutcome[]) => (list.length === 0 ? null : list.reduce((a, b) => (b.rttMs < a.rttMs ? b : a)));
  return fastest(outcomes.filter((o) => o.status === 'ok')) ?? fastest(outcomes.filter((o) => o.status === 'refused'));
}

/** Why a host that answered nothing looks dead: unreachable beats timeout beats error. */
export function silentStatus(outcomes: readonly PortOutcome[]): ScanStatus {
  const rank: ScanStatus[] = ['unreachable', 'timeout', 'error', 'skipped'];
  return rank.find((s) => outcomes.some((o) => o.status === s)) ?? 'timeout';
}
