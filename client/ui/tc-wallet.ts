/**
 * The wallet panel: address (copy, QR), balances and history, read from the node's wallet
 * whenever it, the chain or the mempool changes (at most once per frame).
 */
import { LitElement, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { TabNode } from '../node.js';
import type { HistoryEntry, WalletBalance } from '../wallet/wallet.js';
import { NodeController, isCatchingUp } from './node-controller.js';
import { panelStyles } from './theme.js';
import './tc-address-card.js';
import './tc-balances.js';
import './tc-coins.js';
import './tc-history.js';
import './tc-node-picker.js';

@customElement('tc-wallet')
export class TcWallet extends LitElement {
  static override styles = [panelStyles];

  @state() private balances: WalletBalance | undefined;
  @state() private history: readonly HistoryEntry[] = [];
  @state() private error = '';
  private reading = false;
  private again = false;

  private readonly ctl = new NodeController(this, {
    events: ['wallet', 'chain-changed'],
    // Not while syncing: reads would slow every block's IndexedDB write; the frame after the
    // tip catches up reads once.
    onFrame: (node) => {
      if (!isCatchingUp(node)) void this.read(node);
    },
  });

  /** Read balances and history; a change during the read triggers one more read after it. */
  private async read(node: TabNode): Promise<void> {
    const wallet = node.wallet;
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = true;
    try {
      do {
        this.again = false;
        const [balances, history] = await Promise.all([wallet.balances(), wallet.history()]);
        this.balances = balances;
        this.history = history;
        this.error = '';
      } while (this.again);
    } catch (err) {
      this.error = `Could not read the wallet: ${(err as Error).message}`;
    } finally {
      this.reading = false;
    }
  }

  override render() {
    const wallet = this.ctl.node?.wallet;
    return html`
      <h2>Wallet</h2>
      ${
        wallet
          ? html`
              <tc-address-card address=${wallet.address}></tc-address-card>
              ${this.error ? html`<p class="bad" role="alert">${this.error}</p>` : null}
              <tc-balances .balances=${this.balances}></tc-balances>
              <tc-coins></tc-coins>
              <tc-history .entries=${this.history}></tc-history>
              <details>
                <summary>
                  This wallet belongs to node
                  <strong class="mono">${this.ctl.node!.identity.nodeId}</strong>: open or name
                  another node
                </summary>
                <tc-node-picker></tc-node-picker>
              </details>
            `
          : html`<p class="muted">Opening the wallet…</p>`
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tc-wallet': TcWallet;
  }
}
