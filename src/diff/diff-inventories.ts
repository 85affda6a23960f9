// The changes between two inventories: each is every asset known as of one snapshot, in its latest
// state up to it, marked seen in that snapshot or missing (ARCHITECTURE.md "Identity").
//
// Per asset:
//   before        after              change
//   absent        seen               added
//   seen          absent / not seen  removed
//   seen          seen               changed, if a compared field differs
//   not seen      seen               changed, tag `returned` (plus any field changes)
//   not seen      absent / not seen  nothing (it was already missing)
//   absent        not seen           nothing (it came and went between the two)
//
// Tags: `moved` (display address changed), `firmware` (firmware or os changed), `renamed` (hostname
// changed, ignoring case: DNS names are case-insensitive); when both entries carry facts (local
// probes, imported documents), `software` (installed, removed, upgraded) and `hardware` (memory,
// disks, CPU), see diff-local-facts.ts.
//
// Then an added asset and a removed asset at the same address with the same non-null hostname are
// one `replaced` change (a printer swapped for a new one that took its name and lease). Only
// address + hostname pair: anything looser would pair unrelated DHCP clients.

import type { Change, ChangeKind, ChangeTag, FieldChange, InventoryEntry } from '../model/index.js';
import { addressKey, compareAddresses, compareAddressKeys, type AddressKey } from '../model/compare-addresses.js';
import { diffLocalFacts } from './diff-local-facts.js';

/** The summary fields a diff compares, in the order they are reported. */
export const COMPARED_FIELDS = [
  'address',
  'addresses',
  'macs',
  'hostname',
  'vendor',
  'model',
  'serial',
  'type',
  'os',
  'firmware',
  'openPorts',
] as const;
export type ComparedField = (typeof COMPARED_FIELDS)[number];

/** The kinds of change in report order (ChangePlace.rank is the index of a change's kind). */
export const KIND_ORDER: readonly ChangeKind[] = ['added', 'removed', 'replaced', 'changed'];
/** Every tag, in the order summarizeChanges counts them. */
export const TAGS: readonly ChangeTag[] = ['moved', 'firmware', 'renamed', 'returned', 'replaced', 'software', 'hardware'];

/** A field's value in comparable form: arrays as sorted sets, blank text as null. */
function comparable(entry: InventoryEntry, field: ComparedField): unknown {
  switch (field) {
    case 'addresses':
      return [...new Set(entry.addresses)].sort(compareAddresses);
    case 'macs':
      return [...new Set(entry.macs.map((m) => m.toLowerCase()))].sort();
    case 'openPorts':
      return [...new Set(entry.openPorts)].sort((a, b) => a - b);
    default: {
      const v = entry[field];
      return v === undefined || v === '' ? null : v;
    }
  }
}

