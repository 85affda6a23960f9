// What changed inside a machine between two states: installed software (installed, removed,
// upgraded) and hardware (memory, disks, CPU). Only facts that both states hold are compared: an
// asset first inventoried by an import after being seen on the network has no "before" software,
// which is not 734 installations. Pure.
import type { ChangeTag, DiskInfo, Facts, FieldChange, SoftwareChanges, SoftwarePackage } from '../model/index.js';

export interface LocalFactsDiff {
  fields: FieldChange[];
  tags: ChangeTag[];
  software?: SoftwareChanges;
}

/** Packages by name, with the architecture added only where one name exists for several (multiarch). */
function byName(packages: readonly SoftwarePackage[]): Map<string, string | null> {
  const arches = new Map<string, Set<string>>();
  for (const p of packages) {
    const set = arches.get(p.name) ?? new Set<string>();
    set.add(p.arch ?? '');
    arches.set(p.name, set);
  }
  const out = new Map<string, string | null>();
  for (const p of packages) {
    const key = (arches.get(p.name)?.size ?? 0) > 1 && p.arch ? `${p.name}:${p.arch}` : p.name;
    // The same name twice (two installs on Windows): both versions, in order.
    const version = p.version ?? null;
    const known = out.get(key);
    out.set(key, known === undefined || known === null ? version : version === null || known.split(', ').includes(version) ? known : [known, version].sort().join(', '));
  }
  return out;
}

export function diffSoftware(before: readonly SoftwarePackage[], after: readonly SoftwarePackage[]): SoftwareChanges {
  const b = byName(before);
  const a = byName(after);
  const changes: SoftwareChanges = { installed: [], removed: [], upgraded: [] };
  for (const [name, version] of a) {
    if (!b.has(name)) changes.installed.push({ name, version });
    else if (b.get(name) !== version) changes.upgraded.push({ name, before: b.get(name) ?? null, after: version });
  }
  for (const [name, version] of b) if (!a.has(name)) changes.removed.push({ name, version });
  const byKey = (x: { name: string }, y: { name: string }): number => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0);
  changes.installed.sort(byKey);
  changes.removed.sort(byKey);
  changes.upgraded.sort(byKey);
  return changes;
}

/** A disk as one comparable line: kind, size in GB, model and serial. */
export function describeDisk(d: DiskInfo): string {
  return [d.kind, `${Math.round(d.sizeBytes / 1e9)} GB`, d.model, d.serial ? `s/n ${d.serial}` : undefined].filter(Boolean).join(' ');
}

function cpuText(f: Facts): string | null {
  const c = f.cpu?.value;
  return c ? `${c.model}${c.cores ? ` (${c.cores} cores)` : ''}` : null;
}

export function diffLocalFacts(before: Facts | undefined, after: Facts | undefined): LocalFactsDiff {
  const out: LocalFactsDiff = { fields: [], tags: [] };
  if (before === undefined || after === undefined) return out;
  let hardware = false;
  if (before.memory && after.memory && before.memory.value.totalBytes !== after.memory.value.totalBytes) {
    out.fields.push({ field: 'memory', before: before.memory.value.totalBytes, after: after.memory.value.totalBytes });
    hardware = true;
  }
  if (before.disks && after.disks) {
    const b = before.disks.value.map(describeDisk).sort();
    const a = after.disks.value.map(describeDisk).sort();
    if (b.length !== a.length || b.some((x, i) => x !== a[i])) {
      out.fields.push({ field: 'disks', before: b, after: a });
      hardware = true;
    }
  }
  const cpuBefore = cpuText(before);
  const cpuAfter = cpuText(after);
  if (cpuBefore !== null && cpuAfter !== null && cpuBefore !== cpuAfter) {
    out.fields.push({ field: 'cpu', before: cpuBefore, after: cpuAfter });
    hardware = true;
  }
  if (hardware) out.tags.push('hardware');
  if (before.software && after.software) {
    const software = diffSoftware(before.software.value, after.software.value);
    if (software.installed.length + software.removed.length + software.upgraded.length > 0) {
      out.software = software;
      out.tags.push('software');
    }
  }
  return out;
}
