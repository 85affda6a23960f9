import { availableParallelism } from 'node:os';
import { compareChangePlaces, diffEntries, finishChanges, pairCandidates, replacement, summarizeChanges } from '../../diff/diff-inventories.js';
import type { Change, InventoryEntry, Snapshot } from '../../model/index.js';
import { UsageError } from '../../model/index.js';
import { openExistingStore, type GlobalOptions } from '../context.js';
import { EXIT } from '../exit-codes.js';
import type { Output } from '../output.js';
import { clean } from '../render-table.js';
import { formatBytes } from '../render-local-facts.js';
import { resolveSnapshot } from '../snapshot-ref.js';
import { DIFF_PAIR_OPTIONS, DiffPart, dropFacts, type WrittenChange } from '../diff-part.js';
import { DiffWorker, RangeClaims, splitAssetIds } from '../diff-pool.js';
import type { SqliteStore } from '../../store/sqlite-store.js';

export interface DiffFlags extends GlobalOptions {
  exitCode?: boolean;
}

export async function diffCommand(from: string | undefined, to: string | undefined, flags: DiffFlags, output: Output): Promise<number> {
  const store = openExistingStore(flags);
  try {
    const toSnap = await resolveSnapshot(store, to ?? 'latest');
    let fromSnap: Snapshot;
    if (from !== undefined) {
      fromSnap = await resolveSnapshot(store, from);
    } else {
      const previous = await store.latestComplete(1);
      if (!previous) throw new UsageError('diff needs two complete snapshots and there is only one; scan again later, or name two snapshots');
      fromSnap = previous;
    }
    if (fromSnap.id === toSnap.id) throw new UsageError(`both sides are snapshot ${fromSnap.id}; name two different snapshots`);
    const head = { from: { id: fromSnap.id, startedAt: fromSnap.startedAt }, to: { id: toSnap.id, startedAt: toSnap.startedAt } };
    let found = 0;
    if (flags.json) {
      found = writeDiffJson(output, head, await diffAsTexts(store, fromSnap.id, toSnap.id));
    } else {
      const changes: Change[] = [];
      for await (const [before, after] of store.streamInventoryPairs(fromSnap.id, toSnap.id, DIFF_PAIR_OPTIONS)) {
        const change = diffEntries(before, after);
        if (change !== null) changes.push(change);
        // What the facts say that changed is in the change now (fields, software), and the text
        // does not show them: they go at once.
        dropFacts(before);
        dropFacts(after);
      }
      const sorted = finishChanges(changes);
      found = sorted.length;
      output.out(renderChanges(fromSnap, toSnap, sorted, output));
    }
    return flags.exitCode && found > 0 ? EXIT.changes : EXIT.ok;
  } finally {
    await store.close();
  }
}

/**
 * Writes the report of a diff's changes (diffAsTexts): replacements paired over all of them, in
 * report order, with their counts. Returns how many changes it holds.
 */
export function writeDiffJson(output: Output, head: Record<string, unknown>, part: DiffPart): number {
  for (const [r, a] of pairCandidates(part.candidates)) {
    const removed = part.change(part.candidateAt[r]!);
    const added = part.change(part.candidateAt[a]!);
    part.written[part.candidateAt[r]!] = null;
    part.written[part.candidateAt[a]!] = null;
    part.add(replacement(removed.assetId, removed.before!, added.assetId, added.after!));
  }
  const kept = part.written.filter((w): w is WrittenChange => w !== null);
  kept.sort((a, b) => compareChangePlaces(a.place, b.place));
  writePrettyJsonTexts(output, { ...head, counts: summarizeChanges(kept) }, 'changes', kept.map((w) => part.texts.text(w.text)));
  return kept.length;
}

