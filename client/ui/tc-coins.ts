/**
 * The wallet's money as the coins it is made of (explain/coins.ts): each coin's amount, where
 * it came from (transaction output, block), confirmations and whether it is spendable, still
 * maturing, pending, or being spent by a pending payment. Read at most once per frame.
 */
import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { toHex } from '../../core/index.js';
import type { TabNode } from '../node.js';
import { formatCoins } from '../wallet/wallet.js';
import { walletCoins, type WalletCoin } from './explain/coins.js';
import { shortHash } from './format.js';
import { NodeController, isCatchingUp } from './node-controller.js';
import { requestShow } from './show-event.js';
import { panelStyles } from './theme.js';

/** Coins listed (a wallet of a busy miner may hold thousands). */
export const COIN_ROWS = 50;

const STATE_TEXT: Record<WalletCoin['state'], string> = {
  spendable: 'spendable',
  maturing: 'maturing',
  pending: 'pending (incoming)',
  spending: 'being spent',
};

/** `txid:vout` shortened for display: "87a6b4…89d:0". */
const origin = (key: string): string => {
  const [txid = '', vout = ''] = key.split(':');
  return `${shortHash(txid, 6, 3)}:${vout}`;
};

@customElement('tc-coins')
export class TcCoins extends LitElement {
  static override styles = [
    panelStyles,
    css`
      .coins {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
        padding: 0;
        margin: 0.3rem 0;
        list-style: none;
      }
      .coin {
        border: 1px solid var(--tc-border);
        border-radius: 999px;
        padding: 0.2rem 0.7rem;
        min-width: 9rem;
      }
      .coin.spendable {
        border-color: var(--tc-ok);
      }
      .coin.maturing,
      .coin.pending {
        border-style: dashed;
        border-color: var(--tc-warn);
      }
      .coin.spending {
        border-style: dotted;
        text-decoration: line-through;
      }
      .amount {
        font-weight: 600;
      }
    `,
  ];

  @state() private coins: WalletCoin[] = [];
  private reading = false;

  private readonly ctl = new NodeController(this, {
    events: ['wallet', 'chain-changed', 'tx-accepted'],
    onFrame: (node) => {
      if (!isCatchingUp(node)) void this.read(node);
    },
  });

  private async read(node: TabNode): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    try {
      const me = node.wallet.pubkey;
      const confirmed = await node.state.chain.coinsByOwner(toHex(me));
      this.coins = walletCoins(me, confirmed, node.state.mempool, node.state.chain.height);
    } finally {
      this.reading = false;
    }
  }

  override render() {
    const top = Number.MAX_SAFE_INTEGER;
    const coins = [...this.coins].sort((a, b) => (b.height ?? top) - (a.height ?? top));
    const held = coins.filter((c) => c.state !== 'spending');
    const sum = held.reduce((s, c) => s + c.amount, 0n);
    return html`
      <details open>
        <summary>
          Coins: <output aria-label="Coin count">${held.length}</output> coin(s) adding up to
          <output aria-label="Coins total">${formatCoins(sum)}</output>
        </summary>
        <p class="muted">
          A balance is a set of coins (unspent outputs). A payment spends whole coins and pays the
          rest back as change; mining rewards mature after 10 blocks.
        </p>
        <ul class="coins" aria-label="Coins">
          ${coins.slice(0, COIN_ROWS).map(
            (c) =>
              html`<li class="coin ${c.state}" data-state=${c.state}>
                <output class="amount" aria-label="Coin amount">${formatCoins(c.amount)}</output>
                <span class=${c.state === 'spendable' ? 'ok' : 'warn'}
                  >${STATE_TEXT[c.state]}${c.state === 'maturing' ? ` (${c.maturesIn} more blocks)` : ''}</span
                ><br />
                <button
                  type="button"
                  class="link"
                  aria-label="Show coin origin ${origin(c.key)}"
                  @click=${() => requestShow(this, c.key.split(':')[0]!)}
                >
                  ${origin(c.key)}
                </button>
                <span class="muted">
                  ${
                    c.height === undefined
                      ? c.change
                        ? 'change, waiting for a block'
                        : 'waiting for a block'
                      : `${c.coinbase ? 'reward' : 'block'} ${c.height}, ${c.confirmations} conf.`
                  }
                </span>
              </li>`,
          )}
        </ul>
        ${
          coins.length > COIN_ROWS
            ? html`<p class="muted">…and ${coins.length - COIN_ROWS} more.</p>`
            : null
        }
      </details>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tc-coins': TcCoins;
  }
}
