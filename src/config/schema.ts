// The config file's schema, in zod. Validated in one place (./parse-config.ts); errors come back as
// "path: message" lines, never thrown from deep inside. Only a run that has a config file loads this
// module and zod (building the schemas at every start cost a scan some 20 ms). The settings a scan
// runs with, their defaults and the merge of the layers are in ./settings.ts.
import { z } from 'zod';
import { DURATION_PATTERN } from './duration.js';

const port = z.number().int().min(1).max(65535);

/** A secret: literal text, or a reference resolved at scan time ("env:VAR", "file:PATH"). */
const secret = z.string().min(1, 'a secret cannot be empty');

export const SNMP_AUTH_PROTOCOLS = ['md5', 'sha', 'sha224', 'sha256', 'sha384', 'sha512'] as const;
export const SNMP_PRIV_PROTOCOLS = ['des', 'aes', 'aes256'] as const;

const snmpV3UserSchema = z
  .object({
    /** The name --snmp-v3 selects; defaults to the user name. */
    name: z.string().regex(/^[A-Za-z0-9_.@-]+$/, 'names use letters, digits, _ . @ -').optional(),
    user: z.string().min(1),
    authProtocol: z.enum(SNMP_AUTH_PROTOCOLS).optional(),
    authKey: secret.optional(),
    privProtocol: z.enum(SNMP_PRIV_PROTOCOLS).optional(),
    privKey: secret.optional(),
    context: z.string().optional(),
  })
  .strict()
  .refine((u) => !u.privProtocol || (u.authProtocol && u.authKey), { message: 'privacy needs authProtocol and authKey too (authPriv)' })
  .refine((u) => !u.authProtocol || u.authKey, { message: 'authProtocol needs authKey' })
  .refine((u) => !u.privProtocol || u.privKey, { message: 'privProtocol needs privKey' });
export type SnmpV3UserInput = z.infer<typeof snmpV3UserSchema>;

const snmpSettingsSchema = z
  .object({
    enabled: z.boolean().optional(),
    port: port.optional(),
    /** v1/v2c communities, tried in order after any v3 users (literal, env:VAR or file:PATH). */
    communities: z.array(secret).optional(),
    /** "v2c" (default) or "v1" for the communities. */
    version: z.enum(['v1', 'v2c']).optional(),
    v3: z.array(snmpV3UserSchema).optional(),
    timeoutMs: z.number().int().min(50).max(60_000).optional(),
    retries: z.number().int().min(0).max(5).optional(),
    /** Time budget for one device, all walks included. */
    deviceBudgetMs: z.number().int().min(500).max(600_000).optional(),
    /** Devices interrogated at once (one UDP socket each). */
    maxSessions: z.number().int().min(1).max(1024).optional(),
  })
  .strict();

/** Settings a profile may override. */
export const scanSettingsSchema = z
  .object({
    targets: z.array(z.string().min(1)).optional(),
    exclude: z.array(z.string().min(1)).optional(),
    ports: z.array(port).min(1).optional(),
    timeouts: z
      .object({
        connectMs: z.number().int().min(10).max(60_000).optional(),
        dnsMs: z.number().int().min(10).max(60_000).optional(),
      })
      .strict()
      .optional(),
    concurrency: z.number().int().min(1).max(20_000).optional(),
    /** Only find live hosts (how each answered, round trip, MAC): no port survey, SNMP walks, fingerprinting or nmap. */
    discoverOnly: z.boolean().optional(),
    maxHosts: z.number().int().min(1).optional(),
    label: z.string().optional(),
    dns: z
      .object({
        enabled: z.boolean().optional(),
        /** Resolvers for reverse lookups ("10.0.0.53", "127.0.0.1:5353"); default: the system's. */
        servers: z.array(z.string().min(1)).optional(),
      })
      .strict()
      .optional(),
    /** Exit 3 when more than this percentage of the named hosts (hostnames, single addresses) fail. */
    failThreshold: z.number().min(0).max(100).optional(),
    snmp: snmpSettingsSchema.optional(),
    /** nmap OS and service detection of live hosts: true, or its settings. */
    nmap: z
      .union([
        z.boolean(),
        z
          .object({
            enabled: z.boolean().optional(),
            /** Hosts per nmap run, how long to wait to fill a batch, and the limit of one run. */
            batchSize: z.number().int().min(1).max(4096).optional(),
            batchWaitMs: z.number().int().min(0).max(60_000).optional(),
            timeoutMs: z.number().int().min(1000).max(3_600_000).optional(),
            /** -O when running as root (default true). */
            osDetection: z.boolean().optional(),
          })
          .strict(),
      ])
      .optional(),
    /** Cheap fingerprinting (HTTP title, NetBIOS, mDNS, SSDP, a few more TCP ports) for classification. */
    fingerprint: z
      .object({
        enabled: z.boolean().optional(),
        timeoutMs: z.number().int().min(50).max(30_000).optional(),
        httpPorts: z.array(z.object({ port, tls: z.boolean() }).strict()).optional(),
        mdnsPort: port.optional(),
        ssdpPort: port.optional(),
        netbiosPort: port.optional(),
      })
      .strict()
      .optional(),
    discovery: z
      .object({
        /** Probes (datagrams and connects) per second at most. */
        rate: z.number().int().min(1).max(100_000).optional(),
        icmp: z.boolean().optional(),
        arp: z.boolean().optional(),
        /** As root, send a large local range's ARP requests with arp-scan (raw frames) rather than through the kernel. */
        arpScan: z.boolean().optional(),
        /** How long a local address may take to answer ARP before it counts as absent. */
        arpWaitMs: z.number().int().min(100).max(10_000).optional(),
        /** Probe silent local addresses a second time: when ARP loss calls for it (auto), always, never. */
        secondPass: z.enum(['auto', 'always', 'never']).optional(),
      })
      .strict()
      .optional(),
    /** When cron runs this scan: five crontab fields ("30 2 * * *") or @daily, @weekly, ... */
    schedule: z
      .string()
      .regex(/^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|(\S+\s+){4}\S+)$/, 'write five crontab fields, e.g. "30 2 * * *", or @daily')
      .refine((s) => !/[%\n]/.test(s), 'a schedule cannot hold % or a newline')
      .optional(),
    /** Whole-run time budget ("2h", "45m", "90s"); the run stops as if interrupted when it is spent. */
    maxDuration: z.string().regex(DURATION_PATTERN, 'write a duration such as 90s, 45m, 2h').optional(),
    /** Pruning after each scan that completes with these settings (see `netcensus prune`). */
    retention: z
      .object({
        keepLast: z.number().int().min(1).optional(),
        olderThan: z.string().regex(DURATION_PATTERN, 'write a duration such as 90d or 12w').optional(),
      })
      .strict()
      .refine((r) => r.keepLast !== undefined || r.olderThan !== undefined, 'give keepLast, olderThan or both')
      .optional(),
  })
  .strict();

export const configSchema = scanSettingsSchema
  .extend({
    database: z.string().min(1).optional(),
    profiles: z.record(z.string().regex(/^[A-Za-z0-9_.-]+$/, 'profile names use letters, digits, _ . -'), scanSettingsSchema).optional(),
  })
  .strict();

export type ScanSettingsInput = z.infer<typeof scanSettingsSchema>;
export type ConfigFile = z.infer<typeof configSchema>;

/** zod issues as "path: message" lines. */
export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    return `${path}: ${issue.message}`;
  });
}
