// The hardware and software part of `netcensus asset ID`: what the machine said about itself in its
// latest local probe or imported document.
import type { Facts } from '../model/index.js';
import type { AssetSighting } from '../store/inventory-store.js';
import type { Output } from './output.js';
import { clean } from './render-table.js';

/** The latest sighting that came from the machine itself (a local probe or an imported document). */
export function latestDocumentSighting(history: readonly AssetSighting[]): AssetSighting | undefined {
  return [...history].reverse().find((h) => h.snapshot.kind !== 'scan');
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 100 || u === 0 ? Math.round(v) : Number(v.toFixed(1))} ${units[u]}`;
}

export function renderLocalFacts(sighting: AssetSighting, withSoftware: boolean, output: Output): string[] {
  const f: Facts = sighting.facts;
  const lines: string[] = ['', output.style('bold', 'hardware and software') + output.style('dim', `  (snapshot ${sighting.snapshot.id}, probed ${sighting.seenAt})`)];
  const field = (name: string, value: string | undefined, source?: string): void => {
    if (!value) return;
    lines.push(`  ${name.padEnd(10)} ${clean(value)}${source ? output.style('dim', `  (${clean(source)})`) : ''}`);
  };
  if (f.osDetails) {
    const o = f.osDetails.value;
    field('os', [o.name, o.release, o.build ? `build ${o.build}` : undefined, o.arch].filter(Boolean).join(' '), f.osDetails.source);
    field('kernel', o.kernel);
  }
  field('domain', f.domain?.value, f.domain?.source);
  field('chassis', f.chassis?.value, f.chassis?.source);
  if (f.bios) {
    const b = f.bios.value;
    field('bios', [b.vendor, b.version, b.releaseDate ? `(${b.releaseDate})` : undefined].filter(Boolean).join(' '), f.bios.source);
  }
  if (f.cpu) {
    const c = f.cpu.value;
    const cores = c.cores ? `, ${c.physicalCores && c.physicalCores !== c.cores ? `${c.physicalCores} cores / ${c.cores} threads` : `${c.cores} cores`}` : '';
    field('cpu', `${c.model}${cores}${c.speedGHz ? `, ${c.speedGHz} GHz` : ''}`, f.cpu.source);
  }
  if (f.memory) {
    const m = f.memory.value;
    const modules = m.modules.length > 0 ? ` in ${m.modules.length} module${m.modules.length === 1 ? '' : 's'} (${m.modules.map((x) => [formatBytes(x.sizeBytes), x.type].filter(Boolean).join(' ')).join(', ')})` : '';
    field('memory', `${formatBytes(m.totalBytes)}${modules}`, f.memory.source);
  }
  for (const [i, d] of (f.disks?.value ?? []).entries()) {
    field(i === 0 ? 'disks' : '', [formatBytes(d.sizeBytes), d.kind, d.model, d.serial ? `s/n ${d.serial}` : undefined, d.device].filter(Boolean).join(' '), i === 0 ? f.disks?.source : undefined);
  }
  for (const [i, n] of (f.interfaces?.value ?? []).entries()) {
    field(i === 0 ? 'nics' : '', [n.name, n.mac, n.speedMbps ? `${n.speedMbps} Mb/s` : undefined, n.operStatus, ...(n.addresses ?? [])].filter(Boolean).join(' '), i === 0 ? f.interfaces?.source : undefined);
  }
  if (f.loggedInUsers) field('users', `${f.loggedInUsers.value} logged in`, f.loggedInUsers.source);
  for (const u of f.unavailable ?? []) lines.push(output.style('dim', `  ${u.field}: unavailable, ${clean(u.reason)}`));
  if (f.software) {
    const packages = [...f.software.value].sort((a, b) => a.name.localeCompare(b.name));
    field('software', `${packages.length} packages${withSoftware ? '' : ' (list them with --software)'}`, f.software.source);
    if (withSoftware) {
      const width = Math.min(40, Math.max(...packages.map((p) => p.name.length), 4));
      for (const p of packages) {
        lines.push(`    ${clean(p.name).padEnd(width)}  ${clean(p.version ?? '')}${p.publisher ? output.style('dim', `  ${clean(p.publisher)}`) : ''}`);
      }
    }
  }
  return lines;
}