/**
 * From this many assets known (the span of their ids as of the later snapshot), a `diff --json` reads
 * and stringifies half of its ranges of assets in a worker thread (diff-pool.ts): with 100,000
 * assets that is most of a second saved on two cores. Below, the thread's start (some 100 ms) is
 * not won back. NETCENSUS_DIFF_THREADS_FROM sets another (tests take the threaded path on small
 * inventories with it; the benchmark compares with one thread).
 */
const THREADS_FROM = 20_000;

/** NETCENSUS_DIFF_THREADS_FROM (`Infinity`: never) when set, else THREADS_FROM. */
function threadsFrom(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.NETCENSUS_DIFF_THREADS_FROM?.trim() ?? '';
  if (text === '') return THREADS_FROM;
  const n = Number(text);
  if (Number.isNaN(n) || n < 0) throw new UsageError(`NETCENSUS_DIFF_THREADS_FROM=${text}: expected a number of assets (0 or more), or Infinity`);
  return n;
}

export interface DiffThreads {
  /** From how many assets known a worker thread takes part (THREADS_FROM). */
  from: number;
  /** The worker's script (DIFF_WORKER_SCRIPT, the built one). */
  script?: URL;
  /**
   * The most ranges this thread takes before it waits for the worker's part (and then takes what is
   * left, if the worker could not start). Tests set it so that the worker surely takes some.
   */
  ownRanges?: number;
}

/**
 * Every change between two snapshots as text (DiffPart), before replacements are paired: a large
 * diff in two threads, each reading ranges of asset ids (diff-pool.ts), a small one here alone.
 */
export async function diffAsTexts(store: SqliteStore, fromId: number, toId: number, threads: DiffThreads = { from: threadsFrom() }): Promise<DiffPart> {
  const part = new DiffPart();
  const span = await store.assetIdSpan(Math.max(fromId, toId));
  const claims =
    span !== null && span.highest - span.lowest + 1 >= threads.from && availableParallelism() >= 2 && store.path !== ':memory:'
      ? new RangeClaims(splitAssetIds(span))
      : null;
  const worker = claims === null ? null : DiffWorker.start({ path: store.path, fromId, toId }, claims, threads.script);
  if (claims === null || worker === null) {
    await part.addPairs(store.streamInventoryPairs(fromId, toId, DIFF_PAIR_OPTIONS));
    return part;
  }
  const takeRanges = async (most: number): Promise<void> => {
    for (let n = 0, range; n < most && (range = claims.next()) !== null; n++) {
      await part.addPairs(store.streamInventoryPairs(fromId, toId, { ...DIFF_PAIR_OPTIONS, assetIds: range }));
      worker.takeBatches(part);
    }
  };
  try {
    await takeRanges(threads.ownRanges ?? Infinity);
    // A worker that could not start took no range: what is left (if anything) is this thread's.
    if (!(await worker.finish(part))) await takeRanges(Infinity);
    return part;
  } finally {
    await worker.close();
  }
}

const MARK: Record<Change['kind'], string> = { added: '+', removed: '-', replaced: '!', changed: '~' };
/** Software lines shown per change in text; --json has them all. */
const SOFTWARE_LINES = 50;

/** About how much text goes to stdout at once (see writePrettyJsonTexts). */
const PIECE_CHARS = 64 * 1024;

/**
 * Writes JSON.stringify({ ...head, [key]: items }, null, 2) + '\n', the same text, a piece at a
 * time, from the items' texts (prettyItem): tens of thousands of changes never become one string.
 *
 * A piece is about 64 KiB of items, not a fixed count: a thousand changes were 1.6 MB, and each such
 * piece became a new string in V8's large-object space, was copied again to prepend its comma, and
 * then into a fresh 1.6 MB buffer for the write, every one on pages the kernel had to fault in and
 * zero (a tenth of the CPU time of a 73 MB diff). Small pieces are born and die in the young
 * generation, and their buffers reuse the same memory.
 */
