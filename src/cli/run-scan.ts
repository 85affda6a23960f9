// One scan, end to end: targets -> sweep -> interrogate -> merge -> identify -> resolve -> store.
// Records are committed in batches as hosts finish; the snapshot is marked complete last, so a kill
// at any point leaves every earlier snapshot and every committed record intact.
import { lookup } from 'node:dns/promises';
import type { ScanSettings } from '../config/schema.js';
import {
  addToIndex,
  buildAssetIndex,
  resolveIdentity,
  type AssetIndex,
} from '../inventory/identity.js';
import { identify } from '../identify/index.js';
import { mergeFacts, mergeObservations } from '../inventory/merge-observations.js';
import { summarize } from '../inventory/summarize.js';
import type { DeviceRecord, Observation, SnapshotCounts, SnapshotStatus, TargetSet } from '../model/index.js';
import { buildDiscoverer, buildInterrogators } from '../scan/registry.js';
import { runPipeline, type PipelineEvent } from '../scan/pipeline.js';
import type { InventoryStore, RecordRow } from '../store/inventory-store.js';
import { countAddresses, hostnamesOf, iterateAddresses, ipToInt } from '../targets/index.js';
import { VERSION } from './version.js';

export interface ScanInput {
  settings: ScanSettings;
  targetSet: TargetSet;
  /** The targets as the user wrote them (after @file expansion), stored with the snapshot. */
  targetTexts: string[];
  profile: string | null;
}

export interface ScanDeps {
  store: InventoryStore;
  now: () => Date;
  signal: AbortSignal;
  pid: number;
  host: string;
  isRunAlive: (pid: number, host: string) => boolean;
  onProgress?: (progress: ScanProgress) => void;
}

export interface ScanProgress {
  total: number;
  probed: number;
  alive: number;
  stored: number;
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
}

const BATCH_ROWS = 200;
const BATCH_MS = 1000;

export async function runScan(input: ScanInput, deps: ScanDeps): Promise<ScanSummary> {
  const { settings } = input;
  const started = deps.now();
  const interrogators = buildInterrogators(settings);
  const discoverer = buildDiscoverer(settings);

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
  const counts: SnapshotCounts = { probed: 0, alive: 0, records: 0, newAssets: 0, failedTargets: 0 };
  const failedTargets: ScanSummary['failedTargets'] = [];
  const writer = new SnapshotWriter(
    deps.store,
    snapshotId,
    buildAssetIndex(await deps.store.knownAssets()),
    await deps.store.nextAssetId(),
    counts,
  );

  let status: SnapshotStatus = 'complete';
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

    const progress: ScanProgress = { total, probed: 0, alive: 0, stored: 0 };
    const onEvent = (event: PipelineEvent): void => {
      if (event.type === 'probed') {
        progress.probed++;
        if (event.alive) {
          progress.alive++;
          if (named.has(event.address)) aliveNamed.add(event.address);
        }
        deps.onProgress?.(progress);
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
      for (const record of mergeObservations(observations)) {
        await writer.add({ ...record, facts: identify(record.facts) }, deps.now().toISOString());
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
    writer.stop();
  }
  await writer.flush();
  const finished = deps.now();
  await deps.store.finishSnapshot(snapshotId, status, counts, finished.toISOString());
  return {
    snapshotId,
    status,
    counts,
    failedTargets,
    namedTargets: namedAddresses(input.targetSet).size + hostnamesOf(input.targetSet).length,
    interruptedEarlier: begun.interrupted,
    durationMs: finished.getTime() - started.getTime(),
  };
}

/**
 * Resolves each record to an asset and writes rows in batches. A device found again at a second
 * address in the same run (strong evidence: serial, UUID, engine id, MAC) is merged into the row
 * already written for it, so an asset has one record per snapshot.
 */
class SnapshotWriter {
  private readonly claimed = new Set<number>();
  /** This run's row per asset, for merging a device seen at a second address. */
  private readonly rows = new Map<number, RecordRow>();
  private pendingInserts: RecordRow[] = [];
  private pendingUpdates = new Set<number>();
  private lastFlush = Date.now();
  private flushing: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly store: InventoryStore,
    private readonly snapshotId: number,
    private readonly index: AssetIndex,
    private nextId: number,
    private readonly counts: SnapshotCounts,
  ) {
    // Commit what has been found at least once a second, even when hosts trickle in.
    this.timer = setInterval(() => void this.flush().catch(() => undefined), BATCH_MS);
    this.timer.unref();
  }

  async add(record: DeviceRecord, seenAt: string): Promise<void> {
    const summary = summarize(record);
    const identity = resolveIdentity(summary, this.index, { claimed: this.claimed });
    const existing = identity.assetId !== null ? this.rows.get(identity.assetId) : undefined;
    if (existing) {
      const merged = mergeRows(existing, record);
      this.rows.set(existing.assetId, merged);
      if (this.pendingInserts.includes(existing)) {
        this.pendingInserts[this.pendingInserts.indexOf(existing)] = merged;
      } else {
        this.pendingUpdates.add(existing.assetId);
      }
      addToIndex(this.index, { id: merged.assetId, ...merged.summary });
    } else {
      const newAsset = identity.assetId === null;
      const assetId = identity.assetId ?? this.nextId++;
      const row: RecordRow = {
        assetId,
        newAsset,
        seenAt,
        summary,
        facts: record.facts,
        statuses: record.statuses,
        evidence: identity.evidence,
        conflicts: identity.conflicts,
      };
      this.claimed.add(assetId);
      this.rows.set(assetId, row);
      this.pendingInserts.push(row);
      addToIndex(this.index, { id: assetId, ...summary });
      this.counts.records++;
      if (newAsset) this.counts.newAssets++;
    }
    if (this.pendingInserts.length >= BATCH_ROWS || Date.now() - this.lastFlush >= BATCH_MS) await this.flush();
  }

  /** Commits pending rows in one transaction; calls are serialised. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.pendingInserts.length === 0 && this.pendingUpdates.size === 0) return;
      const inserts = this.pendingInserts;
      const updates = [...this.pendingUpdates].map((id) => this.rows.get(id)!);
      this.pendingInserts = [];
      this.pendingUpdates = new Set();
      this.lastFlush = Date.now();
      await this.store.commitBatch(this.snapshotId, inserts, updates);
    });
    return this.flushing;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

function mergeRows(row: RecordRow, record: DeviceRecord): RecordRow {
  const asObservation = (address: string, facts: RecordRow['facts']): Observation => ({
    scanner: 'merged',
    address,
    at: row.seenAt,
    status: 'ok',
    facts,
  });
  const facts = mergeFacts([asObservation(row.summary.address, row.facts), asObservation(record.address, record.facts)]);
  const statuses = { ...record.statuses, ...row.statuses };
  const addresses = [...new Set([...row.summary.addresses, ...record.addresses])];
  const summary = summarize({ address: row.summary.address, addresses, facts, statuses, observations: [] });
  return { ...row, facts, statuses, summary };
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
    dns: settings.dnsEnabled ? { servers: settings.dnsServers } : false,
  };
}
