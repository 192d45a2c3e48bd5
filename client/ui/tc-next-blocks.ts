/**
 * The mempool as the next blocks (explain/next-blocks.ts): pending transactions packed exactly
 * as this node's template would mine them, coloured by fee rate, each with its expected wait,
 * and the fee rate the send form suggests from it.
 */
import { LitElement, css, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { toHex } from '../../core/index.js';
import { formatCoins } from '../wallet/wallet.js';
import { suggestFeeRate } from '../wallet/fee-rate.js';
import { nextBlocks, rateBand, waitLabel, type ProjectedBlock } from './explain/next-blocks.js';
import { formatBytes, shortHash } from './format.js';
import { NodeController } from './node-controller.js';
import { requestShow } from './show-event.js';
import { panelStyles } from './theme.js';

/** Projected blocks drawn. */
export const PROJECTED_BLOCKS = 4;
/** Transactions drawn per projected block. */
const TXS_PER_BLOCK = 40;
/**
 * The projection is recomputed at most this often (ms): over a full mempool (5 MB, ~33,000
 * payments) it costs several template selections (tests/bench/explain-bench.ts).
 */
export const PROJECT_EVERY_MS = 1000;

@customElement('tc-next-blocks')
export class TcNextBlocks extends LitElement {
  static override styles = [
    panelStyles,
    css`
      .blocks {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr));
        gap: 0.6rem;
        padding: 0;
        list-style: none;
      }
      .block {
        border: 2px solid var(--tc-border);
        border-radius: var(--tc-radius);
        padding: 0.4rem;
      }
      .block ol {
        list-style: none;
        padding: 0;
        margin: 0.3rem 0 0;
        display: flex;
        flex-wrap: wrap;
        gap: 0.2rem;
      }
      .tx {
        border-radius: 4px;
        padding: 0.1rem 0.3rem;
        font-size: 0.8rem;
        color: #111;
      }
      .band0 {
        background: #c6dbef;
      }
      .band1 {
        background: #9ecae1;
      }
      .band2 {
        background: #fdd49e;
      }
      .band3 {
        background: #fc8d59;
      }
      .band4 {
        background: #ef6548;
      }
      .tx button.link {
        color: inherit;
      }
    `,
  ];

  private readonly ctl = new NodeController(this, { events: ['tx-accepted', 'chain-changed'] });
  private last: { blocks: ProjectedBlock[]; at: number } | undefined = undefined;
  private timer: ReturnType<typeof setTimeout> | undefined = undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The projection, at most once per PROJECT_EVERY_MS; a change in between is drawn after. */
  private project(node: NonNullable<typeof this.ctl.node>): ProjectedBlock[] {
    const now = performance.now();
    if (this.last && now - this.last.at < PROJECT_EVERY_MS) {
      this.timer ??= setTimeout(
        () => {
          this.timer = undefined;
          this.last = undefined;
          this.requestUpdate();
        },
        PROJECT_EVERY_MS - (now - this.last.at),
      );
      return this.last.blocks;
    }
    this.last = { blocks: nextBlocks(node.state.mempool, PROJECTED_BLOCKS), at: now };
    return this.last.blocks;
  }

  override render() {
    const node = this.ctl.node;
    if (!node) return null;
    const pool = node.state.mempool;
    const blocks = this.project(node);
    const suggestion = suggestFeeRate(pool, blocks[0]?.entries ?? []);
    const own = toHex(node.wallet.pubkey);
    const placed = blocks.reduce((n, b) => n + b.entries.length, 0);
    return html`
      <h3>The next blocks</h3>
      <p class="muted">
        What this node would mine next if nothing new arrived: its own block template, by fee rate
        (a parent goes with its child), then again for the rest.
      </p>
      <p>
        Suggested fee rate:
        <output aria-label="Suggested fee rate">${suggestion.rate}</output> units/byte
        <span class="muted">(${suggestion.reason})</span>
      </p>
      ${
        blocks.length === 0
          ? html`<p class="muted">Nothing waiting: the next block holds only its reward.</p>`
          : html`<ol class="blocks" aria-label="Projected blocks">
              ${blocks.map(
                (b, i) =>
                  html`<li class="block" data-block=${i + 1}>
                    <strong>${i === 0 ? 'Next block' : `Block +${i + 1}`}</strong>
                    <span class="muted"
                      >${b.entries.length} tx, ${formatBytes(b.bytes)}, fees ${formatCoins(b.fees)},
                      ${b.minRate.toFixed(1)}–${b.maxRate.toFixed(1)} units/byte</span
                    >
                    <ol aria-label="Projected block ${i + 1}">
                      ${b.entries
                        .slice(0, TXS_PER_BLOCK)
                        .map(
                          (e) =>
                            html`<li
                              class="tx band${rateBand(e.feeRate)}"
                              data-txid=${e.id}
                              title="${e.feeRate.toFixed(1)} units/byte, ${waitLabel(i, PROJECTED_BLOCKS)}"
                            >
                              <button
                                type="button"
                                class="link"
                                aria-label="Show transaction ${shortHash(e.id, 6, 2)}"
                                @click=${() => requestShow(this, e.id)}
                              >
                                ${shortHash(e.id, 6, 2)}</button
                              >${e.tx.outputs.some((o) => toHex(o.pubkey) === own) ? ' ★' : ''}
                              ${e.feeRate.toFixed(0)}/B · ${waitLabel(i, PROJECTED_BLOCKS)}
                            </li>`,
                        )}
                    </ol>
                    ${
                      b.entries.length > TXS_PER_BLOCK
                        ? html`<p class="muted">…and ${b.entries.length - TXS_PER_BLOCK} more</p>`
                        : null
                    }
                  </li>`,
              )}
            </ol>`
      }
      ${
        pool.size > placed
          ? html`<p class="muted">
              ${pool.size - placed} more transaction(s) wait ${waitLabel(-1, PROJECTED_BLOCKS)}.
            </p>`
          : null
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tc-next-blocks': TcNextBlocks;
  }
}
