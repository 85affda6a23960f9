// One scan, end to end: targets -> sweep -> interrogate -> merge -> identify -> resolve -> store.
// Records are committed in batches as hosts finish; the snapshot is marked complete last, so a kill
// at any point leaves every earlier snapshot and every committed record intact.
import { lookup } from 'node:dns/promises';
import type { ScanSettings } from '../config/settings.js';
import { attachToSwitchPorts } from '../inventory/attach-to-switch-ports.js';
import { buildAssetIndex } from '../inventory/identity.js';
import { classificationPorts, createIdentifier, type LoadedProductLine } from '../identify/index.js';
import { mergeObservations } from '../inventory/merge-observations.js';
import type { Facts, Observation, ScanStatus, SnapshotCounts, SnapshotStatus, TargetSet } from '../model/index.js';
import type { SnmpCredential } from '../config/credentials.js';
import type { SweepReport } from '../scan/discover/index.js';
import { buildDiscoverer, buildInterrogators, interrogatorWarnings } from '../scan/registry.js';
import { rememberedCredentialLookup } from '../scan/snmp/credential-order.js';
import type { SystemTools } from '../scan/tools.js';
import { runPipeline, type PipelineEvent } from '../scan/pipeline.js';
import type { InventoryStore } from '../store/inventory-store.js';
import { snmpCredentialMemoryOf, type SnmpCredentialMemory } from '../store/snmp-credential-memory.js';
import { countAddresses, hostnamesOf, iterateAddresses, ipToInt } from '../targets/index.js';
import { SnapshotWriter } from './snapshot-writer.js';
import { VERSION } from './version.js';

export interface ScanInput {
  settings: ScanSettings;
  targetSet: TargetSet;
  /** The targets as the user wrote them (after @file expansion), stored with the snapshot. */
  targetTexts: string[];
  profile: string | null;
  /** SNMP credentials with secrets resolved, in the order to try them. Never stored or logged. */
  credentials: SnmpCredential[];
  /** The user's vendor definition files (config folder vendors/*.yaml), over the built-in ones. */
  vendorDefinitions?: LoadedProductLine[];
}

export interface ScanDeps {
  store: InventoryStore;
  now: () => Date;
  signal: AbortSignal;
  pid: number;
  host: string;
  isRunAlive: (pid: number, host: string) => boolean;
  tools: SystemTools;
  onProgress?: (progress: ScanProgress) => void;
  /** Called once the run holds the lock and its snapshot row exists. */
  onBegin?: (begun: { snapshotId: number; interruptedEarlier: number[] }) => void;
}

export interface ScanProgress {
  total: number;
  probed: number;
  alive: number;
  /** Live hosts whose interrogation (DNS, SNMP) has ended. */
  interrogated: number;
  stored: number;
  outcomes: HostOutcomes;
}

/** Hosts by outcome, so that slow or failing credentials are visible, not silent. */
export interface HostOutcomes {
  /** Device records stored. */
  hosts: number;
  /** ... of which identify found a type or model. */
  identified: number;
  /** Per interrogator (dns, snmp), hosts by status: { snmp: { ok: 3, timeout: 250, "auth-failed": 1 } }. */
  byScanner: Record<string, Partial<Record<ScanStatus, number>>>;
}

export interface ScanSummary {
  snapshotId: number;
  status: SnapshotStatus;
  counts: SnapshotCounts;
  /** Named targets (hostnames, single addresses) that did not resolve or did not answer. */
  failedTargets: { target: string; reason: string }[];
  namedTargets: number;
  interruptedEarlier: number[];
  durationMs: number;
  /** Which discovery methods ran, why others did not, and the kernel limits that paced the sweep. */
  discovery: SweepReport;
  outcomes: HostOutcomes;
  /** Said once per run: nmap asked for but not installed, OS detection skipped, an nmap batch killed. */
  warnings: string[];
}

