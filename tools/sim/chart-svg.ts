/**
 * A small line chart as standalone SVG text (no dependencies): the simulator draws its
 * propagation curves with it, one series per run.
 */

export interface Series {
  name: string;
  /** [x, y] pairs, x ascending. */
  points: readonly (readonly [number, number])[];
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly Series[];
  /** y values are shares (0..1) shown as percentages. */
  yPercent?: boolean;
  /** Dashed horizontal guides (y values), e.g. 0.5 and 0.95. */
  guides?: readonly number[];
  width?: number;
  height?: number;
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];
const MARGIN = { left: 64, right: 20, top: 40, bottom: 52 };

/** Tick step giving about `count` ticks over [0, max]: 1, 2 or 5 times a power of ten. */
export function tickStep(max: number, count = 6): number {
  if (!(max > 0)) return 1;
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const scaled = raw / power;
  return (scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 5 ? 5 : 10) * power;
}

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const fmt = (x: number): string => String(Math.round(x * 1000) / 1000);

/**
 * @example
 * lineChart({ title: 'Propagation', xLabel: 's', yLabel: 'nodes',
 *   series: [{ name: 'N = 50', points: [[0, 0], [1, 1]] }], yPercent: true });
 */
export function lineChart(chart: LineChart): string {
  const width = chart.width ?? 720;
  const height = chart.height ?? 420;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const all = chart.series.flatMap((s) => s.points);
  const xStep = tickStep(Math.max(...all.map(([x]) => x), 0));
  const xMax = Math.max(xStep, Math.ceil(Math.max(...all.map(([x]) => x), 0) / xStep) * xStep);
  const yStep = chart.yPercent ? 0.2 : tickStep(Math.max(...all.map(([, y]) => y), 0), 5);
  const yMax = chart.yPercent
    ? 1
    : Math.max(yStep, Math.ceil(Math.max(...all.map(([, y]) => y), 0) / yStep) * yStep);
  const px = (x: number) => MARGIN.left + (x / xMax) * plotW;
  const py = (y: number) => MARGIN.top + plotH - (y / yMax) * plotH;
  const yText = (y: number) => (chart.yPercent ? `${Math.round(y * 100)}%` : fmt(y));

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15">${escape(chart.title)}</text>`,
  ];
  for (let x = 0; x <= xMax + xStep / 2; x += xStep) {
    out.push(
      `<line x1="${fmt(px(x))}" y1="${MARGIN.top}" x2="${fmt(px(x))}" y2="${MARGIN.top + plotH}" stroke="#eee"/>`,
      `<text x="${fmt(px(x))}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${fmt(x)}</text>`,
    );
  }
  for (let y = 0; y <= yMax + yStep / 2; y += yStep) {
    out.push(
      `<line x1="${MARGIN.left}" y1="${fmt(py(y))}" x2="${MARGIN.left + plotW}" y2="${fmt(py(y))}" stroke="#eee"/>`,
      `<text x="${MARGIN.left - 6}" y="${fmt(py(y) + 4)}" text-anchor="end">${yText(y)}</text>`,
    );
  }
  for (const g of chart.guides ?? []) {
    out.push(
      `<line x1="${MARGIN.left}" y1="${fmt(py(g))}" x2="${MARGIN.left + plotW}" y2="${fmt(py(g))}" stroke="#999" stroke-dasharray="4 4"/>`,
    );
  }
  out.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`,
    `<text x="${MARGIN.left + plotW / 2}" y="${height - 12}" text-anchor="middle">${escape(chart.xLabel)}</text>`,
    `<text transform="translate(16 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escape(chart.yLabel)}</text>`,
  );
  chart.series.forEach((series, i) => {
    const color = COLORS[i % COLORS.length]!;
    const d = series.points.map(([x, y]) => `${fmt(px(x))},${fmt(py(y))}`).join(' ');
    out.push(`<polyline points="${d}" fill="none" stroke="${color}" stroke-width="2"/>`);
    // Bottom right: propagation curves have reached 100% by then, so it is empty.
    const ly = MARGIN.top + plotH - 12 - (chart.series.length - 1 - i) * 18;
    const lx = MARGIN.left + plotW - 170;
    out.push(
      `<line x1="${lx}" y1="${ly - 4}" x2="${lx + 24}" y2="${ly - 4}" stroke="${color}" stroke-width="2"/>`,
      `<text x="${lx + 30}" y="${ly}">${escape(series.name)}</text>`,
    );
  });
  out.push('</svg>', '');
  return out.join('\n');
}
