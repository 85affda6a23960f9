// `netcensus scan`: argv -> settings -> runScan -> summary. Bad input is refused before the
// database is opened, so a typo never leaves a snapshot behind.
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { commandLineSecretWarning, resolveSnmpCredentials } from '../../config/credentials.js';
import { DefinitionError, type LoadedProductLine } from '../../identify/index.js';
import { findTools } from '../../scan/tools.js';
import { NMAP_MISSING } from '../../scan/registry.js';
import { loadConfig } from '../../config/load-config.js';
import { applySettings, DEFAULT_SCAN_SETTINGS, type ScanSettings } from '../../config/settings.js';
import { formatDuration, parseDuration } from '../../config/duration.js';
import { ConfigError, LockHeldError, UsageError } from '../../model/index.js';
import { pruneSnapshots, type PruneResult } from '../../store/prune-snapshots.js';
import { buildTargetSet, countAddresses, readTargetFile } from '../../targets/index.js';
import { openStoreForWriting, type GlobalOptions } from '../context.js';
import { EXIT, exitCodeFor, formatError } from '../exit-codes.js';
import { keepHeapSmall, SMALL_HEAP_FROM } from '../../scan/heap.js';
import { jsonEventLog, textEventLog, type ScanEventLog } from '../log-events.js';
import type { Output } from '../output.js';
import { runScan, type ScanSummary } from '../run-scan.js';

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
  secondPass?: 'auto' | 'always' | 'never';
  arpScan?: boolean;
  community?: string[];
  snmpV3?: string[];
  snmpPort?: number;
  snmpTimeout?: number;
  snmp?: boolean;
  /** --discover-only: live hosts only (see ScanSettings.discoverOnly). */
  discoverOnly?: boolean;
  /** --nmap: OS and service detection through nmap (exit 3 when nmap is missing). */
  nmap?: boolean;
  /** --no-fingerprint: no HTTP/NetBIOS/mDNS/SSDP probes. */
  fingerprint?: boolean;
  logFormat?: 'text' | 'json';
  /** Seconds to wait for a running scan to finish instead of exiting 4 at once. */
  wait?: number;
  /** Whole-run time budget ("2h", "45m", "90s"). */
  maxDuration?: string;
  /** Interrogation budget per host in ms (SNMP walks). */
  hostBudget?: number;
}

export async function scanCommand(args: string[], flags: ScanFlags, output: Output): Promise<number> {
  const json = flags.logFormat === 'json' && !flags.quiet;
  const log = json ? jsonEventLog(output) : textEventLog(output, { quiet: Boolean(flags.quiet), json: Boolean(flags.json) });
  try {
    return await scan(args, flags, output, log);
  } catch (error) {
    // With --log-format json an error is an event too, not a line of text.
    if (!json) throw error;
    log.error(formatError(error), exitCodeFor(error));
    return exitCodeFor(error);
  } finally {
    log.done();
  }
}

