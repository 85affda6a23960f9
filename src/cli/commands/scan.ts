// `netcensus scan`: argv -> settings -> runScan -> summary. Bad input is refused before the
// database is opened, so a typo never leaves a snapshot behind.
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { resolveSnmpCredentials } from '../../config/credentials.js';
import { DefinitionError, parseDefinitionFile, type LoadedProductLine } from '../../identify/index.js';
import { findTools } from '../../scan/tools.js';
import { loadConfig } from '../../config/load-config.js';
import { applySettings, DEFAULT_SCAN_SETTINGS, type ScanSettings } from '../../config/schema.js';
import { ConfigError, UsageError } from '../../model/index.js';
import { buildTargetSet, readTargetFile } from '../../targets/index.js';
import { openStoreForWriting, type GlobalOptions } from '../context.js';
import { EXIT } from '../exit-codes.js';
import type { Output } from '../output.js';
import { runScan, type ScanProgress, type ScanSummary } from '../run-scan.js';

export interface ScanFlags extends GlobalOptions {
  profile?: string;
  exclude?: string[];
  ports?: number[];
  timeout?: number;
  concurrency?: number;
  maxHosts?: number;
  label?: string;
  dns?: boolean;
  dnsServer?: string[];
  failThreshold?: number;
  quiet?: boolean;
  rate?: number;
  icmp?: boolean;
  arp?: boolean;
  arpWait?: number;
  community?: string[];
  snmpV3?: string[];
  snmpPort?: number;
  snmpTimeout?: number;
  snmp?: boolean;
}

