import { UsageError } from '../../model/index.js';
import type { AssetSighting } from '../../store/inventory-store.js';
import { openExistingStore, type GlobalOptions } from '../context.js';
import { EXIT } from '../exit-codes.js';
import type { Output } from '../output.js';
import { clean } from '../render-table.js';

export async function assetCommand(id: number, flags: GlobalOptions, output: Output): Promise<number> {
  const store = openExistingStore(flags);
  try {
    const history = await store.assetHistory(id);
    if (history.length === 0) {
      throw new UsageError(`asset ${id} does not exist; list assets with "netcensus assets"`);
    }
    if (flags.json) {
      output.out(
        JSON.stringify(
          { assetId: id, history: history.map((h) => ({ ...h, snapshot: { id: h.snapshot.id, startedAt: h.snapshot.startedAt, status: h.snapshot.status, label: h.snapshot.label } })) },
          null,
          2,
        ) + '\n',
      );
      return EXIT.ok;
    }
    output.out(renderAsset(id, history, output));
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

function renderAsset(id: number, history: AssetSighting[], output: Output): string {
  const latest = history[history.length - 1]!;
  const s = latest.summary;
  const lines: string[] = [];
  const field = (name: string, value: string | null | undefined, source?: string): void => {
    if (value === null || value === undefined || value === '') return;
    lines.push(`  ${name.padEnd(10)} ${clean(value)}${source ? output.style('dim', `  (${clean(source)})`) : ''}`);
  };
  lines.push(output.style('bold', `asset ${id}`) + `  first seen ${history[0]!.seenAt}, last seen ${latest.seenAt}`);
  field('address', s.addresses.join(', '));
  field('hostname', s.hostname, latest.facts.hostnames?.[0]?.source);
  field('type', s.type, latest.facts.type?.source);
  field('vendor', s.vendor, latest.facts.vendor?.source);
  field('model', s.model, latest.facts.model?.source);
  field('serial', s.serial, latest.facts.serial?.source);
  field('os', s.os, latest.facts.os?.source);
  field('firmware', s.firmware, latest.facts.firmware?.source);
  field('macs', s.macs.join(', '), latest.facts.macs?.[0]?.source);
  field('ports', s.openPorts.join(', '), latest.facts.openPorts?.source);
  field('found by', (latest.facts.liveness ?? []).map((l) => `${l.method}${l.rttMs !== undefined ? ` ${l.rttMs} ms` : ''}`).join(', '));
  lines.push('', output.style('bold', 'history'));
  for (const h of history) {
    const why =
      h.evidence.length > 0
        ? `matched by ${h.evidence.map((e) => `${e.rule} ${clean(e.value)}`).join(', ')}`
        : 'new asset (no earlier match)';
    lines.push(
      `  snapshot ${h.snapshot.id} ${h.snapshot.startedAt.slice(0, 19)}  ${h.summary.address}${h.summary.hostname ? ` ${clean(h.summary.hostname)}` : ''}  ${why}`,
    );
    for (const c of h.conflicts) lines.push(`    conflict: ${clean(c.note)}`);
    const problems = Object.entries(h.statuses).filter(([, st]) => st !== 'ok');
    if (problems.length > 0) lines.push(`    ${problems.map(([scanner, st]) => `${scanner}: ${st}`).join(', ')}`);
  }
  return lines.join('\n') + '\n';
}
