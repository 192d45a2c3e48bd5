/**
 * The mempool as a table: pending transactions by fee rate (what a miner takes first), with
 * fee, size, amount moved and age. A txid opens in the explorer.
 */
import { LitElement, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { toHex } from '../../core/index.js';
import { formatCoins } from '../wallet/wallet.js';
import { ClockController } from './clock-controller.js';
import { formatBytes, formatDuration, shortHash } from './format.js';
import { NodeController } from './node-controller.js';
import { requestShow } from './show-event.js';
import { panelStyles } from './theme.js';
import './tc-next-blocks.js';

/** Rows shown (the pool itself may hold many more). */
export const MEMPOOL_ROWS = 100;

@customElement('tc-mempool')
export class TcMempool extends LitElement {
  static override styles = [panelStyles];

  private readonly ctl = new NodeController(this, { events: ['tx-accepted', 'chain-changed'] });
  private readonly clock = new ClockController(this, 5000);

  override render() {
    const node = this.ctl.node;
    if (!node) return null;
    const pool = node.state.mempool;
    const entries = pool.byFeeRate();
    const own = toHex(node.wallet.pubkey);
    const now = this.clock.now / 1000;
    return html`
      <h2>Mempool</h2>
      <p class="muted">
        ${entries.length} transaction(s), ${formatBytes(pool.bytes)}, highest fee rate first: the
        next block takes them from the top.
      </p>
      <tc-next-blocks></tc-next-blocks>
      ${
        entries.length === 0
          ? null
          : html`<div class="scroll">
              <table aria-label="Mempool">
                <thead>
                  <tr>
                    <th>Txid</th>
                    <th class="num">Outputs</th>
                    <th class="num">Fee</th>
                    <th class="num">Units/byte</th>
                    <th class="num">Size</th>
                    <th class="num">Age</th>
                  </tr>
                </thead>
                <tbody>
                  ${entries.slice(0, MEMPOOL_ROWS).map((e) => {
                    const amount = e.tx.outputs.reduce((s, o) => s + o.amount, 0n);
                    const mine = e.tx.outputs.some((o) => toHex(o.pubkey) === own);
                    return html`<tr>
                      <td>
                        <button
                          type="button"
                          class="link"
                          aria-label="Show transaction ${shortHash(e.id)}"
                          @click=${() => requestShow(this, e.id)}
                        >
                          ${shortHash(e.id)}
                        </button>
                        ${mine ? html`<span class="ok">(this wallet)</span>` : null}
                      </td>
                      <td class="num">${formatCoins(amount)}</td>
                      <td class="num">${formatCoins(e.fee)}</td>
                      <td class="num">${e.feeRate.toFixed(1)}</td>
                      <td class="num">${e.size} B</td>
                      <td class="num">${formatDuration(now - e.time)}</td>
                    </tr>`;
                  })}
                </tbody>
              </table>
            </div>`
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tc-mempool': TcMempool;
  }
}