export async function runScan(input: ScanInput, deps: ScanDeps): Promise<ScanSummary> {
  const { settings } = input;
  const started = deps.now();
  const identifier = createIdentifier(input.vendorDefinitions ?? []);
  // The SNMP credential that last worked for each known asset: tried first on its MAC or address.
  const credentialMemory = settings.snmp.enabled && !settings.discoverOnly && input.credentials.length > 0 ? snmpCredentialMemoryOf(deps.store) : null;
  const remembered = credentialMemory ? rememberedCredentialLookup(await credentialMemory.load()) : undefined;
  const interrogators = await buildInterrogators(settings, {
    credentials: input.credentials,
    snmpPlanner: identifier.planSnmp,
    ...(remembered ? { snmpRememberedCredential: remembered } : {}),
    nmapPath: deps.tools.nmap,
    privileged: process.getuid?.() === 0,
    uid: process.getuid?.() ?? null,
    classificationPorts: classificationPorts(),
  });
  // Facts from guessers (fingerprint, nmap) rank below everything read directly, whatever order
  // their observations arrive in.
  const mergePriority = ['discover', ...interrogators.map((i) => i.name).filter((n) => n !== 'fingerprint' && n !== 'nmap'), 'target', 'fingerprint', 'nmap'];
  const communities = input.credentials.flatMap((c) => (c.kind === 'community' ? [c.community] : []));
  const discoverer = buildDiscoverer(settings, communities, deps.tools, countAddresses(input.targetSet));

  const begun = await deps.store.beginSnapshot(
    {
      startedAt: started.toISOString(),
      label: settings.label,
      targets: input.targetTexts,
      scanners: [discoverer.name, ...interrogators.map((i) => i.name)],
      options: scanOptionsForRecord(settings, input.profile),
      toolVersion: VERSION,
      pid: deps.pid,
      host: deps.host,
    },
    deps.isRunAlive,
  );
  const snapshotId = begun.id;
  // A small local range is pinged from now on, while the writer and the sweep are set up; nothing
  // is sent before the lock is held.
  const dropPingAhead = discoverer.pingAhead(iterateAddresses(input.targetSet), deps.signal);
  const outcomes: HostOutcomes = { hosts: 0, identified: 0, byScanner: {} };
  const counts: SnapshotCounts = { probed: 0, alive: 0, records: 0, newAssets: 0, failedTargets: 0 };
  const failedTargets: ScanSummary['failedTargets'] = [];
  let writer: SnapshotWriter;
  try {
    deps.onBegin?.({ snapshotId, interruptedEarlier: begun.interrupted });
    writer = new SnapshotWriter(deps.store, snapshotId, buildAssetIndex(await deps.store.knownAssets()), await deps.store.nextAssetId(), counts);
  } catch (error) {
    dropPingAhead();
    throw error;
  }

  let status: SnapshotStatus = 'complete';
  /** Whether a switch's forwarding table came in: only then are end devices placed on ports. */
  let switchTables = false;
  try {
    // Hostnames are resolved up front; their addresses join the sweep unless a range already holds them.
    const named = namedAddresses(input.targetSet);
    const resolved = await resolveHostnames(hostnamesOf(input.targetSet), settings.dnsTimeoutMs);
    for (const r of resolved) {
      if (r.address === null) failedTargets.push({ target: r.name, reason: r.reason });
      else named.set(r.address, r.name);
    }
    const extra = [...new Set(resolved.flatMap((r) => (r.address === null ? [] : [r.address])))].filter(
      (address) => !coveredBy(input.targetSet, address),
    );
    const hostnameOf = new Map(resolved.flatMap((r) => (r.address === null ? [] : [[r.address, r.name] as const])));
    const total = countTargets(input.targetSet, extra.length);
    const aliveNamed = new Set<string>();

    const progress: ScanProgress = { total, probed: 0, alive: 0, interrogated: 0, stored: 0, outcomes };
    const onEvent = (event: PipelineEvent): void => {
      if (event.type === 'probed') {
        progress.probed++;
        if (event.alive) {
          progress.alive++;
          if (named.has(event.address)) aliveNamed.add(event.address);
        }
        deps.onProgress?.(progress);
      } else if (event.type === 'interrogated') {
        progress.interrogated++;
      }
    };

    const results = runPipeline(chain(iterateAddresses(input.targetSet), extra), {
      discoverer,
      interrogators,
      interrogateConcurrency: Math.max(1, Math.min(64, settings.concurrency)),
      ctx: { signal: deps.signal, now: deps.now },
      onEvent,
    });
    for await (const result of results) {
      const targetName = hostnameOf.get(result.address);
      const observations = targetName ? [...result.observations, targetNameObservation(result.address, targetName, deps.now())] : result.observations;
      for (const record of mergeObservations(observations, mergePriority)) {
        const facts = identifier.identify(record.facts);
        if (facts.forwardingTable) switchTables = true;
        countOutcome(outcomes, facts, record.statuses);
        await writer.add({ ...record, facts }, deps.now().toISOString());
      }
      progress.stored = counts.records;
      deps.onProgress?.(progress);
    }
    counts.probed = progress.probed;
    counts.alive = progress.alive;
    for (const [address, name] of named) {
      if (!aliveNamed.has(address)) failedTargets.push({ target: name, reason: 'did not answer' });
    }
    counts.failedTargets = failedTargets.length;
    if (deps.signal.aborted) status = 'interrupted';
  } catch (error) {
    status = 'failed';
    await writer.flush().catch(() => undefined);
    await deps.store.finishSnapshot(snapshotId, status, counts, deps.now().toISOString()).catch(() => undefined);
    throw error;
  } finally {
    dropPingAhead();
    writer.stop();
  }
  await writer.flush();
  // Records are in: place each end device on its switch port from this snapshot's switches (reading
  // every record back only when there is a switch table to read).
  if (switchTables) await attachEndDevices(deps.store, snapshotId);
  if (credentialMemory) await rememberSnmpCredentials(deps.store, credentialMemory, snapshotId, deps.now().toISOString());
  const finished = deps.now();
  const discovery = discoverer.report();
  await deps.store.finishSnapshot(snapshotId, status, counts, finished.toISOString(), { discovery });
  return {
    discovery,
    snapshotId,
    status,
    counts,
    failedTargets,
    namedTargets: namedAddresses(input.targetSet).size + hostnamesOf(input.targetSet).length,
    interruptedEarlier: begun.interrupted,
    durationMs: finished.getTime() - started.getTime(),
    outcomes,
    warnings: interrogatorWarnings(settings, interrogators, deps.tools.nmap),
  };
}

