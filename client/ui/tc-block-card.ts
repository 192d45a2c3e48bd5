/**
 * A block as a card: height, hash, age, transactions and reward. The whole card is a button
 * that emits `tc-show` with the block's hash (the explorer opens its dialog).
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Block, BlockEntry } from '../../core/index.js';
import { formatCoins } from '../wallet/wallet.js';
import { formatAge, shortHash } from './format.js';
import { requestShow } from './show-event.js';
import { panelStyles } from './theme.js';

@customElement('tc-block-card')
export class TcBlockCard extends LitElement {
  static override styles = [
    panelStyles,
    css`
      button.card {
        display: block;
        width: 100%;
        text-align: left;
        background: var(--tc-bg);
        color: var(--tc-fg);
        border: 1px solid var(--tc-border);
        border-left: 4px solid var(--tc-accent);
        border-radius: var(--tc-radius);
        padding: 0.5rem 0.6rem;
      }
      button.card:hover {
        border-color: var(--tc-accent);
      }
      .height {
        font-weight: 700;
        font-size: 1.05rem;
      }
      .line {
        font-size: 0.8rem;
        color: var(--tc-muted);
        display: block;
      }
      .mine {
        color: var(--tc-ok);
      }
    `,
  ];

  @property({ attribute: false }) entry: BlockEntry | undefined;
  /** The body, when loaded (transactions and reward). */
  @property({ attribute: false }) block: Block | undefined;
  /** True when this wallet mined the block. */
  @property({ type: Boolean }) mine = false;
  /** Milliseconds since the epoch, for the age. */
  @property({ type: Number }) now = 0;

  override render() {
    const entry = this.entry;
    if (!entry) return null;
    const reward = this.block?.txs[0]?.outputs.reduce((s, o) => s + o.amount, 0n);
    return html`
      <button type="button" class="card" @click=${() => requestShow(this, entry.id)}>
        <span class="height"><span class="visually-hidden">Block </span>#${entry.height}</span>
        ${this.mine ? html`<span class="mine">mined here</span>` : null}
        <span class="line mono">${shortHash(entry.id, 10, 6)}</span>
        <span class="line">${formatAge(entry.header.time, this.now)}</span>
        <span class="line"
          >${
            this.block ? `${this.block.txs.length} tx · ${formatCoins(reward ?? 0n)}` : 'loading…'
          }</span
        >
      </button>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tc-block-card': TcBlockCard;
  }
}
