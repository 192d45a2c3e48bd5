/**
 * Proof of work, live: the block template being hashed (parent, merkle root, time, bits,
 * target), the nonce reached, hashes sampled a few times a second drawn against the target
 * line, the lowest sampled hash, and the expected time to a block; it stops when a block is
 * found. Fed by a `PowSampler` (client/mining/pow-sampler.ts), re-rendered at most every
 * RENDER_MS, on an animation frame. The hashes shown are samples: the kernels try millions a second and do not
 * report each one.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { workFromTarget } from '../../core/index.js';
import type { PowSample, PowSampler, PowView } from '../mining/pow-sampler.js';
import { formatCount, formatDuration, formatHashrate, formatTime } from './format.js';
import { panelStyles } from './theme.js';

/** Shortest interval between two renders: a few a second is enough to watch. */
const RENDER_MS = 200;

/** Hex digits of each hash in the strip: the leading ones are what proof of work is about. */
const STRIP_DIGITS = 24;

/** `hex` split into its leading zero hex digits and the rest, for highlighting. */
function splitZeros(hex: string): [string, string] {
  const rest = hex.replace(/^0+/, '');
  return [hex.slice(0, hex.length - rest.length), rest];
}

@customElement('tc-pow-live')
export class TcPowLive extends LitElement {
  static override styles = [
    panelStyles,
    css`
      :host {
        display: block;
        contain: content;
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0.15rem 0.8rem;
        margin: 0.4rem 0;
      }
      dt {
        color: var(--tc-muted);
      }
      dd {
        margin: 0;
        min-width: 0;
        font-variant-numeric: tabular-nums;
      }
      .hex {
        font-family: var(--tc-mono);
        font-size: 0.8rem;
        overflow-wrap: anywhere;
      }
      .zeros {
        color: var(--tc-ok);
        font-weight: bold;
      }
      .nonce {
        font-family: var(--tc-mono);
        font-size: 1.4rem;
      }
      .state {
        font-weight: bold;
      }
      .state.found {
        color: var(--tc-ok);
      }
      ol {
        list-style: none;
        margin: 0.3rem 0 0;
        padding: 0;
      }
      li {
        display: grid;
        grid-template-columns: 6.5rem 1fr 3.2rem;
        gap: 0.5rem;
        align-items: center;
        padding: 0.1rem 0;
      }
      li.target {
        border-bottom: 2px dashed var(--tc-bad);
      }
      li.meets {
        box-shadow: inset 4px 0 0 var(--tc-ok);
        font-weight: bold;
      }
      li > span {
        min-width: 0;
      }
      .bar {
        display: block;
        position: relative;
        margin-top: 0.15rem;
        height: 0.6rem;
        background: color-mix(in srgb, var(--tc-muted) 20%, transparent);
        border-radius: 3px;
      }
      .bar > span {
        position: absolute;
        inset: 0 auto 0 0;
        background: var(--tc-accent);
        border-radius: 3px;
      }
      .bar > i {
        position: absolute;
        top: -0.2rem;
        bottom: -0.2rem;
        border-left: 2px solid var(--tc-bad);
      }
      .num {
        text-align: right;
        font-family: var(--tc-mono);
      }
      .note {
        font-size: 0.8rem;
      }
    `,
  ];

  @property({ attribute: false }) sampler: PowSampler | undefined;
  private off: (() => void) | undefined = undefined;
  private frame = 0;
  private timer: ReturnType<typeof setTimeout> | undefined = undefined;
  private lastRender = -Infinity;

