import { describe, expect, it } from 'vitest';
import { parseSnapshotRef } from '../../src/cli/snapshot-ref.js';
import { UsageError } from '../../src/model/index.js';

describe('snapshot references', () => {
  it('reads ids, latest, latest~N and dates', () => {
    expect(parseSnapshotRef('12')).toEqual({ kind: 'id', id: 12 });
    expect(parseSnapshotRef('latest')).toEqual({ kind: 'latest', offset: 0 });
    expect(parseSnapshotRef('latest~3')).toEqual({ kind: 'latest', offset: 3 });
    const date = parseSnapshotRef('2025-12-31');
    expect(date.kind).toBe('date');
    // The end of the named local day: the start of the next one.
    expect(date.kind === 'date' && date.endOfDay.getTime()).toBe(new Date(2026, 0, 1).getTime());
  });

  it('refuses anything else with the forms it takes', () => {
    for (const bad of ['yesterday', 'latest~', '-1', '2025-02-30', '2025-13-01', '']) {
      expect(() => parseSnapshotRef(bad), bad).toThrow(UsageError);
    }
    expect(() => parseSnapshotRef('yesterday')).toThrow(/"latest~N" or a date YYYY-MM-DD/);
  });
});
