// `diff --json` writes its changes a piece at a time from each change's own text: the result must be
// the one JSON.stringify(document, null, 2) of the whole document.
import { describe, expect, it } from 'vitest';
import { writePrettyJsonTexts } from '../../src/cli/commands/diff.js';
import { ItemTexts, prettyItem, prettyItemsText } from '../../src/cli/diff-part.js';
import { captured } from '../helpers/captured-output.js';

describe('diff --json, written piece by piece', () => {
  const head = { from: { id: 1, startedAt: '2025-01-01T00:00:00Z' }, to: { id: 2, startedAt: '2025-02-01T00:00:00Z' }, counts: { total: 3 } };
  const item = (i: number) => ({
    kind: i % 2 ? 'added' : 'changed',
    assetId: i,
    tags: i % 3 ? [] : ['moved'],
    fields: [{ field: 'address', before: `10.0.0.${i}`, after: `10.0.1.${i}` }],
    before: i % 2 ? null : { address: `10.0.0.${i}`, addresses: [`10.0.0.${i}`], hostname: 'a "quoted"\nname', facts: undefined },
    after: { address: `10.0.1.${i}`, openPorts: [22, 443], seen: true, facts: undefined },
  });

  for (const n of [0, 1, 2, 1000, 1001, 2500]) {
    it(`is JSON.stringify(…, null, 2) of the whole, with ${n} items`, () => {
      const items = Array.from({ length: n }, (_, i) => item(i));
      const { output, text } = captured();
      writePrettyJsonTexts(output, head, 'changes', items.map((x) => prettyItem('changes', x)));
      expect(text()).toBe(JSON.stringify({ ...head, changes: items }, null, 2) + '\n');
    });
  }
});

/** Each item's text, cut from one JSON.stringify where prettyItemsText says it is. */
function prettyItems(key: string, items: readonly unknown[]): string[] {
  const bounds: [number, number][] = [];
  const whole = prettyItemsText(key, items, (start, end) => bounds.push([start, end]));
  return bounds.map(([start, end]) => whole.slice(start, end));
}

describe('prettyItemsText: the texts of many items from one JSON.stringify', () => {
  // Items of every shape, with strings that look like the separator between items, and nesting
  // whose lines start with four spaces and more.
  const items: unknown[] = [
    { kind: 'changed', text: ',\n    {', nested: { deeper: [1, { a: ',\n    ' }], empty: [], none: {} }, gone: undefined },
    null,
    'a string,\n    with the separator',
    42,
    [],
    {},
    [[1, 2], { x: null }],
    { quote: '"},\n    {"', unicode: 'é😀\u2028', lone: '\ud800' },
    true,
  ];

  it('are prettyItem of each item, for any number of them', () => {
    for (let n = 0; n <= items.length; n++) {
      const some = items.slice(0, n);
      expect(prettyItems('changes', some)).toEqual(some.map((x) => prettyItem('changes', x)));
      expect(prettyItems('k', some)).toEqual(some.map((x) => prettyItem('k', x)));
    }
  });

  it('ItemTexts gives each item its text, in batches, read early or late', () => {
    const many = Array.from({ length: 300 }, (_, i) => items[i % items.length]);
    const texts = new ItemTexts('changes');
    const ids = many.map((x, i) => {
      const id = texts.add(x);
      // Reading a text of the batch not yet stringified closes that batch early.
      if (i === 5) expect(texts.text(2)).toBe(prettyItem('changes', many[2]));
      return id;
    });
    expect(ids).toEqual(many.map((_, i) => i));
    expect(ids.map((id) => texts.text(id))).toEqual(many.map((x) => prettyItem('changes', x)));
  });
});
