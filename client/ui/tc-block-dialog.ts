/**
 * A modal `<dialog>` with one block's header fields and transactions (or one pending
 * transaction). Opens while `open` is true; emits `tc-dialog-close` when the user closes it.
 */
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import {
  blockSize,
  blockSubsidy,
  hashToHex,
  toHex,
  txidHex,
  workFromBits,
  type Block,
  type MempoolEntry,
} from '../../core/index.js';
import { formatCoins } from '../wallet/wallet.js';
import { loadBlock } from './explorer-search.js';
import { formatBytes, formatCount, formatTime } from './format.js';
import { NodeController } from './node-controller.js';
import { requestShow } from './show-event.js';
import { panelStyles } from './theme.js';
import './tc-tx-view.js';

@customElement('tc-block-dialog')
export class TcBlockDialog extends LitElement {
  static override styles = [
    panelStyles,
    css`
      dialog {
        width: min(52rem, 96vw);
        max-height: 90vh;
        background: var(--tc-panel);
        color: var(--tc-fg);
        border: 1px solid var(--tc-border);
        border-radius: var(--tc-radius);
        padding: 1rem;
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 0.45);
      }
      header {
        display: flex;
        justify-content: space-between;
        align-items: center;
        gap: 1rem;
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0.15rem 0.8rem;
        font-size: 0.9rem;
      }
      dt {
        color: var(--tc-muted);
      }
      dd {
        margin: 0;
        min-width: 0;
      }
    `,
  ];

  /** Block to show (display hash). */
  @property() blockId = '';
  /** Transaction to highlight in the block, or the pending one to show alone. */
  @property() txid = '';
  @property({ attribute: false }) pending: MempoolEntry | undefined;
  @property({ type: Boolean }) open = false;
  @state() private block: Block | undefined;
  @state() private loadedId = '';
  @query('dialog') private dialog!: HTMLDialogElement;

  private readonly ctl = new NodeController(this, { events: ['chain-changed'] });

  protected override willUpdate(changed: PropertyValues<this>): void {
    const node = this.ctl.node;
    if (changed.has('blockId') && node && this.blockId && this.blockId !== this.loadedId) {
      const id = this.blockId;
      this.block = undefined;
      this.loadedId = id;
      void loadBlock(node, id).then((block) => {
        if (this.blockId === id) this.block = block;
      });
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!changed.has('open')) return;
    if (this.open && !this.dialog.open) this.dialog.showModal();
    if (!this.open && this.dialog.open) this.dialog.close();
    if (this.open)
      this.renderRoot.querySelector('[highlight]')?.scrollIntoView({ block: 'nearest' });
  }

  private onClose(): void {
    this.dispatchEvent(new CustomEvent('tc-dialog-close', { bubbles: true, composed: true }));
  }

  private renderBlock() {
    const node = this.ctl.node!;
    const chain = node.state.chain;
    const entry = chain.getEntry(this.blockId);
    if (!entry) return html`<p>Block ${this.blockId} is not known here (pruned or never seen).</p>`;
    const active = chain.isActive(entry);
    const state =
      entry.status === 'invalid'
        ? `invalid: ${entry.invalidReason ?? ''}`
        : active
          ? 'active chain'
          : entry.status === 'header'
            ? 'side branch (header only)'
            : 'side branch';
    const prev = hashToHex(entry.header.prevHash);
    const block = this.block;
    const coinbaseOut = block?.txs[0]?.outputs.reduce((s, o) => s + o.amount, 0n);
    const subsidy = blockSubsidy(entry.height, node.params);
    const own = toHex(node.wallet.pubkey);
    const work = workFromBits(entry.header.bits);
    return html`
      <dl>
        <dt>Hash</dt>
        <dd class="mono">${entry.id}</dd>
        <dt>Height</dt>
        <dd>${entry.height}</dd>
        <dt>Status</dt>
        <dd class=${active ? 'ok' : 'warn'}>${state}</dd>
        <dt>Confirmations</dt>
        <dd>${active ? chain.height - entry.height + 1 : 0}</dd>
        <dt>Previous block</dt>
        <dd>
          ${
            entry.height === 0
              ? 'none (genesis)'
              : html`<button
                  type="button"
                  class="link"
                  aria-label="Show previous block ${prev}"
                  @click=${() => requestShow(this, prev)}
                >
                  ${prev}
                </button>`
          }
        </dd>
        <dt>Merkle root</dt>
        <dd class="mono">${hashToHex(entry.header.merkleRoot)}</dd>
        <dt>Time</dt>
        <dd>${formatTime(entry.header.time)} <span class="muted">(${entry.header.time})</span></dd>
        <dt>Bits</dt>
        <dd class="mono">
          0x${entry.header.bits.toString(16).padStart(8, '0')}
          <span class="muted">(~${formatCount(Number(work))} hashes)</span>
        </dd>
        <dt>Nonce</dt>
        <dd>${entry.header.nonce}</dd>
        <dt>Version</dt>
        <dd>${entry.header.version}</dd>
        <dt>Chain work</dt>
        <dd class="mono">${entry.chainWork.toString()}</dd>
        ${
          block
            ? html`
                <dt>Size</dt>
                <dd>${formatBytes(blockSize(block))}</dd>
                <dt>Transactions</dt>
                <dd>${block.txs.length}</dd>
                <dt>Reward</dt>
                <dd>
                  ${formatCoins(subsidy)} new + ${formatCoins((coinbaseOut ?? subsidy) - subsidy)}
                  fees
                </dd>
              `
            : null
        }
      </dl>
      <h3>Transactions</h3>
      ${
        block
          ? block.txs.map(
              (tx) =>
                html`<tc-tx-view
                  .tx=${tx}
                  network=${node.params.network}
                  ownKey=${own}
                  ?highlight=${this.txid !== '' && this.txid === txidHex(tx)}
                ></tc-tx-view>`,
            )
          : html`<p class="muted">
              ${entry.status === 'header' || entry.status === 'invalid' ? 'This tab holds only the header of this block.' : 'Loading…'}
            </p>`
      }
    `;
  }

  private renderPending(entry: MempoolEntry) {
    const node = this.ctl.node!;
    return html`
      <dl>
        <dt>Status</dt>
        <dd class="warn">pending (in the mempool, not in a block yet)</dd>
        <dt>Fee</dt>
        <dd>${formatCoins(entry.fee)} (${entry.feeRate.toFixed(1)} units/byte)</dd>
        <dt>Size</dt>
        <dd>${entry.size} bytes</dd>
        <dt>Received</dt>
        <dd>${formatTime(entry.time)}</dd>
      </dl>
      <tc-tx-view
        .tx=${entry.tx}
        network=${node.params.network}
        ownKey=${toHex(node.wallet.pubkey)}
        highlight
      ></tc-tx-view>
    `;
  }

  override render() {
    const node = this.ctl.node;
    const title = this.pending
      ? 'Pending transaction'
      : `Block ${node?.state.chain.getEntry(this.blockId)?.height ?? ''}`;
    return html`
      <dialog aria-labelledby="dialog-title" @close=${this.onClose}>
        <header>
          <h2 id="dialog-title">${title}</h2>
          <form method="dialog"><button type="submit" class="secondary">Close</button></form>
        </header>
        ${!node || !this.open ? null : this.pending ? this.renderPending(this.pending) : this.renderBlock()}
      </dialog>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tc-block-dialog': TcBlockDialog;
  }
}
