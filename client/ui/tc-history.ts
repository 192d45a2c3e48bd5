/**
 * The wallet's history: sent and received transactions (pending on top), amount and fee in
 * separate columns (the amount leaves the fee out), confirmations and the other side. A txid opens the transaction in the explorer.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { formatCoins, type HistoryEntry } from '../wallet/wallet.js';
import { formatWhen, shortHash } from './format.js';
import { requestShow } from './show-event.js';
import { panelStyles } from './theme.js';

/** Rows shown at first, and at most. */
export const HISTORY_ROWS = 8;
export const HISTORY_ROWS_MAX = 200;

@customElement('tc-history')
export class TcHistory extends LitElement {
  static override styles = [
    panelStyles,
    css`
      .in {
        color: var(--tc-ok);
      }
      .out {
        color: var(--tc-bad);
      }
      td.num {
        white-space: nowrap;
      }
      .note {
        font-size: 0.8rem;
      }
      .pending {
        color: var(--tc-warn);
        font-weight: 600;
      }
    `,
  ];

  @property({ attribute: false }) entries: readonly HistoryEntry[] = [];
  @state() private expanded = false;

  private label(e: HistoryEntry): string {
    if (e.coinbase) return 'mined';
    return e.direction === 'self' ? 'to self' : e.direction;
  }

  override render() {
    if (this.entries.length === 0)
      return html`<h3>History</h3>
        <p class="muted">No transactions yet: mine a block or ask someone to pay you.</p>`;
    return html`
      <h3 id="history-heading">History</h3>
      <p class="muted note">
        Amount is what went to or came from the other side; the fee you paid is in its own column (a
        payment costs amount + fee).
      </p>
      <div class="scroll">
        <table aria-labelledby="history-heading">
          <thead>
            <tr>
              <th>When</th>
              <th>What</th>
              <th class="num">Amount</th>
              <th class="num">Fee paid</th>
              <th class="num">Confirmations</th>
              <th>Transaction</th>
            </tr>
          </thead>
          <tbody>
            ${this.entries.slice(0, this.expanded ? HISTORY_ROWS_MAX : HISTORY_ROWS).map(
              (e) =>
                html`<tr>
                  <td title=${new Date(e.time * 1000).toLocaleString()}>${formatWhen(e.time)}</td>
                  <td>
                    ${this.label(e)}
                    ${
                      e.counterparty
                        ? html`<span class="mono muted" title=${e.counterparty}
                            >${e.direction === 'sent' ? 'to' : 'from'}
                            ${shortHash(e.counterparty, 10, 4)}</span
                          >`
                        : null
                    }
                  </td>
                  <td class="num ${e.amount < 0n ? 'out' : e.amount > 0n ? 'in' : ''}">
                    ${e.amount > 0n ? '+' : ''}${formatCoins(e.amount)}
                  </td>
                  <td class="num">${e.fee === undefined ? '—' : formatCoins(e.fee)}</td>
                  <td class="num">
                    ${
                      e.confirmations === 0
                        ? html`<span class="pending">pending</span>`
                        : e.confirmations
                    }
                  </td>
                  <td>
                    <button
                      type="button"
                      class="link"
                      aria-label="${shortHash(e.txid)}: show this transaction"
                      @click=${() => requestShow(this, e.txid)}
                    >
                      ${shortHash(e.txid)}
                    </button>
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${
        this.entries.length > HISTORY_ROWS
          ? html`<button
              type="button"
              class="secondary"
              aria-expanded=${String(this.expanded)}
              @click=${() => (this.expanded = !this.expanded)}
            >
              ${
                this.expanded
                  ? 'Show fewer'
                  : `Show all ${Math.min(this.entries.length, HISTORY_ROWS_MAX)} transactions`
              }
            </button>`
          : null
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tc-history': TcHistory;
  }
}
