// The settings a scan runs with: their defaults, and the merge of defaults < file < profile < flags.
// The file is validated against ./schema.ts (zod), imported only when there is a file.
import { parseDuration } from './duration.js';
import type { ScanSettingsInput, SnmpV3UserInput } from './schema.js';

export type { ConfigFile, ScanSettingsInput, SnmpV3UserInput } from './schema.js';

export const DEFAULT_PORTS = [22, 80, 135, 139, 443, 445, 515, 631, 3389, 9100] as const;

/** Fully resolved settings for one scan. */
export interface ScanSettings {
  targets: string[];
  exclude: string[];
  ports: number[];
  connectTimeoutMs: number;
  dnsTimeoutMs: number;
  concurrency: number;
  /**
   * Only find live hosts, as nmap -sn does: how each answered, its round trip, MAC and maker. No
   * connects to hosts on a local segment (ARP proves them alive; routed hosts still get the port
   * list at once, since that is how they prove themselves alive), and no SNMP walks,
   * fingerprinting or nmap (reverse DNS still runs unless turned off).
   */
  discoverOnly: boolean;
  maxHosts: number;
  label: string | null;
  dnsEnabled: boolean;
  dnsServers: string[];
  failThreshold: number;
  snmp: SnmpSettings;
  rate: number;
  icmp: boolean;
  arp: boolean;
  arpScan: boolean;
  arpWaitMs: number;
  secondPass: 'auto' | 'always' | 'never';
  nmap: NmapSettings;
  fingerprint: FingerprintSettings;
  /** Five crontab fields or @daily..., for `netcensus cron`; null = not scheduled. */
  schedule: string | null;
  /** Whole-run time budget in ms; null = none. */
  maxDurationMs: number | null;
  /** Pruning after a complete scan; null = keep everything. */
  retention: RetentionSettings | null;
}

export interface RetentionSettings {
  keepLast?: number;
  olderThanMs?: number;
}

export interface NmapSettings {
  enabled: boolean;
  batchSize: number;
  batchWaitMs: number;
  timeoutMs: number;
  osDetection: boolean;
}

export interface FingerprintSettings {
  enabled: boolean;
  timeoutMs: number;
  httpPorts: { port: number; tls: boolean }[];
  mdnsPort: number;
  ssdpPort: number;
  netbiosPort: number;
}

/** SNMP settings with secrets still as written (literal, env:, file:); see config/credentials.ts. */
export interface SnmpSettings {
  enabled: boolean;
  port: number;
  communities: string[];
  version: 'v1' | 'v2c';
  v3: SnmpV3UserInput[];
  /** Only these v3 users (by name), from --snmp-v3; null = all configured. */
  v3Only: string[] | null;
  timeoutMs: number;
  retries: number;
  deviceBudgetMs: number;
  maxSessions: number;
}

export const DEFAULT_SCAN_SETTINGS: ScanSettings = {
  targets: [],
  exclude: [],
  ports: [...DEFAULT_PORTS],
  connectTimeoutMs: 1000,
  dnsTimeoutMs: 2000,
  concurrency: 256,
  discoverOnly: false,
  maxHosts: 65_536,
  label: null,
  dnsEnabled: true,
  dnsServers: [],
  failThreshold: 50,
  snmp: {
    enabled: true,
    port: 161,
    communities: [],
    version: 'v2c',
    v3: [],
    v3Only: null,
    timeoutMs: 1500,
    retries: 1,
    deviceBudgetMs: 30_000,
    maxSessions: 64,
  },
  rate: 10_000,
  icmp: true,
  arp: true,
  arpScan: true,
  arpWaitMs: 3000,
  secondPass: 'auto',
  nmap: { enabled: false, batchSize: 64, batchWaitMs: 200, timeoutMs: 300_000, osDetection: true },
  fingerprint: {
    enabled: true,
    timeoutMs: 1500,
    httpPorts: [
      { port: 80, tls: false },
      { port: 443, tls: true },
      { port: 8080, tls: false },
      { port: 8443, tls: true },
    ],
    mdnsPort: 5353,
    ssdpPort: 1900,
    netbiosPort: 137,
  },
  schedule: null,
  maxDurationMs: null,
  retention: null,
};

/** Applies one layer of settings (file, profile, or flags) over another. */
export function applySettings(base: ScanSettings, layer: ScanSettingsInput): ScanSettings {
  return {
    targets: layer.targets ?? base.targets,
    exclude: layer.exclude ?? base.exclude,
    ports: layer.ports ? [...new Set(layer.ports)] : base.ports,
    connectTimeoutMs: layer.timeouts?.connectMs ?? base.connectTimeoutMs,
    dnsTimeoutMs: layer.timeouts?.dnsMs ?? base.dnsTimeoutMs,
    concurrency: layer.concurrency ?? base.concurrency,
    discoverOnly: layer.discoverOnly ?? base.discoverOnly,
    maxHosts: layer.maxHosts ?? base.maxHosts,
    label: layer.label ?? base.label,
    dnsEnabled: layer.dns?.enabled ?? base.dnsEnabled,
    dnsServers: layer.dns?.servers ?? base.dnsServers,
    failThreshold: layer.failThreshold ?? base.failThreshold,
    snmp: applySnmpSettings(base.snmp, layer.snmp),
    rate: layer.discovery?.rate ?? base.rate,
    icmp: layer.discovery?.icmp ?? base.icmp,
    arp: layer.discovery?.arp ?? base.arp,
    arpScan: layer.discovery?.arpScan ?? base.arpScan,
    arpWaitMs: layer.discovery?.arpWaitMs ?? base.arpWaitMs,
    secondPass: layer.discovery?.secondPass ?? base.secondPass,
    nmap: layer.nmap === undefined ? base.nmap : typeof layer.nmap === 'boolean' ? { ...base.nmap, enabled: layer.nmap } : { ...base.nmap, ...definedOnly(layer.nmap), enabled: layer.nmap.enabled ?? true },
    fingerprint: layer.fingerprint ? { ...base.fingerprint, ...definedOnly(layer.fingerprint) } : base.fingerprint,
    schedule: layer.schedule ?? base.schedule,
    maxDurationMs: layer.maxDuration !== undefined ? parseDuration(layer.maxDuration) : base.maxDurationMs,
    retention: layer.retention
      ? {
          ...(layer.retention.keepLast !== undefined ? { keepLast: layer.retention.keepLast } : {}),
          ...(layer.retention.olderThan !== undefined ? { olderThanMs: parseDuration(layer.retention.olderThan) } : {}),
        }
      : base.retention,
  };
}

function applySnmpSettings(base: SnmpSettings, layer: ScanSettingsInput['snmp']): SnmpSettings {
  if (!layer) return base;
  return {
    enabled: layer.enabled ?? base.enabled,
    port: layer.port ?? base.port,
    communities: layer.communities ?? base.communities,
    version: layer.version ?? base.version,
    v3: layer.v3 ?? base.v3,
    v3Only: base.v3Only,
    timeoutMs: layer.timeoutMs ?? base.timeoutMs,
    retries: layer.retries ?? base.retries,
    deviceBudgetMs: layer.deviceBudgetMs ?? base.deviceBudgetMs,
    maxSessions: layer.maxSessions ?? base.maxSessions,
  };
}

function definedOnly<T extends object>(o: T): { [K in keyof T]-?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]-?: Exclude<T[K], undefined> };
}