function countOutcome(outcomes: HostOutcomes, facts: Facts, statuses: Record<string, ScanStatus>): void {
  outcomes.hosts++;
  if (facts.type || facts.model) outcomes.identified++;
  for (const [scanner, status] of Object.entries(statuses)) {
    if (scanner === 'target') continue;
    const byStatus = (outcomes.byScanner[scanner] ??= {});
    byStatus[status] = (byStatus[status] ?? 0) + 1;
  }
}

/** Writes `attachment` (switch, port, VLAN) onto this snapshot's end-device records, in one transaction. */
async function attachEndDevices(store: InventoryStore, snapshotId: number): Promise<void> {
  const rows = await store.snapshotRecordFacts(snapshotId, ['interfaces', 'forwardingTable', 'neighbors', 'arpEntries']);
  if (!rows.some((r) => r.facts.forwardingTable)) return;
  const updates = attachToSwitchPorts(
    rows.map((r) => ({ assetId: r.assetId, address: r.summary.address, addresses: r.summary.addresses, hostname: r.summary.hostname, macs: r.summary.macs, facts: r.facts })),
  );
  await store.updateSnapshotFacts(snapshotId, updates.map((u) => ({ assetId: u.assetId, facts: { attachment: u.attachment } })));
}

/** Remembers, per asset of this snapshot that answered SNMP, the label of the credential that worked. */
async function rememberSnmpCredentials(store: InventoryStore, memory: SnmpCredentialMemory, snapshotId: number, at: string): Promise<void> {
  const rows = await store.snapshotRecordFacts(snapshotId, ['snmp']);
  const winners = new Map<number, string>();
  for (const r of rows) {
    const label = r.facts.snmp?.credential;
    if (label) winners.set(r.assetId, label);
  }
  await memory.remember(snapshotId, at, [...winners].map(([assetId, credential]) => ({ assetId, credential })));
}

function targetNameObservation(address: string, name: string, at: Date): Observation {
  return {
    scanner: 'target',
    address,
    at: at.toISOString(),
    status: 'ok',
    facts: { hostnames: [{ value: name.toLowerCase().replace(/\.$/, ''), source: 'target:hostname' }] },
  };
}

interface ResolvedName {
  name: string;
  address: string | null;
  reason: string;
}

async function resolveHostnames(names: string[], timeoutMs: number): Promise<ResolvedName[]> {
  return Promise.all(
    names.map(async (name): Promise<ResolvedName> => {
      try {
        const result = await withTimeout(lookup(name, { family: 4 }), timeoutMs * 2);
        if (result === null) return { name, address: null, reason: 'name lookup timed out' };
        return { name, address: result.address, reason: '' };
      } catch (error) {
        return { name, address: null, reason: `does not resolve (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
      }
    }),
  );
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(null), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/** Single addresses named on their own (not ranges or CIDRs), by address. */
function namedAddresses(set: TargetSet): Map<string, string> {
  const named = new Map<string, string>();
  for (const spec of set.specs) {
    if (spec.kind === 'range' && spec.first === spec.last && !spec.spec.includes('/')) named.set(spec.spec.trim(), spec.spec.trim());
  }
  return named;
}

function coveredBy(set: TargetSet, address: string): boolean {
  const n = ipToInt(address);
  const inside = (specs: TargetSet['specs']): boolean =>
    specs.some((s) => s.kind === 'range' && n >= s.first && n <= s.last);
  return inside(set.specs) || inside(set.excludes);
}

function countTargets(set: TargetSet, extra: number): number {
  return countAddresses(set) - hostnamesOf(set).length + extra;
}

function* chain(first: Iterable<string>, second: Iterable<string>): Generator<string> {
  yield* first;
  yield* second;
}

function scanOptionsForRecord(settings: ScanSettings, profile: string | null): Record<string, unknown> {
  // Everything needed to understand the run later; credentials are never part of it.
  return {
    profile,
    exclude: settings.exclude,
    ports: settings.ports,
    connectTimeoutMs: settings.connectTimeoutMs,
    dnsTimeoutMs: settings.dnsTimeoutMs,
    concurrency: settings.concurrency,
    maxHosts: settings.maxHosts,
    ...(settings.discoverOnly ? { discoverOnly: true } : {}),
    dns: settings.dnsEnabled ? { servers: settings.dnsServers } : false,
    // SNMP without its secrets: how many credentials of each kind, never the values.
    snmp: settings.snmp.enabled
      ? { port: settings.snmp.port, version: settings.snmp.version, communities: settings.snmp.communities.length, v3Users: settings.snmp.v3.map((u) => u.name ?? u.user), timeoutMs: settings.snmp.timeoutMs }
      : false,
    nmap: settings.nmap.enabled ? { batchSize: settings.nmap.batchSize, timeoutMs: settings.nmap.timeoutMs, osDetection: settings.nmap.osDetection } : false,
    fingerprint: settings.fingerprint.enabled,
  };
}