function sameValue(field: ComparedField, a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  if (field === 'hostname' && typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return a === b;
}

/** Identical values: equal scalars, or arrays with equal items in the same order. */
function sameRaw(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Field-level differences between two states of one asset (or of an old and a new asset). */
export function diffFields(before: InventoryEntry, after: InventoryEntry): FieldChange[] {
  const fields: FieldChange[] = [];
  for (const field of COMPARED_FIELDS) {
    // The same value on both sides (most fields of most changes) is the same in comparable form:
    // no sets, sorts or copies made for it.
    if (sameRaw(before[field], after[field])) continue;
    const b = comparable(before, field);
    const a = comparable(after, field);
    if (!sameValue(field, b, a)) fields.push({ field, before: b, after: a });
  }
  return fields;
}

function tagsFor(fields: readonly FieldChange[]): ChangeTag[] {
  const changed = new Set(fields.map((f) => f.field));
  const tags: ChangeTag[] = [];
  if (changed.has('address')) tags.push('moved');
  if (changed.has('firmware') || changed.has('os')) tags.push('firmware');
  if (changed.has('hostname')) tags.push('renamed');
  return tags;
}

/** The address a change sorts by: where the asset is now, or where it was last seen if removed. */
function changeAddress(c: Change): string {
  return (c.after ?? c.before)?.address ?? '';
}

/** Where a change stands in report order, its address parsed once (compareChangePlaces). */
export interface ChangePlace {
  readonly rank: number;
  readonly address: AddressKey;
  readonly assetId: number;
}

export function changePlace(c: Change): ChangePlace {
  return { rank: KIND_ORDER.indexOf(c.kind), address: addressKey(changeAddress(c)), assetId: c.assetId };
}

/** Report order: by kind (KIND_ORDER), then address (compareAddresses), then asset id. */
export function compareChangePlaces(a: ChangePlace, b: ChangePlace): number {
  return a.rank - b.rank || compareAddressKeys(a.address, b.address) || a.assetId - b.assetId;
}

/** Changes in report order (compareChangePlaces); there can be tens of thousands of them. */
function sortChanges(changes: Change[]): Change[] {
  const keyed = changes.map((c) => ({ c, place: changePlace(c) }));
  keyed.sort((a, b) => compareChangePlaces(a.place, b.place));
  return keyed.map((k) => k.c);
}

export function diffInventories(before: readonly InventoryEntry[], after: readonly InventoryEntry[]): Change[] {
  const afterById = new Map(after.map((e) => [e.assetId, e]));
  const beforeIds = new Set(before.map((e) => e.assetId));
  const changes: Change[] = [];
  for (const b of before) {
    const c = diffEntries(b, afterById.get(b.assetId) ?? null);
    if (c !== null) changes.push(c);
  }
  for (const a of after) {
    if (beforeIds.has(a.assetId)) continue;
    const c = diffEntries(null, a);
    if (c !== null) changes.push(c);
  }
  return finishChanges(changes);
}

/**
 * The change of one asset, from its entries in the two inventories (null where an inventory does
 * not know it), before replacements are paired: added, removed, changed, or null for none. With
 * finishChanges, what diffInventories gives, for inventories read one asset at a time.
 */
export function diffEntries(b: InventoryEntry | null, a: InventoryEntry | null): Change | null {
  if (b === null) {
    return a !== null && a.seen ? { kind: 'added', assetId: a.assetId, tags: [], fields: [], before: null, after: a } : null;
  }
  if (b.seen && (a === null || !a.seen)) {
    return { kind: 'removed', assetId: b.assetId, tags: [], fields: [], before: b, after: a };
  }
  if (a !== null && a.seen) {
    const local = diffLocalFacts(b.facts, a.facts);
    const fields = [...diffFields(b, a), ...local.fields];
    const tags = [...(b.seen ? [] : ['returned' as const]), ...tagsFor(fields), ...local.tags];
    if (tags.length > 0 || fields.length > 0) {
      return { kind: 'changed', assetId: b.assetId, tags, fields, ...(local.software ? { software: local.software } : {}), before: b, after: a };
    }
  }
  return null;
}

/** The changes of every asset (diffEntries, in any order), with replacements paired, in report order. */
export function finishChanges(changes: Change[]): Change[] {
  return sortChanges(pairReplacements(changes));
}

/** What pairs a removed asset with an added one (pairReplacements): address and hostname, or null. */
export function replacementKey(e: InventoryEntry): string | null {
  return e.hostname === null || e.hostname.trim() === '' ? null : `${e.address}\u0000${e.hostname.trim().toLowerCase()}`;
}

/** An added or removed change as pairing needs it: its kind, asset, key (replacementKey) and place. */
export interface PairingCandidate {
  readonly kind: 'added' | 'removed';
  readonly assetId: number;
  readonly key: string | null;
  readonly place: ChangePlace;
}

/** The candidate an added or removed change is for pairing (other kinds are never paired). */
export function pairingCandidate(c: Change): PairingCandidate | null {
  if (c.kind === 'added') return { kind: 'added', assetId: c.assetId, key: replacementKey(c.after as InventoryEntry), place: changePlace(c) };
  if (c.kind === 'removed') return { kind: 'removed', assetId: c.assetId, key: replacementKey(c.before as InventoryEntry), place: changePlace(c) };
  return null;
}

/**
 * Which removed and added assets are one replacement (pairReplacements), by their index in
 * `candidates`: [removed, added] pairs. Deterministic: added assets in (address, id) order each
 * take the lowest-id removed asset left with the same key.
 */
export function pairCandidates(candidates: readonly PairingCandidate[]): Array<[removed: number, added: number]> {
  const removedByKey = new Map<string, number[]>();
  const removed = candidates.map((c, i) => i).filter((i) => candidates[i]!.kind === 'removed');
  removed.sort((x, y) => candidates[x]!.assetId - candidates[y]!.assetId);
  for (const i of removed) {
    const k = candidates[i]!.key;
    if (k === null) continue;
    const list = removedByKey.get(k);
    if (list) list.push(i);
    else removedByKey.set(k, [i]);
  }
  const added = candidates.map((c, i) => i).filter((i) => candidates[i]!.kind === 'added');
  added.sort((x, y) => compareChangePlaces(candidates[x]!.place, candidates[y]!.place));
  const pairs: Array<[number, number]> = [];
  for (const i of added) {
    const k = candidates[i]!.key;
    const r = k === null ? undefined : removedByKey.get(k)?.shift();
    if (r !== undefined) pairs.push([r, i]);
  }
  return pairs;
}

/** The `replaced` change of a removed asset (its last state `before`) by an added one (`after`). */
export function replacement(removedAssetId: number, before: InventoryEntry, addedAssetId: number, after: InventoryEntry): Change {
  return {
    kind: 'replaced',
    assetId: addedAssetId,
    replacedAssetId: removedAssetId,
    tags: ['replaced'],
    fields: diffFields(before, after),
    before,
    after,
  };
}

/**
 * Pairs added and removed assets at the same address with the same hostname into `replaced`
 * (pairCandidates).
 */
function pairReplacements(changes: Change[]): Change[] {
  const unpaired = changes.filter((c) => c.kind === 'added' || c.kind === 'removed');
  const pairs = pairCandidates(unpaired.map((c) => pairingCandidate(c)!));
  const paired = new Set<Change>();
  const replacements: Change[] = [];
  for (const [r, a] of pairs) {
    const removed = unpaired[r]!;
    const added = unpaired[a]!;
    paired.add(added).add(removed);
    replacements.push(replacement(removed.assetId, removed.before as InventoryEntry, added.assetId, added.after as InventoryEntry));
  }
  return [...changes.filter((c) => !paired.has(c)), ...replacements];
}

export interface ChangeCounts {
  total: number;
  byKind: Record<ChangeKind, number>;
  byTag: Record<ChangeTag, number>;
}

/** Counts of changes per kind and per tag (a change with two tags counts under both). */
export function summarizeChanges(changes: readonly Pick<Change, 'kind' | 'tags'>[]): ChangeCounts {
  const byKind = Object.fromEntries(KIND_ORDER.map((k) => [k, 0])) as Record<ChangeKind, number>;
  const byTag = Object.fromEntries(TAGS.map((t) => [t, 0])) as Record<ChangeTag, number>;
  for (const c of changes) {
    byKind[c.kind] += 1;
    for (const t of c.tags) byTag[t] += 1;
  }
  return { total: changes.length, byKind, byTag };
}
