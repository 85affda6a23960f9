// The changes of `netcensus diff --json` before they are paired and sorted: each kept only as its
// JSON text and its place in the report order, with the added and removed assets that might pair
// into replacements kept beside (pairingCandidate). The main thread's DiffPart takes the changes of
// the ranges it reads itself, and the batches (ChangeBatch) that a worker thread (diff-worker.ts)
// sends of the ranges it read; pairing and sorting then run over all of them, so where an asset was
// read never shows in the output.
import {
  changePlace,
  diffEntries,
  KIND_ORDER,
  pairingCandidate,
  TAGS,
  type ChangePlace,
  type PairingCandidate,
} from '../diff/diff-inventories.js';
import { addressKey } from '../model/compare-addresses.js';
import type { Change, InventoryEntry } from '../model/index.js';
import type { PairOptions } from '../store/inventory-store.js';

/**
 * What a diff reads of two inventories: only the facts it compares (software, hardware), not every
 * machine's whole document, and both inventories side by side, asset by asset, without the assets
 * whose state is the same on both sides: only the changes are held.
 */
export const DIFF_PAIR_OPTIONS: PairOptions = { withFacts: true, factKeys: ['software', 'memory', 'disks', 'cpu'], skipUnchanged: true };

/** A change as the JSON array of `diff --json` holds it, with its place in the report order. */
export interface WrittenChange {
  kind: Change['kind'];
  /** Its tags, for counting (those of a worker's change in TAGS order, not the change's). */
  tags: Change['tags'];
  place: ChangePlace;
  /** Its text (prettyItem) in the part's ItemTexts. */
  text: number;
}

/**
 * Changes as a worker thread sends them (postMessage), a batch of some 200 KB of text at a time:
 * the texts as one string, and of each change what pairing and sorting need, in typed arrays and
 * strings rather than an object a change (a structured clone of tens of thousands of small objects
 * cost more than the 36 MB of text).
 */
export interface ChangeBatch {
  text: string;
  /** Where each change's text starts and ends in `text`. */
  bounds: Int32Array;
  /** Its kind: the index in KIND_ORDER (ChangePlace.rank). */
  ranks: Uint8Array;
  /** Its tags: bit i for TAGS[i]. */
  tags: Uint8Array;
  assetIds: Float64Array;
  /** The address it sorts by (ChangePlace.address). */
  addresses: string[];
  /** Of an added or removed change, what pairs it (PairingCandidate.key); null for the others. */
  keys: (string | null)[];
}

/**
 * Diffs each pair (InventoryStore.streamInventoryPairs) and hands on its change, if any. The entries'
 * facts go at once: what they say that changed is in the change now (fields, software).
 */
export async function diffPairs(pairs: AsyncIterable<[InventoryEntry | null, InventoryEntry | null]>, each: (change: Change) => void): Promise<void> {
  for await (const [before, after] of pairs) {
    const change = diffEntries(before, after);
    dropFacts(before);
    dropFacts(after);
    if (change !== null) each(change);
  }
}

export class DiffPart {
  readonly texts = new ItemTexts('changes');
  /** The changes, in the order read; null where one was paired into a replacement (merge). */
  readonly written: (WrittenChange | null)[] = [];
  /** The added and removed changes, for pairing, with their index in `written` (candidateAt). */
  readonly candidates: PairingCandidate[] = [];
  readonly candidateAt: number[] = [];

  /**
   * Diffs each pair (InventoryStore.streamInventoryPairs) and keeps its change as text: tens of
   * thousands of changes are held as strings, not as object graphs that every garbage collection
   * walks (and the entries die young). Added and removed assets too: what pairs them into
   * replacements is kept beside (pairCandidates), and the few that pair are read back from their
   * texts (JSON.parse gives the same entries as far as their text and the compared fields go).
   * Holding 15,000 added and removed changes as objects cost more in young-generation collections
   * than the rest of the diff together.
   */
  async addPairs(pairs: AsyncIterable<[InventoryEntry | null, InventoryEntry | null]>): Promise<void> {
    await diffPairs(pairs, (change) => {
      const candidate = pairingCandidate(change);
      if (candidate !== null) {
        this.candidates.push(candidate);
        this.candidateAt.push(this.written.length);
      }
      this.add(change);
    });
  }

  add(change: Change): void {
    this.written.push({ kind: change.kind, tags: change.tags, place: changePlace(change), text: this.texts.add(change) });
  }

  /** The change a text holds, read back (for pairing). */
  change(at: number): Change {
    return JSON.parse(this.texts.text(this.written[at]!.text)) as Change;
  }

  /** Takes in a batch of a worker's changes (ChangeBatches). */
  addBatch(batch: ChangeBatch): void {
    const first = this.texts.addText(batch.text, batch.bounds);
    for (let i = 0; i < batch.ranks.length; i++) {
      const rank = batch.ranks[i]!;
      const kind = KIND_ORDER[rank]!;
      const mask = batch.tags[i]!;
      const tags = mask === 0 ? [] : TAGS.filter((_, t) => (mask & (1 << t)) !== 0);
      const assetId = batch.assetIds[i]!;
      const place: ChangePlace = { rank, address: addressKey(batch.addresses[i]!), assetId };
      if (kind === 'added' || kind === 'removed') {
        this.candidates.push({ kind, assetId, key: batch.keys[i]!, place });
        this.candidateAt.push(this.written.length);
      }
      this.written.push({ kind, tags, place, text: first + i });
    }
  }
}

