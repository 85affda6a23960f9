// Runs the built CLI in this process, then reports its peak RSS and CPU time on fd 3 as one JSON
// line, for bench/export.mjs (a parent cannot read a finished child's peak RSS portably).
import { writeSync } from 'node:fs';

const started = process.hrtime.bigint();
const { main } = await import('../dist/bundle/main.cjs');
await main(['node', 'netcensus', ...process.argv.slice(2)]);
const usage = process.resourceUsage();
writeSync(
  3,
  JSON.stringify({
    exitCode: process.exitCode ?? 0,
    wallMs: Number(process.hrtime.bigint() - started) / 1e6,
    maxRssMB: usage.maxRSS / 1024,
    cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
  }) + '\n',
);