  override connectedCallback(): void {
    super.connectedCallback();
    this.subscribe();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.off?.();
    this.off = undefined;
    if (this.frame) cancelAnimationFrame(this.frame);
    clearTimeout(this.timer);
    this.frame = 0;
    this.timer = undefined;
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('sampler')) this.subscribe();
  }

  private subscribe(): void {
    this.off?.();
    this.off = this.sampler?.on('change', () => this.schedule());
  }

  /** Re-render on the next animation frame, at most every RENDER_MS. */
  private schedule(): void {
    if (this.frame || this.timer) return;
    const wait = this.lastRender + RENDER_MS - performance.now();
    const frame = () => {
      this.timer = undefined;
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.lastRender = performance.now();
        this.requestUpdate();
      });
    };
    if (wait > 0) this.timer = setTimeout(frame, wait);
    else frame();
  }

  /**
   * A hash, its leading zero digits highlighted; `digits` shortens it (full hash in title).
   * `what` (data-what) names it for tests: aria-label is not allowed on a plain span.
   */
  private hex(sample: { hash: string }, what: string, digits = 64) {
    const [zeros, rest] = splitZeros(sample.hash);
    const shown = rest.slice(0, Math.max(0, digits - zeros.length));
    return html`<span class="hex" data-what=${what} title=${sample.hash} data-hash=${sample.hash}
      ><span class="zeros">${zeros}</span>${shown}${shown.length < rest.length ? '…' : ''}</span
    >`;
  }

  /** One row of the strip: nonce, hash, its leading zero bits as a bar against the target line. */
  private row(sample: PowSample, view: PowView, scale: number) {
    const width = Math.min(100, (sample.zeros / scale) * 100);
    const line = (view.template.targetZeros / scale) * 100;
    return html`<li class=${sample.meets ? 'meets' : ''}>
      <span class="num">${sample.nonce}</span>
      <span>
        ${this.hex(sample, 'sample', STRIP_DIGITS)}
        <span class="bar" aria-hidden="true"
          ><span style="width:${width}%"></span><i style="left:${line}%"></i
        ></span>
      </span>
      <span class="num" title="leading zero bits">${sample.zeros}</span>
    </li>`;
  }

  private renderState(view: PowView) {
    if (view.found) {
      return html`<span class="state found">Block found at nonce ${view.found.nonce}</span>`;
    }
    return view.active
      ? html`<span class="state">Hashing (${view.source})…</span>`
      : html`<span class="state">Stopped</span>`;
  }

  override render() {
    const view = this.sampler?.view();
    if (!view) {
      return html`<p class="muted">
        Start mining or mine a block to watch the nonce search: each try hashes the header below
        with another nonce, until a hash is at or below the target.
      </p>`;
    }
    const t = view.template;
    const best = view.found ?? view.best;
    const scale = Math.max(t.targetZeros + 8, 16);
    const targetHex = t.target.toString(16).padStart(64, '0');
    return html`
      <p role="status" aria-label="Proof of work state">${this.renderState(view)}</p>
      <dl>
        <dt>Block</dt>
        <dd>height ${t.height}</dd>
        <dt>Previous block</dt>
        <dd class="hex">${t.prev}</dd>
        <dt>Merkle root</dt>
        <dd class="hex">${t.merkleRoot}</dd>
        <dt>Time</dt>
        <dd>${formatTime(t.time)}</dd>
        <dt>Bits</dt>
        <dd class="hex">0x${t.bits.toString(16).padStart(8, '0')}</dd>
        <dt>Target</dt>
        <dd>
          ${this.hex({ hash: targetHex }, 'target')}
          <span class="note muted"
            >a hash needs at least
            <output aria-label="Target leading zero bits">${t.targetZeros}</output> leading zero
            bits</span
          >
        </dd>
        <dt>Nonce</dt>
        <dd><output class="nonce" aria-label="Nonce">${view.nonce ?? '—'}</output></dd>
        <dt>Hashes tried</dt>
        <dd>
          ${formatCount(view.hashes)} on this template
          <span class="muted">(expected ${formatCount(Number(workFromTarget(t.target)))})</span>
        </dd>
        <dt>Expected time</dt>
        <dd>
          ${
            view.expectedSeconds !== undefined
              ? html`~${formatDuration(view.expectedSeconds)} at ${formatHashrate(view.hashrate)}`
              : '—'
          }
        </dd>
        <dt>${view.found ? 'Winning hash' : 'Best sampled hash'}</dt>
        <dd>
          ${
            best
              ? html`${this.hex(best, 'best')}
                  <span class="note"
                    ><output aria-label="Best hash leading zero bits">${best.zeros}</output> leading
                    zero bits${best.meets ? ', at or below the target' : ''}</span
                  >`
              : '—'
          }
        </dd>
      </dl>
      <ol aria-label="Sampled hashes, newest first">
        <li class="target">
          <span class="num">target</span>
          <span>${this.hex({ hash: targetHex }, 'target-line', STRIP_DIGITS)}</span>
          <span class="num">${t.targetZeros}</span>
        </li>
        ${view.samples.map((s) => this.row(s, view, scale))}
      </ol>
      <p class="note muted">
        A few hashes a second are sampled for this view; the miner tries the others without showing
        them${view.found ? nothing : ', so the best hash is the best of the samples'}.
      </p>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tc-pow-live': TcPowLive;
  }
}