export async function scanCommand(args: string[], flags: ScanFlags, output: Output): Promise<number> {
  const { settings, configDir } = resolveSettings(flags);
  const targetTexts = await expandTargetFiles(args.length > 0 ? args : settings.targets);
  if (targetTexts.length === 0) {
    throw new UsageError(
      flags.profile
        ? `profile "${flags.profile}" has no targets; add targets to it in the config or name them on the command line`
        : 'no targets: name one (e.g. netcensus scan 192.168.1.0/24), or set targets in the config file',
    );
  }
  const targetSet = buildTargetSet(targetTexts, await expandTargetFiles(settings.exclude), { maxHosts: settings.maxHosts });

  const credentials = settings.snmp.enabled
    ? resolveSnmpCredentials(settings.snmp, { env: process.env, baseDir: configDir })
    : [];

  const store = openStoreForWriting(flags);
  const controller = new AbortController();
  // Every probe in flight listens for the abort; thousands at once is by design, not a leak.
  setMaxListeners(0, controller.signal);
  let signalExit = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) process.exit(signal === 'SIGINT' ? EXIT.sigint : EXIT.sigterm);
    signalExit = signal === 'SIGINT' ? EXIT.sigint : EXIT.sigterm;
    if (!flags.quiet) output.err(`\nnetcensus: ${signal}: stopping, keeping what was found so far\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const progress = !flags.quiet && output.stderrIsTTY ? progressPrinter(output) : undefined;
  let summary: ScanSummary;
  try {
    summary = await runScan(
      { settings, targetSet, targetTexts, profile: flags.profile ?? null, credentials, vendorDefinitions: loadUserDefinitions(configDir) },
      {
        store,
        tools: findTools(),
        now: () => new Date(),
        signal: controller.signal,
        pid: process.pid,
        host: hostname(),
        isRunAlive,
        ...(progress ? { onProgress: progress.update } : {}),
      },
    );
  } finally {
    progress?.done();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await store.close();
  }

  if (flags.json) output.out(JSON.stringify(summary, null, 2) + '\n');
  else if (!flags.quiet) output.err(summaryLine(summary) + '\n');
  if (!flags.quiet) {
    for (const w of summary.discovery.warnings) output.err(`netcensus: warning: ${w}\n`);
    for (const f of summary.failedTargets) output.err(`netcensus: ${f.target}: ${f.reason}\n`);
  }
  if (signalExit) return signalExit;
  const failedPct = summary.namedTargets > 0 ? (100 * summary.failedTargets.length) / summary.namedTargets : 0;
  return summary.failedTargets.length > 0 && failedPct > settings.failThreshold ? EXIT.targetsFailed : EXIT.ok;
}

function resolveSettings(flags: ScanFlags): { settings: ScanSettings; configDir: string } {
  const { config, path } = loadConfig({ explicit: flags.config, cwd: process.cwd(), env: process.env });
  const configDir = path ? dirname(path) : process.cwd();
  let settings = applySettings(DEFAULT_SCAN_SETTINGS, config);
  if (flags.profile) {
    const profile = config.profiles?.[flags.profile];
    if (!profile) {
      const known = Object.keys(config.profiles ?? {});
      throw new UsageError(
        `profile "${flags.profile}" is not in ${path ?? 'any config file'}` +
          (known.length > 0 ? `; known profiles: ${known.join(', ')}` : '; define it under "profiles:" in the config'),
      );
    }
    settings = applySettings(settings, profile);
  }
  const withFlags = applySettings(settings, {
    ...(flags.exclude ? { exclude: flags.exclude } : {}),
    ...(flags.ports ? { ports: flags.ports } : {}),
    ...(flags.timeout ? { timeouts: { connectMs: flags.timeout } } : {}),
    ...(flags.concurrency ? { concurrency: flags.concurrency } : {}),
    ...(flags.maxHosts ? { maxHosts: flags.maxHosts } : {}),
    ...(flags.label !== undefined ? { label: flags.label } : {}),
    ...(flags.dns === false || flags.dnsServer ? { dns: { ...(flags.dns === false ? { enabled: false } : {}), ...(flags.dnsServer ? { servers: flags.dnsServer } : {}) } } : {}),
    ...(flags.failThreshold !== undefined ? { failThreshold: flags.failThreshold } : {}),
    ...(flags.rate !== undefined || flags.icmp === false || flags.arp === false || flags.arpWait !== undefined
      ? {
          discovery: {
            ...(flags.rate !== undefined ? { rate: flags.rate } : {}),
            ...(flags.icmp === false ? { icmp: false } : {}),
            ...(flags.arp === false ? { arp: false } : {}),
            ...(flags.arpWait !== undefined ? { arpWaitMs: flags.arpWait } : {}),
          },
        }
      : {}),
  });
  return { settings: applySnmpFlags(withFlags, flags), configDir };
}

/** --community (replaces the configured communities), --snmp-v3, --snmp-port, --snmp-timeout, --no-snmp. */
function applySnmpFlags(settings: ScanSettings, flags: ScanFlags): ScanSettings {
  const snmp = { ...settings.snmp };
  if (flags.community) snmp.communities = flags.community;
  if (flags.snmpV3) snmp.v3Only = flags.snmpV3;
  if (flags.snmpPort !== undefined) snmp.port = flags.snmpPort;
  if (flags.snmpTimeout !== undefined) snmp.timeoutMs = flags.snmpTimeout;
  if (flags.snmp === false) snmp.enabled = false;
  return { ...settings, snmp };
}

/** The user's vendor definitions: CONFIG_DIR/vendors/*.yaml|yml|json, validated (exit 2 when wrong). */
function loadUserDefinitions(configDir: string): LoadedProductLine[] {
  const dir = join(configDir, 'vendors');
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
  try {
    return files.flatMap((f) => parseDefinitionFile(readFileSync(join(dir, f), 'utf8'), join(dir, f)));
  } catch (error) {
    if (error instanceof DefinitionError) throw new ConfigError(error.file, error.issues);
    throw error;
  }
}

/** Replaces each `@file` by the targets listed in it. */
async function expandTargetFiles(specs: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const spec of specs) {
    if (spec.startsWith('@')) out.push(...(await readTargetFile(spec.slice(1))));
    else out.push(...spec.split(',').map((s) => s.trim()).filter(Boolean));
  }
  return out;
}

/**
 * Whether the process that started a `running` snapshot still runs. Only answerable on this host;
 * a run started on another host (a shared database file) is assumed alive. On Linux the pid must
 * also still be a netcensus process, so a reused pid does not hold the lock forever.
 */
export function isRunAlive(pid: number, host: string): boolean {
  if (host !== hostname()) return true;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('netcensus');
  } catch {
    return true;
  }
}

function summaryLine(s: ScanSummary): string {
  const secs = (s.durationMs / 1000).toFixed(1);
  const earlier = s.interruptedEarlier.length > 0 ? `; marked earlier run(s) ${s.interruptedEarlier.join(', ')} interrupted` : '';
  return (
    `snapshot ${s.snapshotId} ${s.status}: ${s.counts.probed} probed, ${s.counts.alive} alive, ` +
    `${s.counts.records} stored (${s.counts.newAssets} new) in ${secs} s${earlier}`
  );
}

function progressPrinter(output: Output): { update: (p: ScanProgress) => void; done: () => void } {
  const started = Date.now();
  let last = 0;
  let shown = false;
  return {
    update(p) {
      const now = Date.now();
      if (now - last < 100 && p.probed < p.total) return;
      last = now;
      shown = true;
      const elapsed = (now - started) / 1000;
      const eta = p.probed > 0 && p.probed < p.total ? ` · ETA ${Math.ceil((elapsed / p.probed) * (p.total - p.probed))} s` : '';
      output.err(`\r\x1b[Kprobed ${p.probed}/${p.total} · alive ${p.alive} · stored ${p.stored}${eta}`);
    },
    done() {
      if (shown) output.err('\r\x1b[K');
    },
  };
}