export function writePrettyJsonTexts(output: Output, head: Record<string, unknown>, key: string, itemTexts: readonly string[]): void {
  const whole = JSON.stringify({ ...head, [key]: [] }, null, 2);
  if (itemTexts.length === 0) {
    output.out(whole + '\n');
    return;
  }
  // Everything up to the empty array's "[", the items a piece at a time, then the end.
  let piece = whole.slice(0, whole.lastIndexOf('[]') + 1);
  for (let i = 0; i < itemTexts.length; i++) {
    piece += i === 0 ? itemTexts[i] : `,${itemTexts[i]}`;
    if (piece.length >= PIECE_CHARS) {
      output.out(piece);
      piece = '';
    }
  }
  output.out(`${piece}\n  ]\n}\n`);
}

export function renderChanges(from: Snapshot, to: Snapshot, changes: Change[], output: Output): string {
  const lines = [`snapshot ${from.id} (${from.startedAt.slice(0, 19)}) -> snapshot ${to.id} (${to.startedAt.slice(0, 19)})`];
  for (const c of changes) {
    const entry = (c.after ?? c.before)!;
    const tags = c.tags.length > 0 ? `  [${c.tags.join(', ')}]` : '';
    const replaced = c.replacedAssetId !== undefined ? ` (replaces asset ${c.replacedAssetId})` : '';
    const colour = c.kind === 'added' ? 'green' : c.kind === 'removed' ? 'red' : 'yellow';
    lines.push(
      output.style(colour, `${MARK[c.kind]} ${c.kind.padEnd(8)} asset ${c.assetId}${replaced}`) +
        `  ${describe(entry)}${c.kind === 'removed' && c.after && !c.after.seen ? `  last seen ${c.after.lastSeenAt.slice(0, 19)}` : ''}${tags}`,
    );
    if (c.kind === 'changed' || c.kind === 'replaced') {
      for (const f of c.fields) {
        lines.push(`      ${f.field}: ${f.field === 'memory' ? showBytes(f.before) : show(f.before)} -> ${f.field === 'memory' ? showBytes(f.after) : show(f.after)}`);
      }
      if (c.software) lines.push(...renderSoftware(c.software));
    }
  }
  const counts = summarizeChanges(changes);
  const tagText = Object.entries(counts.byTag)
    .filter(([, n]) => n > 0)
    .map(([t, n]) => `${n} ${t}`)
    .join(', ');
  lines.push(
    changes.length === 0
      ? 'no changes'
      : `${counts.byKind.added} added, ${counts.byKind.removed} removed, ${counts.byKind.replaced} replaced, ${counts.byKind.changed} changed` +
          (tagText ? ` (${tagText})` : ''),
  );
  return lines.join('\n') + '\n';
}

function describe(e: InventoryEntry): string {
  return [e.address, e.hostname, e.type, e.vendor, e.model].filter(Boolean).map((v) => clean(v)).join(' ');
}

function showBytes(value: unknown): string {
  return typeof value === 'number' ? formatBytes(value) : show(value);
}

function renderSoftware(s: NonNullable<Change['software']>): string[] {
  const lines = [`      software: ${s.installed.length} installed, ${s.removed.length} removed, ${s.upgraded.length} upgraded`];
  const items = [
    ...s.installed.map((p) => `        + ${clean(p.name)} ${clean(p.version ?? '')}`),
    ...s.removed.map((p) => `        - ${clean(p.name)} ${clean(p.version ?? '')}`),
    ...s.upgraded.map((p) => `        ^ ${clean(p.name)} ${clean(p.before ?? '?')} -> ${clean(p.after ?? '?')}`),
  ].map((l) => l.trimEnd());
  lines.push(...items.slice(0, SOFTWARE_LINES));
  if (items.length > SOFTWARE_LINES) lines.push(`        ... ${items.length - SOFTWARE_LINES} more (see --json)`);
  return lines;
}

function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(none)';
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : clean(value.join(' '));
  return clean(String(value));
}
