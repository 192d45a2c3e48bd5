/**
 * One transaction as a flow of money: the coins it spends (each with its origin: the
 * transaction output and the block that created it) → who it pays (change marked) and the fee,
 * with totals that add up (inputs = outputs + fee). Ids are links that ask the explorer to show
 * them (`tc-show`). The spent coins are looked up in this tab (explain/spent-coins.ts).
 */
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import {
  coinbaseHeight,
  encodeAddress,
  fromHex,
  txidHex,
  txSize,
  type NetworkName,
  type Tx,
} from '../../core/index.js';
import { formatCoins } from '../wallet/wallet.js';
import { spentCoins } from './explain/spent-coins.js';
import { buildTxFlow, type FlowInput, type SpentCoin } from './explain/tx-flow.js';
import { shortHash } from './format.js';
import { NodeController } from './node-controller.js';
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
      .flow {
        display: grid;
        grid-template-columns: 1fr auto 1fr;
        gap: 0.6rem;
        align-items: start;
      }
      .arrow {
        align-self: center;
        font-size: 1.6rem;
        color: var(--tc-muted);
      }
      @media (max-width: 560px) {
        .flow {
          grid-template-columns: 1fr;
        }
        .arrow {
          transform: rotate(90deg);
          justify-self: center;
        }
      }
      ul {
        list-style: none;
        margin: 0.2rem 0 0;
        padding: 0;
      }
      li {
        border: 1px solid var(--tc-border);
        border-left: 4px solid var(--tc-accent);
        border-radius: 6px;
        padding: 0.25rem 0.45rem;
        margin: 0.25rem 0;
      }
      li.fee {
        border-left-color: var(--tc-warn);
      }
      li.change {
        border-left-color: var(--tc-ok);
      }
      .amount {
        font-weight: 600;
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
  /** The coins the inputs spend, once looked up (undefined entries: not known here). */
  @state() private spent: (SpentCoin | undefined)[] = [];
  private lookedUp: Tx | undefined = undefined;

  private readonly ctl = new NodeController(this, { events: [] });

  protected override updated(changed: PropertyValues<this>): void {
    const node = this.ctl.node;
    const tx = this.tx;
    if (!node || !tx || tx === this.lookedUp) return;
    if (changed.has('tx')) this.spent = [];
    this.lookedUp = tx;
    spentCoins(node, tx).then(
      (spent) => {
        if (this.tx === tx) this.spent = spent;
      },
      () => undefined,
    );
  }

  private owner(hex: string) {
    const address = encodeAddress(fromHex(hex), this.network);
    return html`<button
        type="button"
        class="link"
        aria-label="Show address ${shortHash(address, 10, 6)}"
        @click=${() => requestShow(this, address)}
      >
        ${shortHash(address, 10, 6)}</button
      >${hex === this.ownKey ? html`<span class="tag ok">this wallet</span>` : null}`;
  }

  private renderInput(input: FlowInput, unsigned: boolean) {
    const made =
      input.amount === undefined
        ? 'not known to this tab'
        : input.height === undefined
          ? 'created by a pending transaction'
          : `${input.coinbase ? 'mining reward' : 'created'} in block ${input.height}`;
    return html`<li>
      <output class="amount" aria-label="Input amount"
        >${input.amount === undefined ? '?' : formatCoins(input.amount)}</output
      >
      ${input.owner ? html`from ${this.owner(input.owner)}` : null}
      <br />
      <span class="muted">coin</span>
      <button
        type="button"
        class="link"
        aria-label="Show spent transaction ${shortHash(input.txid)}:${input.vout}"
        @click=${() => requestShow(this, input.txid)}
      >
        ${shortHash(input.txid)}:${input.vout}
      </button>
      <span class="muted">${made}</span>
      ${unsigned ? html`<span class="tag bad">unsigned</span>` : null}
    </li>`;
  }

  override render() {
    const tx = this.tx;
    if (!tx) return null;
    const id = txidHex(tx);
    const flow = buildTxFlow(tx, this.spent);
    const fee = flow.fee;
    return html`
      <p>
        <span class="muted">tx</span>
        <span class="mono" title=${id}>${id}</span>
        ${flow.coinbase ? html`<span class="tag">coinbase</span>` : null}
        <span class="tag">${txSize(tx)} bytes</span>
      </p>
      <div class="flow" aria-label="Transaction flow" role="group">
        <div>
          <strong>Coins spent</strong>
          <ul aria-label="Inputs">
            ${
              flow.coinbase
                ? html`<li>
                    new coins: block ${coinbaseHeight(tx) ?? '?'}'s reward (subsidy + the fees of
                    its transactions)
                  </li>`
                : flow.inputs.map((input, i) =>
                    this.renderInput(input, tx.inputs[i]!.witness.length === 0),
                  )
            }
          </ul>
        </div>
        <div class="arrow" aria-hidden="true">→</div>
        <div>
          <strong>Paid to</strong>
          <ul aria-label="Outputs">
            ${flow.outputs.map(
              (o) =>
                html`<li class=${o.change ? 'change' : ''}>
                  <output class="amount" aria-label="Output amount"
                    >${formatCoins(o.amount)}</output
                  >
                  to ${this.owner(o.owner)}
                  ${o.change ? html`<span class="tag">change</span>` : null}
                </li>`,
            )}
            ${
              fee === undefined
                ? null
                : html`<li class="fee">
                    <output class="amount" aria-label="Fee">${formatCoins(fee)}</output> fee to the
                    miner
                    <span class="muted">(${(Number(fee) / txSize(tx)).toFixed(1)} units/byte)</span>
                  </li>`
            }
          </ul>
        </div>
      </div>
      <p class="muted">
        ${
          flow.inTotal === undefined
            ? html`Outputs:
                <output aria-label="Outputs total">${formatCoins(flow.outTotal)}</output>
                coins${flow.coinbase ? '' : ' (the spent coins are not known to this tab)'}`
            : html`In: <output aria-label="Inputs total">${formatCoins(flow.inTotal)}</output> =
                out: <output aria-label="Outputs total">${formatCoins(flow.outTotal)}</output> +
                fee: ${formatCoins(fee!)} coins`
        }
      </p>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tc-tx-view': TcTxView;
  }
}
