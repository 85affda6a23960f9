// The explicit scanner registry: which discoverers and interrogators a scan runs, built from the
// resolved settings. A new scanner is one folder under scan/ and one line here.
import type { ScanSettings } from '../config/schema.js';
import { dnsInterrogator } from './dns/index.js';
import { tcpDiscoverer } from './discover/tcp/index.js';
import type { Discoverer, Interrogator } from './scanner.js';

export function buildDiscoverer(settings: ScanSettings): Discoverer {
  return tcpDiscoverer({ ports: settings.ports, timeoutMs: settings.connectTimeoutMs, concurrency: settings.concurrency });
}

/** Interrogators run in this order on each live host. */
export function buildInterrogators(settings: ScanSettings): Interrogator[] {
  const interrogators: Interrogator[] = [];
  if (settings.dnsEnabled) interrogators.push(dnsInterrogator({ timeoutMs: settings.dnsTimeoutMs, servers: settings.dnsServers }));
  return interrogators;
}
