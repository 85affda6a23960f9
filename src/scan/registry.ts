// The explicit scanner registry: which discoverers and interrogators a scan runs, built from the
// resolved settings. A new scanner is one folder under scan/ and one line here.
import type { ScanSettings } from '../config/settings.js';
import type { SnmpCredential } from '../config/credentials.js';
import { dnsInterrogator } from './dns/index.js';
import type { RememberedCredentialLookup, SnmpQueryPlanner } from './snmp/index.js';
import { sweepDiscoverer, type SweepDiscoverer } from './discover/index.js';
import type { Interrogator } from './scanner.js';
import type { SystemTools } from './tools.js';
import type { NmapInterrogator } from './nmap/index.js';

/** The sweep, with the v1/v2c communities (resolved secrets) its SNMP probe may use. */
export function buildDiscoverer(settings: ScanSettings, communities: string[], tools: SystemTools, expectedAddresses?: number): SweepDiscoverer {
  return sweepDiscoverer({
    ...(expectedAddresses !== undefined ? { expectedAddresses } : {}),
    ports: settings.ports,
    surveyPorts: !settings.discoverOnly,
    connectTimeoutMs: settings.connectTimeoutMs,
    concurrency: settings.concurrency,
    rate: settings.rate,
    icmp: settings.icmp,
    icmpTimeoutMs: Math.min(settings.connectTimeoutMs, 1000),
    arp: settings.arp,
    arpScan: settings.arpScan,
    arpWaitMs: settings.arpWaitMs,
    secondPass: settings.secondPass,
    communities: settings.snmp.enabled ? communities : [],
    snmpVersion: settings.snmp.version,
    snmpPort: settings.snmp.port,
    snmpTimeoutMs: settings.snmp.timeoutMs,
    tools,
  });
}

/** What interrogators need beyond settings: resolved secrets, and identify's SNMP planner. */
export interface InterrogatorInputs {
  credentials?: SnmpCredential[];
  snmpPlanner?: SnmpQueryPlanner;
  /** The SNMP credential an earlier scan remembered for a host (store/snmp-credential-memory). */
  snmpRememberedCredential?: RememberedCredentialLookup;
  /** nmap's path (findTools); null or absent: no nmap interrogator even when settings ask for one. */
  nmapPath?: string | null;
  /** Whether nmap may run -O (root). */
  privileged?: boolean;
  uid?: number | null;
  /** The ports identify's classification rules look at (the fingerprint probe tries the unswept ones). */
  classificationPorts?: number[];
}

/**
 * Interrogators run in this order on each live host. Each is imported only when the scan uses it:
 * net-snmp, the nmap XML parser and the fingerprint probes cost start-up time on every cron run.
 */
export async function buildInterrogators(settings: ScanSettings, inputs: InterrogatorInputs = {}): Promise<Interrogator[]> {
  const interrogators: Interrogator[] = [];
  if (settings.dnsEnabled) interrogators.push(dnsInterrogator({ timeoutMs: settings.dnsTimeoutMs, servers: settings.dnsServers }));
  // Discovery only: a name is all that is asked of a live host (the sweep's SNMP GET still proves life).
  if (settings.discoverOnly) return interrogators;
  const credentials = inputs.credentials ?? [];
  if (settings.snmp.enabled && credentials.length > 0 && inputs.snmpPlanner) {
    const { snmpInterrogator } = await import('./snmp/index.js');
    interrogators.push(
      snmpInterrogator({
        credentials,
        port: settings.snmp.port,
        timeoutMs: settings.snmp.timeoutMs,
        retries: settings.snmp.retries,
        deviceBudgetMs: settings.snmp.deviceBudgetMs,
        maxSessions: settings.snmp.maxSessions,
        planner: inputs.snmpPlanner,
        ...(inputs.snmpRememberedCredential ? { rememberedCredential: inputs.snmpRememberedCredential } : {}),
      }),
    );
  }
  // Guessers last: their facts rank below SNMP's and DNS's where both give one (see run-scan).
  if (settings.fingerprint.enabled) {
    const { fingerprintInterrogator } = await import('./fingerprint/index.js');
    interrogators.push(
      fingerprintInterrogator({
        ...settings.fingerprint,
        ports: inputs.classificationPorts ?? [],
        sweptPorts: settings.ports,
      }),
    );
  }
  if (settings.nmap.enabled && inputs.nmapPath) interrogators.push(await buildNmap(settings, inputs.nmapPath, inputs));
  return interrogators;
}

async function buildNmap(settings: ScanSettings, command: string, inputs: InterrogatorInputs): Promise<NmapInterrogator> {
  const { nmapInterrogator } = await import('./nmap/index.js');
  return nmapInterrogator({
    command,
    privileged: inputs.privileged ?? false,
    uid: inputs.uid ?? null,
    osDetection: settings.nmap.osDetection,
    ports: settings.ports,
    batchSize: settings.nmap.batchSize,
    batchWaitMs: settings.nmap.batchWaitMs,
    timeoutMs: settings.nmap.timeoutMs,
  });
}

export const NMAP_MISSING = 'nmap is not installed (not on PATH): scanned without OS and service detection';

/** What the user should hear once about the interrogators (nmap asked for but missing, -O skipped). */
export function interrogatorWarnings(settings: ScanSettings, interrogators: Interrogator[], nmapPath: string | null | undefined): string[] {
  const warnings: string[] = [];
  if (settings.nmap.enabled && !nmapPath) warnings.push(NMAP_MISSING);
  for (const i of interrogators) if ('warnings' in i && typeof i.warnings === 'function') warnings.push(...(i as NmapInterrogator).warnings());
  return warnings;
}
