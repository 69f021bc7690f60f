/** Small inline-SVG charts for the HTML report: no script, no network, readable in any browser or viewer. */

export interface Series {
  name: string;
  color: string;
  points: [number, number][];
  dashed?: boolean;
}

/** A shaded window behind the series (a chaos fault, an experiment phase), in x units. */
export interface Band {
  from: number;
  to: number;
  label: string;
  color: string;
}

export interface LineChartOptions {
  title: string;
  series: Series[];
  bands?: Band[];
  xLabel: string;
  yFormat: (y: number) => string;
  width?: number;
  height?: number;
}

const PAD = { left: 64, right: 16, top: 28, bottom: 40 };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (value <= step * magnitude) return step * magnitude;
  return 10 * magnitude;
}

function num(n: number): string {
  return String(Math.round(n * 10) / 10);
}

export function lineChart(options: LineChartOptions): string {
  const width = options.width ?? 880;
  const height = options.height ?? 260;
  const innerW = width - PAD.left - PAD.right;
  const innerH = height - PAD.top - PAD.bottom;
  const all = options.series.flatMap((s) => s.points);
  const xMax = Math.max(1, ...all.map(([x]) => x), ...(options.bands ?? []).map((b) => b.to));
  const yMax = niceMax(Math.max(0, ...all.map(([, y]) => y)));
  const sx = (x: number) => PAD.left + (x / xMax) * innerW;
  const sy = (y: number) => PAD.top + innerH - (y / yMax) * innerH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(options.title)}">`,
    `<text x="${PAD.left}" y="18" class="title">${escapeHtml(options.title)}</text>`,
  ];
  (options.bands ?? []).forEach((band, i) => {
    const x0 = sx(Math.max(0, band.from));
    const x1 = sx(Math.min(xMax, band.to));
    if (x1 < x0) return;
    // Labels staggered upwards, so bands starting together (a phase and its first fault) stay readable.
    const labelY = PAD.top + innerH - 4 - (i % 3) * 12;
    parts.push(
      `<rect x="${num(x0)}" y="${PAD.top}" width="${num(Math.max(2, x1 - x0))}" height="${num(innerH)}" fill="${band.color}" class="band" data-band="${escapeHtml(band.label)}"><title>${escapeHtml(band.label)}</title></rect>`,
      `<text x="${num(x0 + 3)}" y="${labelY}" class="band-label">${escapeHtml(band.label)}</text>`,
    );
  });
  for (let i = 0; i <= 4; i++) {
    const y = (yMax * i) / 4;
    parts.push(
      `<line x1="${PAD.left}" x2="${width - PAD.right}" y1="${num(sy(y))}" y2="${num(sy(y))}" class="grid"/>`,
      `<text x="${PAD.left - 6}" y="${num(sy(y) + 4)}" text-anchor="end" class="axis">${escapeHtml(options.yFormat(y))}</text>`,
    );
  }
  for (let i = 0; i <= 5; i++) {
    const x = (xMax * i) / 5;
    parts.push(
      `<text x="${num(sx(x))}" y="${height - PAD.bottom + 16}" text-anchor="middle" class="axis">${num(x)}</text>`,
    );
  }
  parts.push(
    `<text x="${PAD.left + innerW / 2}" y="${height - 6}" text-anchor="middle" class="axis">${escapeHtml(options.xLabel)}</text>`,
  );
  options.series.forEach((s, i) => {
    if (s.points.length) {
      const d = s.points.map(([x, y]) => `${num(sx(x))},${num(sy(y))}`).join(' ');
      const dash = s.dashed ? ' stroke-dasharray="5 4"' : '';
      parts.push(
        `<polyline fill="none" stroke="${s.color}" stroke-width="1.8"${dash} points="${d}" data-series="${escapeHtml(s.name)}"/>`,
      );
    }
    const lx = PAD.left + 8 + i * 130;
    parts.push(
      `<rect x="${lx}" y="${PAD.top + 4}" width="12" height="3" fill="${s.color}"/>`,
      `<text x="${lx + 16}" y="${PAD.top + 9}" class="legend">${escapeHtml(s.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

/** Bars over log-spaced bins (latency histograms span several orders of magnitude). */
export function histogramChart(
  title: string,
  bins: { fromMs: number; toMs: number; count: number }[],
  format: (ms: number) => string,
): string {
  const width = 880;
  const height = 260;
  const innerW = width - PAD.left - PAD.right;
  const innerH = height - PAD.top - PAD.bottom;
  const yMax = niceMax(Math.max(0, ...bins.map((b) => b.count)));
  const barW = bins.length ? innerW / bins.length : innerW;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(title)}">`,
    `<text x="${PAD.left}" y="18" class="title">${escapeHtml(title)}</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const y = PAD.top + innerH - (innerH * i) / 4;
    parts.push(
      `<line x1="${PAD.left}" x2="${width - PAD.right}" y1="${num(y)}" y2="${num(y)}" class="grid"/>`,
      `<text x="${PAD.left - 6}" y="${num(y + 4)}" text-anchor="end" class="axis">${num((yMax * i) / 4)}</text>`,
    );
  }
  bins.forEach((b, i) => {
    const h = (b.count / yMax) * innerH;
    const x = PAD.left + i * barW;
    parts.push(
      `<rect x="${num(x + 0.5)}" y="${num(PAD.top + innerH - h)}" width="${num(Math.max(1, barW - 1))}" height="${num(h)}" class="bar"><title>${escapeHtml(`${format(b.fromMs)}–${format(b.toMs)}: ${b.count}`)}</title></rect>`,
    );
    if (i % Math.ceil(bins.length / 8) === 0) {
      parts.push(
        `<text x="${num(x)}" y="${height - PAD.bottom + 16}" class="axis">${escapeHtml(format(b.fromMs))}</text>`,
      );
    }
  });
  parts.push(
    `<text x="${PAD.left + innerW / 2}" y="${height - 6}" text-anchor="middle" class="axis">latency (log scale)</text>`,
    '</svg>',
  );
  return parts.join('');
}
