// Small charts as inline SVG strings (pure): horizontal bars, a line over snapshots, and stacked
// columns. No script, no external font or stylesheet: the report must render offline and print.
// Every label is escaped; numbers are formatted here.

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export const PALETTE = ['#2f6db5', '#d9822b', '#3a9a5b', '#c0392b', '#7d5ba6', '#8c6d3f', '#d35d9b', '#6b7b8c', '#b5a02f', '#2fa7b5'];

const fmt = (n: number): string => n.toLocaleString('en-US');

function svgOpen(width: number, height: number, title: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${escapeHtml(title)}" preserveAspectRatio="xMinYMin meet"><title>${escapeHtml(title)}</title>`;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Horizontal bars, one per item, largest first as given. */
export function barChart(items: readonly (readonly [string, number])[], title: string, color = PALETTE[0]!): string {
  const width = 560;
  const row = 22;
  const labelW = 170;
  const valueW = 70;
  const height = Math.max(1, items.length) * row + 10;
  const max = Math.max(1, ...items.map(([, v]) => v));
  const barW = width - labelW - valueW;
  const parts = [svgOpen(width, height, title)];
  if (items.length === 0) parts.push(`<text x="4" y="18" class="axis">nothing to show</text>`);
  items.forEach(([label, value], i) => {
    const y = 5 + i * row;
    const w = Math.max(value > 0 ? 1 : 0, (value / max) * barW);
    parts.push(
      `<text x="${labelW - 6}" y="${y + 15}" text-anchor="end" class="label">${escapeHtml(clip(label, 26))}</text>`,
      `<rect x="${labelW}" y="${y + 3}" width="${w.toFixed(1)}" height="${row - 6}" fill="${color}"><title>${escapeHtml(label)}: ${fmt(value)}</title></rect>`,
      `<text x="${(labelW + w + 5).toFixed(1)}" y="${y + 15}" class="value">${fmt(value)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

export interface Series {
  name: string;
  values: number[];
  color: string;
}

function axis(max: number): number[] {
  if (max <= 0) return [0];
  const step = 10 ** Math.floor(Math.log10(max));
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => max / s <= 5) ?? step * 10;
  const ticks: number[] = [];
  for (let t = 0; t <= max + nice * 0.001; t += nice) ticks.push(t);
  if (ticks[ticks.length - 1]! < max) ticks.push(ticks[ticks.length - 1]! + nice);
  return ticks;
}

function frame(labels: readonly string[], max: number, title: string, series: readonly Series[]) {
  const width = 640;
  const height = 260;
  const left = 64;
  const right = 12;
  const top = 26;
  const bottom = 46;
  const ticks = axis(max);
  const top_ = ticks[ticks.length - 1]! || 1;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const y = (v: number): number => top + plotH - (v / top_) * plotH;
  const parts = [svgOpen(width, height, title)];
  // legend
  let lx = left;
  for (const s of series) {
    parts.push(`<rect x="${lx}" y="6" width="12" height="12" fill="${s.color}"/><text x="${lx + 16}" y="16" class="label">${escapeHtml(s.name)}</text>`);
    lx += 24 + s.name.length * 7;
  }
  for (const t of ticks) {
    parts.push(
      `<line x1="${left}" x2="${width - right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" class="grid"/>`,
      `<text x="${left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end" class="axis">${fmt(t)}</text>`,
    );
  }
  const step = labels.length > 0 ? plotW / labels.length : plotW;
  const every = Math.max(1, Math.ceil(labels.length / 12));
  labels.forEach((l, i) => {
    if (i % every !== 0) return;
    parts.push(`<text x="${(left + step * (i + 0.5)).toFixed(1)}" y="${height - bottom + 16}" text-anchor="middle" class="axis">${escapeHtml(clip(l, 10))}</text>`);
  });
  return { parts, y, step, left, width, height };
}

/** One line per series over the labels (snapshots), with a dot per point. */
export function lineChart(labels: readonly string[], series: readonly Series[], title: string): string {
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const { parts, y, step, left } = frame(labels, max, title, series);
  for (const s of series) {
    const pts = s.values.map((v, i) => [left + step * (i + 0.5), y(v)] as const);
    if (pts.length > 1) parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts.map(([x, yy]) => `${x.toFixed(1)},${yy.toFixed(1)}`).join(' ')}"/>`);
    pts.forEach(([x, yy], i) =>
      parts.push(`<circle cx="${x.toFixed(1)}" cy="${yy.toFixed(1)}" r="3" fill="${s.color}"><title>${escapeHtml(`${labels[i]}: ${s.name} ${fmt(s.values[i]!)}`)}</title></circle>`),
    );
  }
  if (labels.length === 0) parts.push(`<text x="${left + 8}" y="120" class="axis">no complete snapshots yet</text>`);
  parts.push('</svg>');
  return parts.join('');
}

/** Stacked columns: one column per label, one segment per series. */
export function stackedColumns(labels: readonly string[], series: readonly Series[], title: string): string {
  const totals = labels.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const { parts, y, step, left } = frame(labels, max, title, series);
  const barW = Math.max(2, Math.min(40, step * 0.6));
  labels.forEach((label, i) => {
    let base = 0;
    const x = left + step * (i + 0.5) - barW / 2;
    for (const s of series) {
      const v = s.values[i] ?? 0;
      if (v <= 0) continue;
      const y0 = y(base);
      const y1 = y(base + v);
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y1.toFixed(1)}" width="${barW.toFixed(1)}" height="${Math.max(0.5, y0 - y1).toFixed(1)}" fill="${s.color}"><title>${escapeHtml(`${label}: ${s.name} ${fmt(v)}`)}</title></rect>`,
      );
      base += v;
    }
  });
  if (labels.length === 0) parts.push(`<text x="${left + 8}" y="120" class="axis">no complete snapshots yet</text>`);
  parts.push('</svg>');
  return parts.join('');
}
