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
      // Each change becomes its JSON text as soon as it is known, and only the text and its place
      // in the report order are kept: tens of thousands of changes are held as strings, not as
      // object graphs that every garbage collection walks (and the entries die young). Added and
      // removed assets too: what pairs them into replacements is kept beside (pairCandidates), and
      // the few that pair are read back from their texts (JSON.parse gives the same entries as
      // far as their text and the compared fields go). Holding 15,000 added and removed changes
      // as objects cost more in young-generation collections than the rest of the diff together.
      const texts = new TextPages();
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
  /** Its text (prettyItem), kept in TextPages. */
  text: TextRef;
}

function writeChange(change: Change, texts: TextPages): WrittenChange {
  return { kind: change.kind, tags: change.tags, place: changePlace(change), text: texts.add(prettyItem('changes', change)) };
}

/** Where TextPages keeps one text: its page, and its start and end in it. */
interface TextRef {
  readonly page: number;
  readonly start: number;
  readonly end: number;
}

/** Characters of text in one page of TextPages: above V8's largest young-generation object (128 KiB). */
const PAGE_CHARS = 256 * 1024;

/**
 * The texts of a diff's changes, held until they are written in report order, joined into pages of
 * 256 K characters. Tens of megabytes of texts held one by one (1.6 KB a change) all survived the
 * young generation: every scavenge copied and promoted them (about 100 MB over a benchmark diff,
 * half a second of pauses). A page is allocated in the large-object space at once and never moved;
 * only the last page's texts wait in the young generation, and briefly. A text is read back as a
 * slice of its page, which shares the page's characters.
 */
export class TextPages {
  private readonly pages: string[] = [];
  private pending: string[] = [];
  private pendingChars = 0;

  add(text: string): TextRef {
    const ref = { page: this.pages.length, start: this.pendingChars, end: this.pendingChars + text.length };
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars >= PAGE_CHARS) this.seal();
    return ref;
  }

  text(ref: TextRef): string {
    if (ref.page === this.pages.length) this.seal();
    return this.pages[ref.page]!.slice(ref.start, ref.end);
  }

  private seal(): void {
    this.pages.push(this.pending.join(''));
    this.pending = [];
    this.pendingChars = 0;
  }
}

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
