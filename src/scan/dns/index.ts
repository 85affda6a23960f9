// Reverse DNS of live hosts. Sends: one PTR query per live address to the configured resolvers
// (default: the system's, from /etc/resolv.conf). Caveats: c-ares does not read /etc/hosts, so
// names only known there are not found; a missing PTR record is `ok` with no hostname, not an error.
import { Resolver } from 'node:dns/promises';
import type { Observation, ScanStatus } from '../../model/index.js';
import type { Interrogator, LiveHost, ScanContext } from '../scanner.js';

export interface DnsOptions {
  timeoutMs: number;
  servers: string[];
}

export function dnsInterrogator(options: DnsOptions): Interrogator {
  const resolver = new Resolver({ timeout: options.timeoutMs, tries: 2 });
  if (options.servers.length > 0) resolver.setServers(options.servers);
  return {
    name: 'dns',
    describe: `reverse DNS (PTR) through ${options.servers.length > 0 ? options.servers.join(', ') : 'the system resolver'}`,
    async scan(host: LiveHost, ctx: ScanContext): Promise<Observation> {
      const at = ctx.now().toISOString();
      try {
        const names = await resolver.reverse(host.address);
        const hostnames = names.filter(isPlausibleHostname).map((n) => ({ value: n.toLowerCase().replace(/\.$/, ''), source: 'dns:PTR' }));
        return { scanner: 'dns', address: host.address, at, status: 'ok', facts: hostnames.length > 0 ? { hostnames } : {} };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? 'error';
        const status: ScanStatus =
          code === 'ENOTFOUND' || code === 'ENODATA' ? 'ok' : code === 'ETIMEOUT' ? 'timeout' : code === 'ECONNREFUSED' ? 'refused' : 'error';
        return { scanner: 'dns', address: host.address, at, status, facts: {}, ...(status === 'ok' ? {} : { detail: `PTR lookup: ${code}` }) };
      }
    },
  };
}

/** A PTR answer is network input: keep only what looks like a host name. */
function isPlausibleHostname(name: string): boolean {
  return name.length > 0 && name.length <= 253 && /^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_.])?$/.test(name);
}
