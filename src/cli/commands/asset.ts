import { UsageError } from '../../model/index.js';
import type { AssetSighting } from '../../store/inventory-store.js';
import { openExistingStore, type GlobalOptions } from '../context.js';
import { EXIT } from '../exit-codes.js';
import type { Output } from '../output.js';
import { explainFacts } from '../../identify/index.js';
import { clean } from '../render-table.js';
import { latestDocumentSighting, renderLocalFacts } from '../render-local-facts.js';

export async function assetCommand(id: number, flags: GlobalOptions & { software?: boolean; explain?: boolean }, output: Output): Promise<number> {
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
    output.out(renderAsset(id, history, output, Boolean(flags.software)));
    if (flags.explain) output.out(renderExplanation(history[history.length - 1]!, output));
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

function renderAsset(id: number, history: AssetSighting[], output: Output, withSoftware = false): string {
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
  const link = latest.facts.attachment;
  if (link) {
    const v = link.value;
    field('switch', `${v.switchName}${v.switchName !== v.switchAddress ? ` (${v.switchAddress})` : ''}, port ${v.port}${v.vlan !== undefined ? `, VLAN ${v.vlan}` : ''}`, link.source);
  }
  field('ports', s.openPorts.join(', '), latest.facts.openPorts?.source);
  field('found by', (latest.facts.liveness ?? []).map((l) => `${l.method}${l.rttMs !== undefined ? ` ${l.rttMs} ms` : ''}`).join(', '));
  const fromDocument = latestDocumentSighting(history);
  if (fromDocument) lines.push(...renderLocalFacts(fromDocument, withSoftware, output));
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

/** `--explain`: each classification field with the OID it came from and the rule that chose it. */
function renderExplanation(latest: AssetSighting, output: Output): string {
  const lines = ['', output.style('bold', 'how it was identified')];
  const facts = latest.facts;
  const rows = explainFacts(facts);
  if (rows.length === 0) lines.push('  nothing identified (no SNMP answer or definition)');
  for (const r of rows) {
    lines.push(`  ${r.field.padEnd(10)} ${clean(r.value)}`);
    lines.push(`  ${''.padEnd(10)} from ${clean(r.source)}${r.rule ? `; rule ${clean(r.rule)}` : ''}`);
  }
  const snmp = facts.snmp;
  if (snmp) {
    lines.push('', output.style('bold', 'snmp'));
    lines.push(`  agent      ${snmp.version} with ${clean(snmp.credential)}; sysObjectID ${clean(snmp.sysObjectID)}`);
    if (snmp.mibs.length > 0) lines.push(`  MIBs       ${snmp.mibs.join(', ')}`);
    const p = facts.printer?.value;
    if (p) {
      if (p.pageCount !== undefined) lines.push(`  pages      ${p.pageCount}  (${clean(facts.printer!.source)})`);
      for (const sup of p.supplies) lines.push(`  supply     ${clean(sup.description)}${sup.color ? ` [${clean(sup.color)}]` : ''}${sup.percent !== undefined ? ` ${sup.percent}%` : ''}`);
    }
    const u = facts.ups?.value;
    if (u?.batteryStatus) lines.push(`  battery    ${u.batteryStatus}${u.estimatedChargePercent !== undefined ? ` ${u.estimatedChargePercent}%` : ''}`);
    if (facts.interfaces) lines.push(`  interfaces ${facts.interfaces.value.length}`);
    if (facts.forwardingTable) lines.push(`  fdb        ${facts.forwardingTable.value.length} MAC(s) learnt`);
    for (const n of facts.neighbors?.value ?? []) lines.push(`  neighbour  ${n.protocol} ${clean(n.localPort ?? '?')} -> ${clean(n.sysName ?? n.chassisId ?? '?')} ${clean(n.portId ?? '')}`);
    if (facts.arpEntries) lines.push(`  arp        ${facts.arpEntries.value.length} entr${facts.arpEntries.value.length === 1 ? 'y' : 'ies'}`);
  }
  return lines.join('\n') + '\n';
}
