import {
  changePlace,
  compareChangePlaces,
  diffEntries,
  finishChanges,
  pairCandidates,
  pairingCandidate,
  replacement,
  summarizeChanges,
  type ChangePlace,
  type PairingCandidate,
} from '../../diff/diff-inventories.js';
import type { Change, InventoryEntry, Snapshot } from '../../model/index.js';
import { UsageError } from '../../model/index.js';
import { openExistingStore, type GlobalOptions } from '../context.js';
import { EXIT } from '../exit-codes.js';
import type { Output } from '../output.js';
import { clean } from '../render-table.js';
import { formatBytes } from '../render-local-facts.js';
import { resolveSnapshot } from '../snapshot-ref.js';

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
    // Only the facts the diff compares (software, hardware), not every machine's whole document.
    // Both inventories side by side, asset by asset, without the assets whose state is the same on
    // both sides: only the changes are held.
    const options = { withFacts: true, factKeys: DIFFED_FACTS, skipUnchanged: true };
    const pairs = store.streamInventoryPairs(fromSnap.id, toSnap.id, options);
    const head = { from: { id: fromSnap.id, startedAt: fromSnap.startedAt }, to: { id: toSnap.id, startedAt: toSnap.startedAt } };
    let found = 0;
    if (flags.json) {
      // Each change becomes its JSON text soon after it is known (a batch at a time, ItemTexts), and
      // only the text and its place in the report order are kept: tens of thousands of changes are held as strings, not as
      // object graphs that every garbage collection walks (and the entries die young). Added and
      // removed assets too: what pairs them into replacements is kept beside (pairCandidates), and
      // the few that pair are read back from their texts (JSON.parse gives the same entries as
      // far as their text and the compared fields go). Holding 15,000 added and removed changes
      // as objects cost more in young-generation collections than the rest of the diff together.
      const texts = new ItemTexts('changes');
      const written: (WrittenChange | null)[] = [];
      const candidates: PairingCandidate[] = [];
      const candidateAt: number[] = [];
      for await (const [before, after] of pairs) {
        const change = diffEntries(before, after);
        dropFacts(before);
        dropFacts(after);
        if (change === null) continue;
        const candidate = pairingCandidate(change);
        if (candidate !== null) {
          candidates.push(candidate);
          candidateAt.push(written.length);
        }
        written.push(writeChange(change, texts));
      }
      for (const [r, a] of pairCandidates(candidates)) {
        const removed = JSON.parse(texts.text(written[candidateAt[r]!]!.text)) as Change;
        const added = JSON.parse(texts.text(written[candidateAt[a]!]!.text)) as Change;
        written[candidateAt[r]!] = null;
        written[candidateAt[a]!] = null;
        written.push(writeChange(replacement(removed.assetId, removed.before!, added.assetId, added.after!), texts));
      }
      const kept = written.filter((w): w is WrittenChange => w !== null);
      kept.sort((a, b) => compareChangePlaces(a.place, b.place));
      found = kept.length;
      writePrettyJsonTexts(output, { ...head, counts: summarizeChanges(kept) }, 'changes', kept.map((w) => texts.text(w.text)));
    } else {
      const changes: Change[] = [];
      for await (const [before, after] of pairs) {
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

const MARK: Record<Change['kind'], string> = { added: '+', removed: '-', replaced: '!', changed: '~' };
const DIFFED_FACTS = ['software', 'memory', 'disks', 'cpu'] as const;
/** Software lines shown per change in text; --json has them all. */
const SOFTWARE_LINES = 50;

/** A change as the JSON array of `diff --json` holds it, with its place in the report order. */
interface WrittenChange {
  kind: Change['kind'];
  tags: Change['tags'];
  place: ChangePlace;
  /** Its text (prettyItem) in ItemTexts. */
  text: number;
}

function writeChange(change: Change, texts: ItemTexts): WrittenChange {
  return { kind: change.kind, tags: change.tags, place: changePlace(change), text: texts.add(change) };
}

/** Items stringified at once by ItemTexts: some 200 KB of a diff's changes. */
const BATCH_ITEMS = 128;

/**
 * The texts of many items (prettyItem's), held until they are written in another order: the items
 * are stringified a batch at a time (prettyItems), and each text is a slice of its batch's text,
 * which shares its characters.
 *
 * Why: tens of megabytes of texts held one by one (1.6 KB a change) all survived the young
 * generation, and every scavenge copied and promoted them (470 ms of pauses in the 100,000-asset
 * benchmark diff). A batch's text is larger than V8's largest young object (128 KiB), so it is
 * allocated in the large-object space once and never moved. One JSON.stringify a batch also saves
 * the wrapper and slice of a call per item.
 */
export class ItemTexts {
  private readonly texts: string[] = [];
  private pending: unknown[] = [];

  constructor(private readonly key: string) {}

  /** Queues an item (not to be changed afterwards); text() of the number returned is its text. */
  add(item: unknown): number {
    const index = this.texts.length + this.pending.length;
    this.pending.push(item);
    if (this.pending.length >= BATCH_ITEMS) this.flush();
    return index;
  }

  text(index: number): string {
    if (index >= this.texts.length) this.flush();
    return this.texts[index]!;
  }

  private flush(): void {
    for (const text of prettyItems(this.key, this.pending)) this.texts.push(text);
    this.pending = [];
  }
}

/**
 * prettyItem(key, item) of each item, cut from one JSON.stringify({ [key]: items }, null, 2). The
 * items of the array are the values indented by exactly four spaces, so they are separated by a
 * comma, a newline and four spaces followed by something other than a space (a string holds no raw
 * newline; anything nested is indented further).
 */
export function prettyItems(key: string, items: readonly unknown[]): string[] {
  if (items.length === 0) return [];
  const whole = JSON.stringify({ [key]: items }, null, 2);
  const texts: string[] = [];
  // '{\n  "key": [' before the first item's newline; '\n  ]\n}' after the last item.
  let start = JSON.stringify(key).length + 7;
  for (let i = 1; i < items.length; i++) {
    let comma = whole.indexOf(ITEM_SEPARATOR, start);
    while (whole.charCodeAt(comma + ITEM_SEPARATOR.length) === 32) comma = whole.indexOf(ITEM_SEPARATOR, comma + 1);
    texts.push(whole.slice(start, comma));
    start = comma + 1;
  }
  texts.push(whole.slice(start, whole.length - 6));
  return texts;
}

const ITEM_SEPARATOR = ',\n    ';

/**
 * One item of the array `key` as JSON.stringify({ [key]: [...] }, null, 2) writes it, at that depth:
 * its newline and indent, then the item (without the comma between items).
 */
export function prettyItem(key: string, item: unknown): string {
  const text = JSON.stringify({ [key]: [item] }, null, 2);
  // '{\n  "key": [' before the item's newline; '\n  ]\n}' after it.
  return text.slice(JSON.stringify(key).length + 7, text.length - 6);
}

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

/**
 * Lets an entry's facts go (the entries a stream yields are the caller's). Set to undefined rather
 * than deleted, which would cost the object its fast shape; JSON.stringify leaves the key out
 * either way.
 */
function dropFacts(e: InventoryEntry | null): void {
  if (e !== null) e.facts = undefined;
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