/**
 * The changes of a worker thread, a batch at a time (ChangeBatch), sent on as each batch is full:
 * the main thread takes them in between its own ranges, so that neither thread has them all to
 * copy at the end.
 */
export class ChangeBatches {
  private pending: Change[] = [];

  constructor(private readonly send: (batch: ChangeBatch, transfer: ArrayBuffer[]) => void) {}

  async addPairs(pairs: AsyncIterable<[InventoryEntry | null, InventoryEntry | null]>): Promise<void> {
    await diffPairs(pairs, (change) => {
      this.pending.push(change);
      if (this.pending.length >= BATCH_ITEMS) this.flush();
    });
  }

  flush(): void {
    const changes = this.pending;
    if (changes.length === 0) return;
    this.pending = [];
    const n = changes.length;
    const batch: ChangeBatch = {
      text: '',
      bounds: new Int32Array(2 * n),
      ranks: new Uint8Array(n),
      tags: new Uint8Array(n),
      assetIds: new Float64Array(n),
      addresses: [],
      keys: [],
    };
    let i = 0;
    batch.text = prettyItemsText('changes', changes, (start, end) => {
      batch.bounds[2 * i] = start;
      batch.bounds[2 * i + 1] = end;
      i++;
    });
    changes.forEach((change, c) => {
      const place = changePlace(change);
      batch.ranks[c] = place.rank;
      batch.tags[c] = change.tags.reduce((mask, t) => mask | (1 << TAGS.indexOf(t)), 0);
      batch.assetIds[c] = change.assetId;
      batch.addresses.push(place.address.text);
      batch.keys.push(pairingCandidate(change)?.key ?? null);
    });
    this.send(batch, [batch.bounds.buffer, batch.ranks.buffer, batch.tags.buffer, batch.assetIds.buffer] as ArrayBuffer[]);
  }
}

/**
 * Lets an entry's facts go (the entries a stream yields are the caller's). Set to undefined rather
 * than deleted, which would cost the object its fast shape; JSON.stringify leaves the key out
 * either way.
 */
export function dropFacts(e: InventoryEntry | null): void {
  if (e !== null) e.facts = undefined;
}

/** Items stringified at once by ItemTexts: some 200 KB of a diff's changes. */
const BATCH_ITEMS = 128;

/**
 * The texts of many items (prettyItem's), held until they are written in another order: the items
 * are stringified a batch at a time (prettyItems), and each text is read as a slice of its batch's
 * text, which shares its characters.
 *
 * Why: tens of megabytes of texts held one by one (1.6 KB a change) all survived the young
 * generation, and every scavenge copied and promoted them (470 ms of pauses in the 100,000-asset
 * benchmark diff). A batch's text is larger than V8's largest young object (128 KiB), so it is
 * allocated in the large-object space once and never moved. One JSON.stringify a batch also saves
 * the wrapper and slice of a call per item. A worker's texts come in as such batches (addText).
 */
export class ItemTexts {
  private readonly batches: string[] = [];
  private readonly batchOf: number[] = [];
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private pending: unknown[] = [];

  constructor(private readonly key: string) {}

  /** Queues an item (not to be changed afterwards); text() of the number returned is its text. */
  add(item: unknown): number {
    const index = this.starts.length + this.pending.length;
    this.pending.push(item);
    if (this.pending.length >= BATCH_ITEMS) this.flush();
    return index;
  }

  text(index: number): string {
    if (index >= this.starts.length) this.flush();
    return this.batches[this.batchOf[index]!]!.slice(this.starts[index], this.ends[index]);
  }

  /** Takes in texts already made: `text` holding each at bounds[2i] to bounds[2i + 1]; returns the first's number. */
  addText(text: string, bounds: Int32Array): number {
    this.flush();
    const first = this.starts.length;
    const batch = this.batches.length;
    this.batches.push(text);
    for (let i = 0; i < bounds.length; i += 2) {
      this.batchOf.push(batch);
      this.starts.push(bounds[i]!);
      this.ends.push(bounds[i + 1]!);
    }
    return first;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const batch = this.batches.length;
    const whole = prettyItemsText(this.key, this.pending, (start, end) => {
      this.batchOf.push(batch);
      this.starts.push(start);
      this.ends.push(end);
    });
    this.batches.push(whole);
    this.pending = [];
  }
}

/**
 * JSON.stringify({ [key]: items }, null, 2), and where in it each item's prettyItem text is
 * (`found(start, end)`, in order). The items of the array are the values indented by exactly four
 * spaces, so they are separated by a comma, a newline and four spaces followed by something other
 * than a space (a string holds no raw newline; anything nested is indented further).
 */
export function prettyItemsText(key: string, items: readonly unknown[], found: (start: number, end: number) => void): string {
  if (items.length === 0) return '';
  const whole = JSON.stringify({ [key]: items }, null, 2);
  // '{\n  "key": [' before the first item's newline; '\n  ]\n}' after the last item.
  let start = JSON.stringify(key).length + 7;
  for (let i = 1; i < items.length; i++) {
    let comma = whole.indexOf(ITEM_SEPARATOR, start);
    while (whole.charCodeAt(comma + ITEM_SEPARATOR.length) === 32) comma = whole.indexOf(ITEM_SEPARATOR, comma + 1);
    found(start, comma);
    start = comma + 1;
  }
  found(start, whole.length - 6);
  return whole;
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
