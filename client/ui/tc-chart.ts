/**
 * Block times and estimated network hashrate over the recent active chain, as an SVG chart:
 * bars for the seconds between blocks (header times, so a miner's clock shows through), a line
 * for hashrate = work / time over a sliding window of blocks.
 */
import { LitElement, css, html, svg } from 'lit';
import { customElement } from 'lit/decorators.js';
import { workFromBits, type BlockEntry } from '../../core/index.js';
import { formatCount, formatDuration } from './format.js';
import { NodeController } from './node-controller.js';
import { panelStyles } from './theme.js';

/** Blocks charted, and the window (in blocks) of each hashrate estimate. */
export const CHART_BLOCKS = 60;
export const HASHRATE_WINDOW = 10;
const W = 600;
const H = 160;
const PAD = { left: 34, right: 56, top: 10, bottom: 18 };

interface Point {
  height: number;
  seconds: number;
  hashrate: number | undefined;
}

function points(chain: readonly BlockEntry[]): Point[] {
  const out: Point[] = [];
  // The genesis block's time is fixed in the parameters: intervals start after block 1.
  const first = chain.findIndex((e) => e.height >= 1);
  if (first < 0) return out;
  for (let i = first + 1; i < chain.length; i++) {
    const e = chain[i]!;
    const seconds = Math.max(0, e.header.time - chain[i - 1]!.header.time);
    let hashrate: number | undefined;
    const from = chain[Math.max(first, i - HASHRATE_WINDOW)]!;
    const span = e.header.time - from.header.time;
    if (span > 0) hashrate = Number(e.chainWork - from.chainWork) / span;
    out.push({ height: e.height, seconds, hashrate });
  }
  return out;
}

@customElement('tc-chart')
export class TcChart extends LitElement {
  static override styles = [
    panelStyles,
    css`
      svg {
        width: 100%;
        height: auto;
        background: var(--tc-bg);
        border: 1px solid var(--tc-border);
        border-radius: var(--tc-radius);
      }
      rect {
        fill: var(--tc-accent);
        opacity: 0.7;
      }
      polyline {
        fill: none;
        stroke: var(--tc-side);
        stroke-width: 2;
      }
      line.target {
        stroke: var(--tc-ok);
        stroke-dasharray: 4 3;
      }
      text {
        fill: var(--tc-muted);
        font-size: 10px;
      }
    `,
  ];

  private readonly ctl = new NodeController(this, { events: ['chain-changed', 'mining'] });

  override render() {
    const node = this.ctl.node;
    if (!node) return null;
    const chain = node.state.chain;
    const entries: BlockEntry[] = [];
    for (let h = Math.max(0, chain.height - CHART_BLOCKS); h <= chain.height; h++)
      entries.push(chain.entryAt(h)!);
    const data = points(entries);
    const heading = html`<h3>Block times and hashrate</h3>`;
    if (data.length < 2)
      return html`${heading}
        <p class="muted">Mine a few blocks to see the chart.</p>`;
    // Regtest has no difficulty to aim at: the miner's pace is the reference instead.
    const paceMs = node.miner.status().paceMs;
    const paced = node.params.network === 'regtest' && paceMs > 0;
    const target = paced ? paceMs / 1000 : node.params.targetSpacing;
    const targetName = paced ? 'this tab’s pace' : 'target';
    const maxSeconds = Math.max(target * 2, ...data.map((p) => p.seconds));
    const rates = data.map((p) => p.hashrate).filter((r): r is number => r !== undefined);
    const maxRate = Math.max(1, ...rates);
    const plotW = W - PAD.left - PAD.right;
    const plotH = H - PAD.top - PAD.bottom;
    const bw = plotW / data.length;
    const ys = (s: number) => PAD.top + plotH - (s / maxSeconds) * plotH;
    const yr = (r: number) => PAD.top + plotH - (r / maxRate) * plotH;
    const line = data
      .map((p, i) =>
        p.hashrate === undefined ? '' : `${PAD.left + (i + 0.5) * bw},${yr(p.hashrate)}`,
      )
      .filter(Boolean)
      .join(' ');
    const average = data.reduce((s, p) => s + p.seconds, 0) / data.length;
    const latest = rates[rates.length - 1];
    const work = Number(workFromBits(chain.nextBits()));
    const summary =
      `Last ${data.length} blocks: average ${formatDuration(average)} between blocks ` +
      `(${targetName} ${target < 1 ? `${target} s` : formatDuration(target)}); estimated network hashrate ` +
      `${latest === undefined ? 'unknown' : `${formatCount(latest)} hashes/s`}.`;
    return html`
      ${heading}
      <svg viewBox="0 0 ${W} ${H}" role="img" aria-label=${summary}>
        ${data.map(
          (p, i) =>
            svg`<rect x=${PAD.left + i * bw + 1} y=${ys(p.seconds)} width=${Math.max(1, bw - 2)} height=${PAD.top + plotH - ys(p.seconds)}><title>block ${p.height}: ${p.seconds} s</title></rect>`,
        )}
        <line
          class="target"
          x1=${PAD.left}
          x2=${W - PAD.right}
          y1=${ys(target)}
          y2=${ys(target)}
        ></line>
        <polyline points=${line}></polyline>
        <text x="2" y=${PAD.top + 8}>${Math.round(maxSeconds)} s</text>
        <text x="2" y=${PAD.top + plotH}>0 s</text>
        <text x=${W - 2} y=${PAD.top + 8} text-anchor="end">${formatCount(maxRate)} H/s</text>
        <text x=${PAD.left} y=${H - 4}>#${data[0]!.height}</text>
        <text x=${W - PAD.right} y=${H - 4} text-anchor="end">
          #${data[data.length - 1]!.height}
        </text>
      </svg>
      <p class="muted">
        ${summary} Bars: seconds between blocks (dashed: ${targetName}). Line: hashrate (work ÷ time
        over ${HASHRATE_WINDOW} blocks). Next block needs ~${formatCount(work)} hashes.
      </p>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tc-chart': TcChart;
  }
}
