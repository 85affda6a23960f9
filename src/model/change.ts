import type { InventoryEntry } from './device.js';

export type ChangeKind = 'added' | 'removed' | 'changed' | 'replaced';
/** Named kinds that explain a change better than its fields alone. */
export type ChangeTag = 'moved' | 'firmware' | 'renamed' | 'returned' | 'replaced' | 'software' | 'hardware';

/** Installed software compared by package name (local probes and imported documents only). */
export interface SoftwareChanges {
  installed: { name: string; version: string | null }[];
  removed: { name: string; version: string | null }[];
  upgraded: { name: string; before: string | null; after: string | null }[];
}

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface Change {
  kind: ChangeKind;
  assetId: number;
  /** For `replaced`: the asset that was there before. */
  replacedAssetId?: number;
  tags: ChangeTag[];
  fields: FieldChange[];
  /** Tag `software`: what was installed, removed or changed version. */
  software?: SoftwareChanges;
  before: InventoryEntry | null;
  after: InventoryEntry | null;
}
