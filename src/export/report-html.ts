// The one-file HTML report (pure): summary, charts as inline SVG, the changes since WHEN and the
// missing assets. No script, no external resource: a Content-Security-Policy of default-src 'none'
// makes sure of it (the browser would refuse, and report, any request). Every string that came from
// the network or a file is escaped; none becomes markup. Readable on screen and when printed.
import type { Change, InventoryEntry, Snapshot } from '../model/index.js';
import type { ChangeCountsLike, InventoryTally } from './audit-sheets.js';
import { changeRows } from './audit-sheets.js';
import { redactSecrets } from './redact-secrets.js';
import { barChart, escapeHtml, lineChart, PALETTE, stackedColumns } from './svg-charts.js';

export interface ReportHistoryPoint {
  snapshotId: number;
  startedAt: string;
  kind: string;
  known: number;
  seen: number;
  added: number;
  removed: number;
  changed: number;
}

export interface ReportInput {
  snapshot: Snapshot;
  since: Snapshot | null;
  tally: InventoryTally;
  changes: readonly Change[];
  changeCounts: ChangeCountsLike;
  missing: readonly InventoryEntry[];
  history: readonly ReportHistoryPoint[];
  /** Long lists are cut at this many rows, with a note pointing at the workbook. */
  maxRows?: number;
  /** When the report was made (ISO); passed in, as the clock belongs to the caller. */
  generatedAt: string;
}

const e = (v: unknown): string => (v === null || v === undefined ? '' : escapeHtml(String(v)));
const fmt = (n: number): string => n.toLocaleString('en-US');
const day = (iso: string | null | undefined): string => (iso ? iso.slice(0, 10) : '');
const minute = (iso: string | null | undefined): string => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '');

const CSS = `
:root { color-scheme: light; --ink: #1d2330; --muted: #5d6675; --line: #d9dee6; --band: #f4f6f9; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1180px; padding: 24px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink); background: #fff; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 10px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
.sub { color: var(--muted); margin: 0 0 16px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; background: var(--band); }
.card .n { font-size: 22px; font-weight: 600; } .card .t { color: var(--muted); font-size: 12px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 18px; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 10px; break-inside: avoid; }
figcaption { font-weight: 600; margin-bottom: 6px; }
svg .label { font-size: 12px; fill: var(--ink); } svg .value, svg .axis { font-size: 11px; fill: var(--muted); }
svg .grid { stroke: var(--line); stroke-width: 1; }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; }
th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: break-word; }
th { background: var(--band); position: sticky; top: 0; white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.added td:first-child { color: #2e7d32; } tr.removed td:first-child { color: #c62828; } tr.replaced td:first-child { color: #8e24aa; }
.note { color: var(--muted); font-style: italic; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0; } dl.meta dt { color: var(--muted); } dl.meta dd { margin: 0; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  .charts { grid-template-columns: 1fr 1fr; }
  th { position: static; }
  thead { display: table-header-group; }
  tr, .card { break-inside: avoid; }
  h2 { break-after: avoid; }
}
`;

