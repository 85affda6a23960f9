import { describe, expect, it } from 'vitest';
import { diffInventories, summarizeChanges } from '../../src/diff/diff-inventories.js';
import type { InventoryEntry } from '../../src/model/index.js';
import { summary } from '../inventory/fixtures.js';

function entry(assetId: number, over: Partial<InventoryEntry> = {}): InventoryEntry {
  return {
    ...summary({ address: over.address ?? `10.0.0.${assetId}` }),
    assetId,
    snapshotId: 1,
    seen: true,
    firstSeenAt: '2025-01-01T00:00:00.000Z',
    lastSeenAt: '2025-01-01T00:00:00.000Z',
    ...over,
  };
}

describe('diffInventories', () => {
  it('reports nothing for identical inventories', () => {
    const inv = [entry(1, { hostname: 'a', macs: ['00:1b:21:00:00:01'] }), entry(2, { seen: false })];
    expect(diffInventories(inv, inv)).toEqual([]);
  });

  it('reports an asset new in `after` as added', () => {
    const added = entry(2);
    expect(diffInventories([entry(1)], [entry(1), added])).toEqual([
      { kind: 'added', assetId: 2, tags: [], fields: [], before: null, after: added },
    ]);
  });

  it('reports an asset seen before and missing after as removed', () => {
    const before = entry(1);
    const after = entry(1, { seen: false, snapshotId: 1 });
    expect(diffInventories([before], [after])).toEqual([
      { kind: 'removed', assetId: 1, tags: [], fields: [], before, after },
    ]);
    expect(diffInventories([before], [])).toMatchObject([{ kind: 'removed', assetId: 1, after: null }]);
  });

  it('reports nothing for an asset missing in both', () => {
    expect(diffInventories([entry(1, { seen: false })], [entry(1, { seen: false })])).toEqual([]);
    expect(diffInventories([], [entry(1, { seen: false })])).toEqual([]);
  });

  it('reports field changes with before/after and tags', () => {
    const before = entry(1, {
      address: '10.0.0.5',
      addresses: ['10.0.0.5'],
      hostname: 'pc1',
      firmware: '1.0',
      openPorts: [22, 80],
      macs: ['00:1b:21:00:00:01'],
    });
    const after = entry(1, {
      address: '10.0.0.77',
      addresses: ['10.0.0.77'],
      hostname: 'pc1-renamed',
      firmware: '1.1',
      openPorts: [80, 22],
      macs: ['00:1b:21:00:00:01'],
    });
    const [c, ...rest] = diffInventories([before], [after]);
    expect(rest).toEqual([]);
    expect(c?.kind).toBe('changed');
    expect(c?.tags).toEqual(['moved', 'firmware', 'renamed']);
    expect(c?.fields).toEqual([
      { field: 'address', before: '10.0.0.5', after: '10.0.0.77' },
      { field: 'addresses', before: ['10.0.0.5'], after: ['10.0.0.77'] },
      { field: 'hostname', before: 'pc1', after: 'pc1-renamed' },
      { field: 'firmware', before: '1.0', after: '1.1' },
    ]);
  });

  it('compares arrays as sets and host names without case', () => {
    const before = entry(1, { macs: ['00:1b:21:00:00:02', '00:1b:21:00:00:01'], openPorts: [443, 22, 22], hostname: 'PC1' });
    const after = entry(1, { macs: ['00:1b:21:00:00:01', '00:1B:21:00:00:02'], openPorts: [22, 443], hostname: 'pc1' });
    expect(diffInventories([before], [after])).toEqual([]);
  });

  it('tags an os change as firmware, and a new port as a plain field change', () => {
    const [c] = diffInventories([entry(1, { os: 'Windows 10', openPorts: [445] })], [entry(1, { os: 'Windows 11', openPorts: [445, 3389] })]);
    expect(c?.tags).toEqual(['firmware']);
    expect(c?.fields).toEqual([
      { field: 'os', before: 'Windows 10', after: 'Windows 11' },
      { field: 'openPorts', before: [445], after: [445, 3389] },
    ]);
  });

  it('reports an asset that was missing and is seen again as returned', () => {
    const [c] = diffInventories([entry(1, { seen: false })], [entry(1)]);
    expect(c).toMatchObject({ kind: 'changed', assetId: 1, tags: ['returned'], fields: [] });

    const [moved] = diffInventories([entry(1, { seen: false, address: '10.0.0.1' })], [entry(1, { address: '10.0.0.2' })]);
    expect(moved?.tags).toEqual(['returned', 'moved']);
  });

  it('pairs an added and a removed asset at the same address and name as replaced', () => {
    const old = entry(3, { address: '10.0.0.20', hostname: 'printer-2f', serial: 'CN111', model: 'LaserJet 400' });
    const repl = entry(8, { address: '10.0.0.20', hostname: 'PRINTER-2F', serial: 'CN999', model: 'LaserJet 500' });
    const changes = diffInventories([old], [{ ...old, seen: false }, repl]);
    expect(changes).toEqual([
      {
        kind: 'replaced',
        assetId: 8,
        replacedAssetId: 3,
        tags: ['replaced'],
        // The host name differs only in case: not a field change.
        fields: [
          { field: 'model', before: 'LaserJet 400', after: 'LaserJet 500' },
          { field: 'serial', before: 'CN111', after: 'CN999' },
        ],
        before: old,
        after: repl,
      },
    ]);
  });

  it('does not pair without a hostname or at a different address', () => {
    const noName = diffInventories([entry(3, { address: '10.0.0.20' })], [entry(8, { address: '10.0.0.20' })]);
    expect(noName.map((c) => c.kind)).toEqual(['added', 'removed']);

    const elsewhere = diffInventories(
      [entry(3, { address: '10.0.0.20', hostname: 'p' })],
      [entry(8, { address: '10.0.0.21', hostname: 'p' })],
    );
    expect(elsewhere.map((c) => c.kind)).toEqual(['added', 'removed']);
  });

  it('sorts by kind, then address numerically, then asset id', () => {
    const before = [
      entry(1, { address: '10.0.0.10' }),
      entry(2, { address: '10.0.0.9' }),
      entry(5, { address: '10.0.0.50', firmware: 'a' }),
      entry(6, { address: '10.0.0.6', hostname: 'x' }),
    ];
    const after = [
      entry(5, { address: '10.0.0.50', firmware: 'b' }),
      entry(7, { address: '10.0.0.100' }),
      entry(4, { address: '10.0.0.100' }),
      entry(3, { address: '10.0.0.9' }),
      entry(9, { address: '10.0.0.6', hostname: 'x' }),
    ];
    const changes = diffInventories(before, after);
    expect(changes.map((c) => [c.kind, c.assetId])).toEqual([
      ['added', 3],
      ['added', 4],
      ['added', 7],
      ['removed', 2],
      ['removed', 1],
      ['replaced', 9],
      ['changed', 5],
    ]);
  });
});

describe('summarizeChanges', () => {
  it('counts changes per kind and per tag', () => {
    const changes = diffInventories(
      [entry(1, { address: '10.0.0.1', firmware: '1' }), entry(2), entry(3, { seen: false })],
      [entry(1, { address: '10.0.0.99', firmware: '2' }), entry(3), entry(4)],
    );
    expect(summarizeChanges(changes)).toEqual({
      total: 4,
      byKind: { added: 1, removed: 1, replaced: 0, changed: 2 },
      byTag: { moved: 1, firmware: 1, renamed: 0, returned: 1, replaced: 0, software: 0, hardware: 0 },
    });
  });
});
