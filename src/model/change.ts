import type { InventoryEntry } from './device.js';

export type ChangeKind = 'added' | 'removed' | 'changed' | 'replaced';
/** Named kinds that explain a change better than its fields alone. */
export type ChangeTag = 'moved' | 'firmware' | 'renamed' | 'returned' | 'replaced';

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
  before: InventoryEntry | null;
  after: InventoryEntry | null;
}
