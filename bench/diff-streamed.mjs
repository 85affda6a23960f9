// What `netcensus diff A B --json` costs when both inventories are read with the store's streaming
// query (streamInventoryAsOf) instead of inventoryAsOf: same diff, same JSON, for bench/export.mjs.
// Reports like measure-child.mjs, on fd 3.
import { writeSync, createWriteStream } from 'node:fs';
import { openSqliteStore } from '../dist/store/sqlite-store.js';
import { diffInventories, summarizeChanges } from '../dist/diff/diff-inventories.js';

const [db, from, to] = process.argv.slice(2);
const started = process.hrtime.bigint();
const store = openSqliteStore(db, { readonly: true });
const collect = async (id) => {
  const out = [];
  for await (const e of store.streamInventoryAsOf(Number(id))) out.push(e);
  return out;
};
const before = await collect(from);
const after = await collect(to);
const changes = diffInventories(before, after);
const sink = createWriteStream('/dev/null');
sink.write(JSON.stringify({ from: Number(from), to: Number(to), counts: summarizeChanges(changes), changes }, null, 2));
await new Promise((resolve) => sink.end(resolve));
await store.close();
const usage = process.resourceUsage();
writeSync(3, JSON.stringify({ exitCode: 0, wallMs: Number(process.hrtime.bigint() - started) / 1e6, maxRssMB: usage.maxRSS / 1024, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, changes: changes.length }) + '\n');
