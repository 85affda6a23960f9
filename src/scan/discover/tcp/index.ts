// What TCP connect probes ("TCP ping", connect-prober.ts) found. Sends: one connect() per port of a
// short list (default 22, 80, 135, 139, 443, 445, 515, 631, 3389, 9100). A completed handshake is an
// open port; a refusal (RST) also proves the host alive. Caveats: needs no privileges, but each probe
// is a socket, so sockets in flight are capped; a host with every port filtered looks dead; loopback
// (127.0.0.0/8) refuses on every address, so every loopback address is alive.
import type { ScanStatus } from '../../../model/index.js';

export type PortOutcome = { port: number; status: ScanStatus; rttMs: number; code?: string };

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