async function scan(args: string[], flags: ScanFlags, output: Output, log: ScanEventLog): Promise<number> {
  const commandStarted = Date.now();
  const { settings, configDir } = await resolveSettings(flags);
  const maxDurationMs = flags.maxDuration !== undefined ? parseDuration(flags.maxDuration, '--max-duration') : settings.maxDurationMs;
  const targetTexts = await expandTargetFiles(args.length > 0 ? args : settings.targets);
  if (targetTexts.length === 0) {
    throw new UsageError(
      flags.profile
        ? `profile "${flags.profile}" has no targets; add targets to it in the config or name them on the command line`
        : 'no targets: name one (e.g. netcensus scan 192.168.1.0/24), or set targets in the config file',
    );
  }
  const targetSet = buildTargetSet(targetTexts, await expandTargetFiles(settings.exclude), { maxHosts: settings.maxHosts });
  // Before anything of the sweep is allocated: the young generation never shrinks once grown (see
  // scan/heap.ts).
  if (countAddresses(targetSet) >= SMALL_HEAP_FROM) keepHeapSmall();

  const secretWarning = commandLineSecretWarning(flags.community);
  if (secretWarning) log.warning(secretWarning);
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
    if (!flags.quiet && flags.logFormat !== 'json') output.err(`\nnetcensus: ${signal}: stopping, keeping what was found so far\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // --max-duration: the whole command (a --wait included) ends like an interrupted run when it is spent.
  let stoppedBy: string | undefined;
  const budget =
    maxDurationMs === null
      ? undefined
      : setTimeout(() => {
          stoppedBy = `--max-duration ${formatDuration(maxDurationMs)}`;
          controller.abort();
        }, Math.max(0, maxDurationMs - (Date.now() - commandStarted)));
  let summary: ScanSummary;
  let pruned: PruneResult | undefined;
  try {
    const waitUntil = Date.now() + (flags.wait ?? 0) * 1000;
    let waiting = false;
    for (;;) {
      try {
        summary = await runScan(
          { settings, targetSet, targetTexts, profile: flags.profile ?? null, credentials, vendorDefinitions: await loadUserDefinitions(configDir) },
          {
            store,
            tools: findTools(),
            now: () => new Date(),
            signal: controller.signal,
            pid: process.pid,
            host: hostname(),
            isRunAlive,
            onProgress: (p) => log.progress(p),
            onBegin: (b) =>
              log.start({ snapshotId: b.snapshotId, targets: targetTexts, profile: flags.profile ?? null, interruptedEarlier: b.interruptedEarlier, maxDurationMs }),
          },
        );
        break;
      } catch (error) {
        // --wait: poll the lock until it frees, the wait is over, or the run is stopped.
        if (!(error instanceof LockHeldError) || flags.wait === undefined) throw error;
        if (signalExit) return signalExit;
        if (Date.now() >= waitUntil || controller.signal.aborted) {
          throw new LockHeldError(`${error.message.replace(/; wait for it to finish$/, '')} (waited ${flags.wait} s${stoppedBy ? `, then ${stoppedBy} was spent` : ''})`);
        }
        if (!waiting) log.warning(`${error.message.replace(/; wait for it to finish$/, '')}; waiting up to ${flags.wait} s for it`);
        waiting = true;
        await sleep(Math.min(LOCK_POLL_MS, waitUntil - Date.now()), controller.signal);
      }
    }
    if (summary.status === 'complete' && settings.retention) {
      try {
        pruned = await pruneSnapshots(store, settings.retention, { now: new Date() });
        if (pruned.vacuumSkipped) log.warning(`retention: ${pruned.vacuumSkipped}`);
      } catch (error) {
        log.warning(`retention: pruning failed, nothing was removed: ${(error as Error).message}`);
      }
    }
  } finally {
    if (budget) clearTimeout(budget);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await store.close();
  }

  const result = {
    ...summary,
    ...(stoppedBy && !signalExit ? { stoppedBy } : {}),
    ...(pruned ? { pruned: { snapshots: pruned.pruned, recordsDeleted: pruned.recordsDeleted, bytesBefore: pruned.bytesBefore, bytesAfter: pruned.bytesAfter } } : {}),
  };
  if (flags.json) output.out(JSON.stringify(result, null, 2) + '\n');
  log.summary(result);
  for (const w of summary.discovery.warnings) log.warning(w);
  for (const w of summary.warnings) log.warning(w);
  for (const f of summary.failedTargets) log.failedTarget(f.target, f.reason);
  if (signalExit) return signalExit;
  if (stoppedBy) return EXIT.timeBudget;
  // nmap asked for on the command line but not there: the scan is stored, and the exit says so.
  if (flags.nmap === true && summary.warnings.includes(NMAP_MISSING)) return EXIT.targetsFailed;
  const failedPct = summary.namedTargets > 0 ? (100 * summary.failedTargets.length) / summary.namedTargets : 0;
  return summary.failedTargets.length > 0 && failedPct > settings.failThreshold ? EXIT.targetsFailed : EXIT.ok;
}

const LOCK_POLL_MS = 1000;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, Math.max(0, ms));
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

async function resolveSettings(flags: ScanFlags): Promise<{ settings: ScanSettings; configDir: string }> {
  const { config, path } = await loadConfig({ explicit: flags.config, cwd: process.cwd(), env: process.env });
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
    ...(flags.discoverOnly ? { discoverOnly: true } : {}),
    ...(flags.maxHosts ? { maxHosts: flags.maxHosts } : {}),
    ...(flags.label !== undefined ? { label: flags.label } : {}),
    ...(flags.dns === false || flags.dnsServer ? { dns: { ...(flags.dns === false ? { enabled: false } : {}), ...(flags.dnsServer ? { servers: flags.dnsServer } : {}) } } : {}),
    ...(flags.failThreshold !== undefined ? { failThreshold: flags.failThreshold } : {}),
    ...(flags.rate !== undefined || flags.icmp === false || flags.arp === false || flags.arpScan === false || flags.arpWait !== undefined || flags.secondPass !== undefined
      ? {
          discovery: {
            ...(flags.rate !== undefined ? { rate: flags.rate } : {}),
            ...(flags.icmp === false ? { icmp: false } : {}),
            ...(flags.arp === false ? { arp: false } : {}),
            ...(flags.arpScan === false ? { arpScan: false } : {}),
            ...(flags.arpWait !== undefined ? { arpWaitMs: flags.arpWait } : {}),
            ...(flags.secondPass !== undefined ? { secondPass: flags.secondPass } : {}),
          },
        }
      : {}),
  });
  if (withFlags.discoverOnly && flags.nmap) {
    const where = flags.discoverOnly ? '--discover-only' : `discoverOnly in ${flags.profile ? `profile "${flags.profile}" of ` : ''}${path}`;
    throw new UsageError(`--nmap interrogates every live host, but ${where} only finds them: drop one`);
  }
  return { settings: applyFingerprintFlags(applySnmpFlags(withFlags, flags), flags), configDir };
}

/** --nmap, --no-fingerprint; and discovery only, whichever layer asked for it, turns both off. */
function applyFingerprintFlags(settings: ScanSettings, flags: ScanFlags): ScanSettings {
  return {
    ...settings,
    ...(flags.nmap === true ? { nmap: { ...settings.nmap, enabled: true } } : {}),
    ...(settings.discoverOnly ? { nmap: { ...settings.nmap, enabled: false } } : {}),
    ...(flags.fingerprint === false || settings.discoverOnly ? { fingerprint: { ...settings.fingerprint, enabled: false } } : {}),
  };
}

/** --community (replaces the configured communities), --snmp-v3, --snmp-port, --snmp-timeout, --no-snmp. */
function applySnmpFlags(settings: ScanSettings, flags: ScanFlags): ScanSettings {
  const snmp = { ...settings.snmp };
  if (flags.community) snmp.communities = flags.community;
  if (flags.snmpV3) snmp.v3Only = flags.snmpV3;
  if (flags.snmpPort !== undefined) snmp.port = flags.snmpPort;
  if (flags.snmpTimeout !== undefined) snmp.timeoutMs = flags.snmpTimeout;
  if (flags.hostBudget !== undefined) snmp.deviceBudgetMs = flags.hostBudget;
  if (flags.snmp === false) snmp.enabled = false;
  return { ...settings, snmp };
}

/** The user's vendor definitions: CONFIG_DIR/vendors/*.yaml|yml|json, validated (exit 2 when wrong). */
async function loadUserDefinitions(configDir: string): Promise<LoadedProductLine[]> {
  const dir = join(configDir, 'vendors');
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
  if (files.length === 0) return [];
  const { parseDefinitionFile } = await import('../../identify/parse-definitions.js');
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