export function renderReportHtml(input: ReportInput): string {
  const { snapshot: s, since, tally, changeCounts: cc } = input;
  const maxRows = input.maxRows ?? 5000;
  const title = `netcensus report: snapshot ${s.id} (${day(s.startedAt)})`;
  const out: string[] = [];
  out.push(
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="netcensus ${e(s.toolVersion)}">`,
    `<title>${e(title)}</title><style>${CSS}</style></head><body>`,
    `<header><h1>${e(title)}</h1>`,
    `<p class="sub">Inventory as of ${e(minute(s.startedAt))}${s.label ? ` · ${e(s.label)}` : ''}` +
      (since ? ` · changes since snapshot ${since.id} (${e(minute(since.startedAt))})` : ' · no earlier snapshot to compare with') +
      ` · generated ${e(minute(input.generatedAt))}</p></header>`,
  );

  // Summary cards
  const card = (n: number, t: string): string => `<div class="card"><div class="n">${fmt(n)}</div><div class="t">${e(t)}</div></div>`;
  out.push(
    '<section><h2>Summary</h2><div class="cards">',
    card(tally.known, 'assets known'),
    card(tally.seen, 'seen in this snapshot'),
    card(tally.missing, 'missing (not seen)'),
    card(tally.identified, 'identified (vendor or type)'),
    card(s.counts.probed, 'addresses probed'),
    card(s.counts.alive, 'addresses alive'),
    card(cc.byKind.added ?? 0, 'added'),
    card(cc.byKind.removed ?? 0, 'removed'),
    card(cc.byKind.replaced ?? 0, 'replaced'),
    card(cc.byKind.changed ?? 0, 'changed'),
    '</div>',
  );
  const options = redactSecrets(s.options);
  out.push(
    '<h2>What was scanned</h2><dl class="meta">',
    `<dt>Snapshot</dt><dd>${s.id} (${e(s.status)}), ${e(minute(s.startedAt))} to ${e(minute(s.finishedAt))}</dd>`,
    `<dt>Targets</dt><dd>${e(s.targets.join(' '))}</dd>`,
    `<dt>Scanners</dt><dd>${e(s.scanners.join(' '))}</dd>`,
    ...Object.entries(options).map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(Array.isArray(v) ? v.join(' ') : typeof v === 'object' && v !== null ? JSON.stringify(v) : v)}</dd>`),
    '</dl></section>',
  );

  // Charts
  const topVendors = tally.byVendor.slice(0, 12);
  const otherVendors = tally.byVendor.slice(12).reduce((sum, [, n]) => sum + n, 0);
  // Network scans speak for the whole inventory; a local probe or an import only for its machines,
  // so the history shows scans (or everything, when there has been no scan).
  const scans = input.history.filter((h) => h.kind === 'scan');
  const history = scans.length > 0 ? scans : input.history;
  const labels = history.map((h) => `#${h.snapshotId} ${h.startedAt.slice(0, 7)}`);
  out.push(
    '<section><h2>Charts</h2><div class="charts">',
    `<figure><figcaption>Assets by type</figcaption>${barChart(tally.byType, 'Assets by type', PALETTE[0])}</figure>`,
    `<figure><figcaption>Assets by vendor</figcaption>${barChart(otherVendors > 0 ? [...topVendors, ['other vendors', otherVendors]] : topVendors, 'Assets by vendor', PALETTE[1])}</figure>`,
    `<figure><figcaption>Inventory size over the past snapshots</figcaption>${lineChart(
      labels,
      [
        { name: 'known', values: history.map((h) => h.known), color: PALETTE[0]! },
        { name: 'seen', values: history.map((h) => h.seen), color: PALETTE[2]! },
      ],
      'Inventory size over the past snapshots',
    )}</figure>`,
    `<figure><figcaption>Changes per snapshot</figcaption>${stackedColumns(
      labels,
      [
        { name: 'added', values: history.map((h) => h.added), color: PALETTE[2]! },
        { name: 'removed', values: history.map((h) => h.removed), color: PALETTE[3]! },
        { name: 'changed', values: history.map((h) => h.changed), color: PALETTE[1]! },
      ],
      'Changes per snapshot',
    )}</figure>`,
    '</div></section>',
  );

  // Changes
  const rows = changeRows(input.changes);
  out.push(`<section><h2>Changes since ${since ? `snapshot ${since.id} (${e(day(since.startedAt))})` : 'the previous snapshot'}</h2>`);
  if (!since) out.push('<p class="note">Nothing to compare with: there is no complete snapshot before this one.</p>');
  else if (rows.length === 0) out.push('<p class="note">No changes.</p>');
  else {
    out.push(
      '<table><thead><tr><th>Change</th><th>Tags</th><th>Asset</th><th>Type</th><th>Vendor</th><th>Model</th><th>Hostname</th><th>Address</th><th>Field</th><th>Before</th><th>After</th></tr></thead><tbody>',
    );
    for (const r of rows.slice(0, maxRows)) {
      out.push(
        `<tr class="${e(r.change)}"><td>${e(r.change)}</td><td>${e(r.tags)}</td><td class="num">${e(r.asset_id)}${r.replaced_asset_id !== null ? ` (was ${e(r.replaced_asset_id)})` : ''}</td><td>${e(r.type)}</td><td>${e(r.vendor)}</td><td>${e(r.model)}</td><td>${e(r.hostname)}</td><td>${e(r.address)}</td><td>${e(r.field)}</td><td>${e(r.before)}</td><td>${e(r.after)}</td></tr>`,
      );
    }
    out.push('</tbody></table>');
    if (rows.length > maxRows) out.push(`<p class="note">First ${fmt(maxRows)} of ${fmt(rows.length)} rows; the full list is in "netcensus export --format xlsx".</p>`);
  }
  out.push('</section>');

  // Missing
  out.push(`<section><h2>Missing assets (${fmt(input.missing.length)})</h2>`);
  if (input.missing.length === 0) out.push('<p class="note">None: every asset known before was seen in this snapshot.</p>');
  else {
    out.push('<table><thead><tr><th>Asset</th><th>Type</th><th>Vendor</th><th>Model</th><th>Serial</th><th>Hostname</th><th>Last address</th><th>Last seen</th></tr></thead><tbody>');
    for (const m of input.missing.slice(0, maxRows)) {
      out.push(
        `<tr><td class="num">${m.assetId}</td><td>${e(m.type)}</td><td>${e(m.vendor)}</td><td>${e(m.model)}</td><td>${e(m.serial)}</td><td>${e(m.hostname)}</td><td>${e(m.address)}</td><td>${e(day(m.lastSeenAt))}</td></tr>`,
      );
    }
    out.push('</tbody></table>');
    if (input.missing.length > maxRows) out.push(`<p class="note">First ${fmt(maxRows)} of ${fmt(input.missing.length)}; the full list is in "netcensus export --format xlsx".</p>`);
  }
  out.push('</section></body></html>\n');
  return out.join('\n');
}
