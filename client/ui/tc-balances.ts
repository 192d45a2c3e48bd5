/** The wallet's balances: confirmed, pending, still-maturing mining rewards, and spendable. */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { COINBASE_MATURITY } from '../../core/index.js';
import { formatCoins, type Balances } from '../wallet/wallet.js';
import { panelStyles } from './theme.js';

@customElement('tc-balances')
export class TcBalances extends LitElement {
  static override styles = [
    panelStyles,
    css`
      dl {
        display: grid;
        grid-template-columns: repeat(2, minmax(0, 1fr));
        gap: 0.5rem;
        margin: 0.6rem 0;
      }
      div {
        background: var(--tc-bg);
        border: 1px solid var(--tc-border);
        border-radius: var(--tc-radius);
        padding: 0.4rem 0.6rem;
      }
      dt {
        font-size: 0.8rem;
        color: var(--tc-muted);
      }
      dd {
        margin: 0;
        font-size: 1.05rem;
        font-weight: 700;
        font-variant-numeric: tabular-nums;
        overflow-wrap: anywhere;
      }
      .unit {
        font-size: 0.75rem;
        font-weight: normal;
        color: var(--tc-muted);
      }
      .note {
        font-size: 0.75rem;
        color: var(--tc-muted);
        display: block;
      }
    `,
  ];

  @property({ attribute: false }) balances: Balances | undefined;

  override render() {
    const b = this.balances;
    if (!b) return html`<p class="muted">Reading balances…</p>`;
    const item = (label: string, amount: bigint, note: unknown = null) =>
      html`<div>
        <dt>${label}</dt>
        <dd>
          <output aria-label="${label} balance">${formatCoins(amount)}</output>
          <span class="unit">coins</span>
        </dd>
        ${note}
      </div>`;
    return html`<dl aria-label="Balances">
      ${item('Confirmed', b.confirmed, html`<span class="note">in blocks, ready to spend</span>`)}
      ${item('Pending', b.pending, html`<span class="note">waiting for a block (in − out)</span>`)}
      ${item(
        'Immature',
        b.immature,
        html`<span class="note"
          >${
            b.immature > 0n
              ? `mining rewards: next matures in ${b.nextMaturityIn} block(s)`
              : `rewards wait ${COINBASE_MATURITY} blocks`
          }</span
        >`,
      )}
      ${item('Spendable', b.spendable, html`<span class="note">what a payment can use now</span>`)}
    </dl>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tc-balances': TcBalances;
  }
}
