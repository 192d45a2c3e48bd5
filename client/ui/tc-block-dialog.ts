/**
 * A modal `<dialog>` with one block's header fields and transactions (or one pending
 * transaction). Opens while `open` is true; emits `tc-dialog-close` when the user closes it.
 */
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import {
  COINBASE_MATURITY,
  blockSize,
  blockSubsidy,
  hashToHex,
  toHex,
  txidHex,
  workFromBits,
  wtxid,
  type Block,
  type BlockHeader,
  type MempoolEntry,
} from '../../core/index.js';
import { formatCoins } from '../wallet/wallet.js';
import { loadBlock } from './explorer-search.js';
import { formatBytes, formatCount, formatTime } from './format.js';
import { NodeController } from './node-controller.js';
import { requestShow } from './show-event.js';
import { panelStyles } from './theme.js';
import { explainCoinbase } from './block-explain.js';
import { leafLabel } from './tc-merkle-tree.js';
import './tc-tx-view.js';
import './tc-merkle-tree.js';
import './tc-tamper.js';

/** How many following blocks the tamper view shows breaking. */
const FOLLOWING_SHOWN = 5;

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
      details.explain {
        border: 1px solid var(--tc-border);
        border-radius: var(--tc-radius);
        padding: 0.3rem 0.6rem;
        margin: 0.5rem 0;
      }
      details.explain > summary {
        cursor: pointer;
        font-weight: bold;
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
  /** Explainer sections open (rendered only while open: a big block's tree costs hashing). */
  @state() private explaining: ReadonlySet<string> = new Set();
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
        <dd class="mono" data-field="merkle-root">${hashToHex(entry.header.merkleRoot)}</dd>
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
      ${block ? this.renderExplainers(block, entry.height) : null}
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

  private explainer(id: string, title: string, body: () => unknown) {
    const open = this.explaining.has(id);
    return html`<details
      class="explain"
      id=${id}
      ?open=${open}
      @toggle=${(e: Event) => {
        const next = new Set(this.explaining);
        if ((e.target as HTMLDetailsElement).open) next.add(id);
        else next.delete(id);
        this.explaining = next;
      }}
    >
      <summary>${title}</summary>
      ${open ? body() : null}
    </details>`;
  }

  private renderExplainers(block: Block, height: number) {
    const node = this.ctl.node!;
    const chain = node.state.chain;
    const txids = block.txs.map(txidHex);
    const selected = Math.max(0, txids.indexOf(this.txid));
    const entry = chain.getEntry(this.blockId);
    const following: BlockHeader[] = [];
    for (let h = height + 1; entry && chain.isActive(entry) && h <= chain.height; h++) {
      if (following.length === FOLLOWING_SHOWN) break;
      following.push(chain.entryAt(h)!.header);
    }
    return html`
      ${this.explainer('explain-merkle', 'Inside the block: the merkle tree', () => {
        return html`<tc-merkle-tree
          .leaves=${block.txs.map(wtxid)}
          .labels=${txids.map((id, i) => leafLabel(i, id))}
          .root=${block.header.merkleRoot}
          selected=${selected}
        ></tc-merkle-tree>`;
      })}
      ${this.explainer('explain-coinbase', 'The coinbase explained', () => {
        const c = explainCoinbase(block, height, chain.height, node.params);
        return html`<dl aria-label="Coinbase">
          <dt>Subsidy at height ${height}</dt>
          <dd data-value="subsidy">${formatCoins(c.subsidy)} (new coins)</dd>
          <dt>Fees collected</dt>
          <dd data-value="fees">${formatCoins(c.fees)}</dd>
          <dt>Total paid</dt>
          <dd data-value="paid">${formatCoins(c.paid)}</dd>
          <dt>Maturity</dt>
          <dd data-value="maturity">
            spendable from height ${c.spendableAt}
            (${c.blocksLeft === 0 ? 'now' : `in ${c.blocksLeft} block${c.blocksLeft === 1 ? '' : 's'}`}):
            new coins wait ${COINBASE_MATURITY} blocks in case a reorg erases the block
          </dd>
        </dl>`;
      })}
      ${this.explainer('explain-tamper', 'Tamper with history (locally)', () => {
        return html`<tc-tamper
          .block=${block}
          height=${height}
          .following=${following}
          network=${node.params.network}
          ?lab=${new URLSearchParams(location.search).get('lab') === '1'}
          .send=${(b: Block) => node.lab.sendBlock(b)}
        ></tc-tamper>`;
      })}
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
