// The config file's schema, its defaults, and the merge of defaults < file < profile < flags.
// Validated in one place; errors come back as "path: message" lines, never thrown from deep inside.
import { z } from 'zod';

export const DEFAULT_PORTS = [22, 80, 135, 139, 443, 445, 515, 631, 3389, 9100] as const;

const port = z.number().int().min(1).max(65535);

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

/** Fully resolved settings for one scan. */
export interface ScanSettings {
  targets: string[];
  exclude: string[];
  ports: number[];
  connectTimeoutMs: number;
  dnsTimeoutMs: number;
  concurrency: number;
  maxHosts: number;
  label: string | null;
  dnsEnabled: boolean;
  dnsServers: string[];
  failThreshold: number;
}

export const DEFAULT_SCAN_SETTINGS: ScanSettings = {
  targets: [],
  exclude: [],
  ports: [...DEFAULT_PORTS],
  connectTimeoutMs: 1000,
  dnsTimeoutMs: 2000,
  concurrency: 256,
  maxHosts: 65_536,
  label: null,
  dnsEnabled: true,
  dnsServers: [],
  failThreshold: 50,
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
    maxHosts: layer.maxHosts ?? base.maxHosts,
    label: layer.label ?? base.label,
    dnsEnabled: layer.dns?.enabled ?? base.dnsEnabled,
    dnsServers: layer.dns?.servers ?? base.dnsServers,
    failThreshold: layer.failThreshold ?? base.failThreshold,
  };
}

/** zod issues as "path: message" lines. */
export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    return `${path}: ${issue.message}`;
  });
}
