/**
 * The block explorer: recent blocks as cards, search (block hash, height, txid, address; the
 * scope is stated under the box), a dialog for a block or transaction, the fork tree and the
 * block-time / hashrate chart. `request` (set by tc-app from `tc-show` intents) runs a search.
 */
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { encodeAddress, fromHex, toHex, type Block, type MempoolEntry } from '../../core/index.js';
import { formatCoins } from '../wallet/wallet.js';
import { ClockController } from './clock-controller.js';
import { SEARCH_SCOPE, loadBlock, search, type SearchResult } from './explorer-search.js';
import { shortHash } from './format.js';
import { NodeController, isCatchingUp } from './node-controller.js';
import { requestShow } from './show-event.js';
import { panelStyles } from './theme.js';
import './tc-block-card.js';
import './tc-block-dialog.js';
import './tc-chart.js';
import './tc-fork-tree.js';

/** Recent blocks shown as cards. */
export const RECENT_CARDS = 12;

@customElement('tc-explorer')
export class TcExplorer extends LitElement {
  static override styles = [
    panelStyles,
    css`
      .cards {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(9.5rem, 1fr));
        gap: 0.5rem;
        list-style: none;
        padding: 0;
        margin: 0.5rem 0;
      }
      form {
        display: flex;
        gap: 0.4rem;
      }
      form input {
        flex: 1;
        min-width: 0;
      }
      .scope {
        font-size: 0.8rem;
      }
      .result {
        border: 1px solid var(--tc-border);
        border-radius: var(--tc-radius);
        padding: 0.5rem 0.7rem;
        margin: 0.5rem 0;
      }
    `,
  ];

  /** A search to run (a new object each time, so the same query can run twice). */
  @property({ attribute: false }) request: { query: string } | undefined;
  @state() private result: SearchResult | undefined;
  @state() private dialog: { blockId: string; txid: string; pending?: MempoolEntry } | undefined;
  @state() private query = '';
  private readonly bodies = new Map<string, Block>();
  private readonly loading = new Set<string>();
  private readonly clock = new ClockController(this, 5000);

  private readonly ctl = new NodeController(this, {
    events: ['chain-changed', 'tx-accepted'],
    onFrame: (node) => {
      // Bodies come from IndexedDB: not while syncing, when those reads would slow the writes
      // of every block connected (the cards fill in once the tip has caught up).
      if (isCatchingUp(node)) return;
      const chain = node.state.chain;
      const recent = new Set<string>();
      for (let h = chain.height; h >= 0 && h > chain.height - RECENT_CARDS; h--)
        recent.add(chain.entryAt(h)!.id);
      for (const id of this.bodies.keys()) if (!recent.has(id)) this.bodies.delete(id);
      for (const id of recent) {
        if (this.bodies.has(id) || this.loading.has(id)) continue;
        this.loading.add(id);
        void loadBlock(node, id).then((block) => {
          this.loading.delete(id);
          if (block) this.bodies.set(id, block);
          this.requestUpdate();
        });
      }
    },
  });

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('request') && this.request) {
      this.query = this.request.query;
      void this.run(this.request.query);
    }
  }

  private async run(query: string): Promise<void> {
    const node = this.ctl.node;
    if (!node) return;
    const result = await search(node, query);
    this.result = result;
    if (result.kind === 'block') this.dialog = { blockId: result.id, txid: '' };
    else if (result.kind === 'tx')
      this.dialog = { blockId: result.blockId ?? '', txid: result.txid, pending: result.pending };
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('q') as HTMLInputElement;
    this.query = input.value;
    void this.run(input.value);
  }

  private renderResult() {
    const result = this.result;
    const node = this.ctl.node!;
    if (!result || result.kind === 'block') return null;
    if (result.kind === 'none') return html`<p class="result" role="status">${result.message}</p>`;
    if (result.kind === 'tx')
      return html`<p class="result" role="status">
        Transaction ${shortHash(result.txid)}
        ${result.pending ? 'is pending' : `is in block ${shortHash(result.blockId ?? '')}`}.
      </p>`;
    const address = encodeAddress(fromHex(result.pubkeyHex), node.params.network);
    return html`
      <div class="result" role="status" aria-label="Address result">
        <p><span class="mono">${address}</span></p>
        <p>
          ${formatCoins(result.total)} in ${result.coins.length} unspent output(s)
          ${result.pubkeyHex === toHex(node.wallet.pubkey) ? html`<strong>(this wallet)</strong>` : null}
        </p>
        <ul>
          ${result.coins.slice(0, 50).map(([key, coin]) => {
            const [txid] = key.split(':');
            return html`<li>
              ${formatCoins(coin.amount)} from
              <button type="button" class="link" @click=${() => requestShow(this, txid!)}>
                ${shortHash(key)}
              </button>
              at height ${coin.height}${coin.coinbase ? ' (mining reward)' : ''}
            </li>`;
          })}
          ${result.pending.map(
            (p) =>
              html`<li>
                ${formatCoins(p.amount)} pending in
                <button type="button" class="link" @click=${() => requestShow(this, p.id)}>
                  ${shortHash(p.id)}
                </button>
              </li>`,
          )}
        </ul>
      </div>
    `;
  }

  override render() {
    const node = this.ctl.node;
    if (!node) return null;
    const chain = node.state.chain;
    const own = toHex(node.wallet.pubkey);
    const recent = [];
    for (let h = chain.height; h >= 0 && h > chain.height - RECENT_CARDS; h--)
      recent.push(chain.entryAt(h)!);
    return html`
      <h2 id="explorer-heading">Explorer</h2>
      <form role="search" aria-label="Explorer search" @submit=${this.onSubmit}>
        <input
          name="q"
          type="search"
          aria-label="Search blocks, transactions and addresses"
          placeholder="block hash, height, txid or address"
          .value=${this.query}
          autocomplete="off"
          spellcheck="false"
        />
        <button type="submit">Search</button>
      </form>
      <p class="scope muted">${SEARCH_SCOPE}</p>
      ${this.renderResult()}
      <h3>Recent blocks</h3>
      <ul class="cards" aria-label="Recent blocks">
        ${recent.map((entry) => {
          const block = this.bodies.get(entry.id);
          const mine = !!block && block.txs[0]?.outputs.some((o) => toHex(o.pubkey) === own);
          return html`<li>
            <tc-block-card
              .entry=${entry}
              .block=${block}
              ?mine=${mine}
              .now=${this.clock.now}
            ></tc-block-card>
          </li>`;
        })}
      </ul>
      <tc-fork-tree></tc-fork-tree>
      <tc-chart></tc-chart>
      <tc-block-dialog
        .blockId=${this.dialog?.blockId ?? ''}
        .txid=${this.dialog?.txid ?? ''}
        .pending=${this.dialog?.pending}
        .open=${!!this.dialog}
        @tc-dialog-close=${() => (this.dialog = undefined)}
      ></tc-block-dialog>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tc-explorer': TcExplorer;
  }
}
