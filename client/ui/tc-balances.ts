/**
 * The wallet's balance: one headline total and the parts it is made of (spendable now, mining
 * rewards still maturing, payments to us waiting for a block), which always add up to it. Our
 * own payments waiting for a block are already taken off; a line below says how much they
 * send and pay in fees.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { COINBASE_MATURITY } from '../../core/index.js';
import { formatCoins, type WalletBalance } from '../wallet/wallet.js';
import { panelStyles } from './theme.js';

@customElement('tc-balances')
export class TcBalances extends LitElement {
  static override styles = [
    panelStyles,
    css`
      .headline {
        margin: 0.6rem 0 0.2rem;
        font-size: 0.85rem;
        color: var(--tc-muted);
      }
      .headline output {
        font-size: 1.5rem;
        font-weight: 700;
        color: var(--tc-fg);
        font-variant-numeric: tabular-nums;
      }
      dl {
        display: grid;
        grid-template-columns: repeat(3, minmax(0, 1fr));
        gap: 0.5rem;
        margin: 0.4rem 0;
      }
      dl > div {
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
      }
      dd output {
        font-size: 1.05rem;
        font-weight: 700;
        font-variant-numeric: tabular-nums;
        overflow-wrap: anywhere;
      }
      .unit,
      .note {
        font-size: 0.75rem;
        font-weight: normal;
        color: var(--tc-muted);
      }
      .note {
        display: block;
      }
      @media (max-width: 30rem) {
        dl {
          grid-template-columns: minmax(0, 1fr);
        }
      }
    `,
  ];

  @property({ attribute: false }) balances: WalletBalance | undefined;

  override render() {
    const b = this.balances;
    if (!b) return html`<p class="muted">Reading balances…</p>`;
    const part = (label: string, name: string, amount: bigint, note: string) =>
      html`<div>
        <dt>${label}</dt>
        <dd>
          <output aria-label="${name} balance">${formatCoins(amount)}</output>
          <span class="unit">coins</span>
          <span class="note">${note}</span>
        </dd>
      </div>`;
    const out = b.outgoing;
    return html`
      <p class="headline">
        Balance
        <output aria-label="Total balance">${formatCoins(b.total)}</output>
        <span class="unit">coins</span>
      </p>
      <dl aria-label="Balance breakdown (the parts add up to the balance)">
        ${part('Spendable now', 'Spendable', b.spendable, 'what a payment can use')}
        ${part(
          'Maturing rewards',
          'Immature',
          b.immature,
          b.immature > 0n
            ? `next one spendable in ${b.nextMaturityIn} block${b.nextMaturityIn === 1 ? '' : 's'}`
            : `mining rewards wait ${COINBASE_MATURITY} blocks`,
        )}
        ${part('Incoming', 'Incoming', b.incoming, 'paid to you, waiting for a block')}
      </dl>
      ${
        out.count > 0
          ? html`<p class="note">
              Your ${out.count} payment${out.count === 1 ? '' : 's'} waiting for a block:
              <output aria-label="Outgoing amount">${formatCoins(out.amount)}</output> sent +
              <output aria-label="Outgoing fees">${formatCoins(out.fee)}</output> fee, already taken
              off the balance.
            </p>`
          : null
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tc-balances': TcBalances;
  }
}
