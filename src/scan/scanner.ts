// The scanner contract. Discovery scanners sweep a stream of addresses and say which are alive;
// interrogators ask one live host for facts. Every probe ends in a ScanStatus from the closed set:
// an unreachable host is an observation, never a thrown error. Only bugs and bad configuration throw.
import type { Observation } from '../model/index.js';

export interface ScanContext {
  signal: AbortSignal;
  now(): Date;
}

export interface Availability {
  ok: boolean;
  /** Why it cannot run here, and what that costs ("fping not installed: ICMP-only hosts are missed"). */
  reason?: string;
}

export interface Discoverer {
  readonly name: string;
  readonly describe: string;
  /**
   * Probes every address, with many in flight at once, and yields one observation per address as
   * soon as it is decided: status `ok` means alive (with Facts.liveness saying how).
   */
  sweep(addresses: Iterable<string> | AsyncIterable<string>, ctx: ScanContext): AsyncIterable<Observation>;
}

/** The host an interrogator is pointed at: its address and what discovery saw of it. */
export interface LiveHost {
  address: string;
  discovery: Observation;
}

export interface Interrogator {
  readonly name: string;
  readonly describe: string;
  scan(host: LiveHost, ctx: ScanContext): Promise<Observation>;
}

export function isAlive(observation: Observation): boolean {
  return observation.status === 'ok' && (observation.facts.liveness?.length ?? 0) > 0;
}
