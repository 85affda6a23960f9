// The explicit scanner registry: which discoverers and interrogators a scan runs, built from the
// resolved settings. A new scanner is one folder under scan/ and one line here.
import type { ScanSettings } from '../config/schema.js';
import type { SnmpCredential } from '../config/credentials.js';
import { dnsInterrogator } from './dns/index.js';
import { snmpInterrogator, type SnmpQueryPlanner } from './snmp/index.js';
import { sweepDiscoverer, type SweepDiscoverer } from './discover/index.js';
import type { Interrogator } from './scanner.js';
import type { SystemTools } from './tools.js';

/** The sweep, with the v1/v2c communities (resolved secrets) its SNMP probe may use. */
export function buildDiscoverer(settings: ScanSettings, communities: string[], tools: SystemTools): SweepDiscoverer {
  return sweepDiscoverer({
    ports: settings.ports,
    connectTimeoutMs: settings.connectTimeoutMs,
    concurrency: settings.concurrency,
    rate: settings.rate,
    icmp: settings.icmp,
    icmpTimeoutMs: Math.min(settings.connectTimeoutMs, 1000),
    arp: settings.arp,
    arpWaitMs: settings.arpWaitMs,
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
}

/** Interrogators run in this order on each live host. */
export function buildInterrogators(settings: ScanSettings, inputs: InterrogatorInputs = {}): Interrogator[] {
  const interrogators: Interrogator[] = [];
  if (settings.dnsEnabled) interrogators.push(dnsInterrogator({ timeoutMs: settings.dnsTimeoutMs, servers: settings.dnsServers }));
  const credentials = inputs.credentials ?? [];
  if (settings.snmp.enabled && credentials.length > 0 && inputs.snmpPlanner) {
    interrogators.push(
      snmpInterrogator({
        credentials,
        port: settings.snmp.port,
        timeoutMs: settings.snmp.timeoutMs,
        retries: settings.snmp.retries,
        deviceBudgetMs: settings.snmp.deviceBudgetMs,
        maxSessions: settings.snmp.maxSessions,
        planner: inputs.snmpPlanner,
      }),
    );
  }
  return interrogators;
}
