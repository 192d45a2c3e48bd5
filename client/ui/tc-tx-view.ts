/**
 * One transaction: its id, inputs (the outputs they spend, or the coinbase) and outputs (who
 * is paid, how much). Ids are links that ask the explorer to show them (`tc-show`).
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import {
  coinbaseHeight,
  encodeAddress,
  hashToHex,
  isCoinbase,
  toHex,
  txidHex,
  txSize,
  type NetworkName,
  type Tx,
} from '../../core/index.js';
import { formatCoins } from '../wallet/wallet.js';
import { shortHash } from './format.js';
import { requestShow } from './show-event.js';
import { panelStyles } from './theme.js';

@customElement('tc-tx-view')
export class TcTxView extends LitElement {
  static override styles = [
    panelStyles,
    css`
      :host {
        border: 1px solid var(--tc-border);
        border-radius: var(--tc-radius);
        padding: 0.5rem 0.7rem;
        margin: 0.5rem 0;
      }
      :host([highlight]) {
        border-color: var(--tc-accent);
        box-shadow: 0 0 0 2px var(--tc-accent);
      }
      .cols {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: 0.8rem;
      }
      @media (max-width: 560px) {
        .cols {
          grid-template-columns: 1fr;
        }
      }
      ul {
        margin: 0.2rem 0 0;
        padding-left: 1.1rem;
      }
      .tag {
        font-size: 0.75rem;
        border: 1px solid var(--tc-border);
        border-radius: 4px;
        padding: 0 0.3rem;
        margin-left: 0.3rem;
      }
    `,
  ];

  @property({ attribute: false }) tx: Tx | undefined;
  @property() network: NetworkName = 'main';
  /** Hex public key of this wallet, to mark outputs that pay it. */
  @property() ownKey = '';
  @property({ type: Boolean, reflect: true }) highlight = false;

  override render() {
    const tx = this.tx;
    if (!tx) return null;
    const id = txidHex(tx);
    const coinbase = isCoinbase(tx);
    const total = tx.outputs.reduce((sum, o) => sum + o.amount, 0n);
    return html`
      <p>
        <span class="muted">tx</span>
        <span class="mono" title=${id}>${id}</span>
        ${coinbase ? html`<span class="tag">coinbase</span>` : null}
        <span class="tag">${txSize(tx)} bytes</span>
      </p>
      <div class="cols">
        <div>
          <strong>Inputs</strong>
          <ul>
            ${
              coinbase
                ? html`<li>new coins (block ${coinbaseHeight(tx) ?? '?'})</li>`
                : tx.inputs.map((input) => {
                    const prev = hashToHex(input.prevout.txid);
                    return html`<li>
                      <button
                        type="button"
                        class="link"
                        aria-label="Show spent transaction ${shortHash(prev)}:${input.prevout.vout}"
                        @click=${() => requestShow(this, prev)}
                      >
                        ${shortHash(prev)}:${input.prevout.vout}
                      </button>
                      ${
                        input.witness.length === 0
                          ? html`<span class="tag bad">unsigned</span>`
                          : null
                      }
                    </li>`;
                  })
            }
          </ul>
        </div>
        <div>
          <strong>Outputs</strong> <span class="muted">(${formatCoins(total)} in all)</span>
          <ul>
            ${tx.outputs.map((output) => {
              const address = encodeAddress(output.pubkey, this.network);
              const mine = toHex(output.pubkey) === this.ownKey;
              return html`<li>
                ${formatCoins(output.amount)} to
                <button
                  type="button"
                  class="link"
                  aria-label="Show address ${shortHash(address, 10, 6)}"
                  @click=${() => requestShow(this, address)}
                >
                  ${shortHash(address, 10, 6)}
                </button>
                ${mine ? html`<span class="tag ok">this wallet</span>` : null}
              </li>`;
            })}
          </ul>
        </div>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tc-tx-view': TcTxView;
  }
}
