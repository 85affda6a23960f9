// Scoring against the shared recordings' truth files (../shared/fixtures/snmp/NAME.json): compare
// vendor, model, serial, firmware and type case-insensitively, containment either way allowed; a
// field absent from the truth is not scored. Firmware is compared with the truth's `os_version`,
// which for servers is the OS release, so our OS stands in where a server has no firmware.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIELDS = ['vendor', 'model', 'serial', 'firmware', 'type'] as const;
export type Field = (typeof FIELDS)[number];

export interface Truth {
  name: string;
  vendor?: string;
  model?: string;
  serial?: string;
  firmware?: string;
  type?: string;
}

export interface Found {
  vendor?: string | null;
  model?: string | null;
  serial?: string | null;
  firmware?: string | null;
  os?: string | null;
  type?: string | null;
}

export function readTruths(dir: string): Truth[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const d = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, string | undefined>;
      const t: Truth = { name: f.replace(/\.json$/, '') };
      if (d.vendor) t.vendor = d.vendor;
      if (d.model) t.model = d.model;
      if (d.serial) t.serial = d.serial;
      if (d.os_version) t.firmware = d.os_version;
      if (d.type) t.type = d.type;
      return t;
    });
}

const norm = (s: string): string =>
  s
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();

export function fieldMatches(truth: string, found: string | null | undefined): boolean {
  if (!found) return false;
  const a = norm(truth);
  const b = norm(found);
  return a !== '' && b !== '' && (a.includes(b) || b.includes(a));
}

export interface Scored {
  rows: { name: string; cells: Record<Field, 'ok' | 'MISS' | '-'>; found: Found }[];
  perField: Record<Field, { ok: number; total: number; pct: number }>;
}

export function score(truths: Truth[], foundByName: Map<string, Found>): Scored {
  const perField = Object.fromEntries(FIELDS.map((f) => [f, { ok: 0, total: 0, pct: 100 }])) as Scored['perField'];
  const rows = truths.map((t) => {
    const found = foundByName.get(t.name) ?? {};
    const cells = {} as Record<Field, 'ok' | 'MISS' | '-'>;
    for (const f of FIELDS) {
      const want = t[f];
      if (!want) {
        cells[f] = '-';
        continue;
      }
      const got = f === 'firmware' ? (fieldMatches(want, found.firmware) ? found.firmware : found.os) : found[f];
      const ok = fieldMatches(want, got);
      perField[f].total++;
      if (ok) perField[f].ok++;
      cells[f] = ok ? 'ok' : 'MISS';
    }
    return { name: t.name, cells, found };
  });
  for (const f of FIELDS) perField[f].pct = perField[f].total === 0 ? 100 : (100 * perField[f].ok) / perField[f].total;
  return { rows, perField };
}

export function renderScore(s: Scored, truths: Truth[]): string {
  const lines: string[] = [];
  const pad = (x: string, n: number): string => (x.length > n ? x.slice(0, n - 1) + '…' : x.padEnd(n));
  lines.push(`${pad('device', 24)} ${FIELDS.map((f) => pad(f, 8)).join(' ')}  found (vendor | model | serial | firmware/os | type)`);
  for (const r of s.rows) {
    const t = truths.find((x) => x.name === r.name)!;
    const miss = FIELDS.filter((f) => r.cells[f] === 'MISS').map((f) => `${f}: want "${t[f]}"`);
    lines.push(
      `${pad(r.name, 24)} ${FIELDS.map((f) => pad(r.cells[f], 8)).join(' ')}  ${[r.found.vendor, r.found.model, r.found.serial, r.found.firmware ?? r.found.os, r.found.type].map((x) => x ?? '·').join(' | ')}` +
        (miss.length > 0 ? `   <- ${miss.join('; ')}` : ''),
    );
  }
  lines.push(FIELDS.map((f) => `${f} ${s.perField[f].ok}/${s.perField[f].total} (${s.perField[f].pct.toFixed(1)}%)`).join(', '));
  return lines.join('\n');
}
