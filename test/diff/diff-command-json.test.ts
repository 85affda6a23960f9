// `netcensus diff A B --json` keeps each change only as its text, and pairs removed and added assets
// into replacements from what it kept beside them (re-reading the entries of those that pair from
// their texts): its output must be JSON.stringify of the changes diffInventories finds between the
// two whole inventories, on a generated inventory whose churn includes replaced devices.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { diffCommand } from '../../src/cli/commands/diff.js';
import { captured } from '../helpers/captured-output.js';
import { diffInventories, summarizeChanges } from '../../src/diff/diff-inventories.js';
import type { FactKey } from '../../src/model/index.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { tempDir } from '../helpers/cli.js';
import { generateSyntheticDb } from '../helpers/synthetic-db.js';

const DIFFED: FactKey[] = ['software', 'memory', 'disks', 'cpu'];

describe('diff --json on a generated inventory', () => {
  const path = join(tempDir(), 'generated.db');
  beforeAll(async () => {
    await generateSyntheticDb({ path, assets: 1500, snapshots: 6, seed: 5 });
  });

  it('is the whole diff of the two inventories, replacements included', async () => {
    const store = openSqliteStore(path, { readonly: true });
    const checked: Record<string, number> = {};
    try {
      for (const [from, to] of [
        [1, 6],
        [6, 1],
        [2, 5],
      ] as const) {
        const { output, text } = captured();
        await diffCommand(String(from), String(to), { db: path, json: true }, output);
        const snaps = [await store.getSnapshot(from), await store.getSnapshot(to)];
        const changes = diffInventories(
          await store.inventoryAsOf(from, {}, { withFacts: true, factKeys: DIFFED }),
          await store.inventoryAsOf(to, {}, { withFacts: true, factKeys: DIFFED }),
        );
        for (const c of changes) for (const e of [c.before, c.after]) if (e) e.facts = undefined;
        const head = { from: { id: from, startedAt: snaps[0]!.startedAt }, to: { id: to, startedAt: snaps[1]!.startedAt } };
        expect(text()).toBe(JSON.stringify({ ...head, counts: summarizeChanges(changes), changes }, null, 2) + '\n');
        checked[`${from}-${to}`] = changes.filter((c) => c.kind === 'replaced').length;
      }
    } finally {
      await store.close();
    }
    // The generator replaces a few printers a month: the pairing was exercised.
    expect(checked['1-6']).toBeGreaterThan(0);
  });
});
