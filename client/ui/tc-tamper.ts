/**
 * "Tamper with history (locally)": edit one output of one transaction of a block and watch
 * what breaks — txid, wtxid, merkle root, block hash, proof of work, and the link of every
 * following block — all recomputed on copies by block-explain.ts; nothing is sent or stored.
 * With the attack lab on (`&lab=1`), "Send it to the network" hands the edited transactions
 * under the block's original header to the lab, and the peers refuse it (`bad-merkle-root`).
 */
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import {
  encodeAddress,
  parseRecipient,
  txidHex,
  wtxid,
  type Block,
  type BlockHeader,
  type NetworkName,
} from '../../core/index.js';
import { parseCoins } from '../wallet/amount-text.js';
import { formatCoins } from '../wallet/wallet.js';
import { tamperBlock, type HashChange, type Tampered } from './block-explain.js';
import { leafLabel } from './tc-merkle-tree.js';
import { panelStyles } from './theme.js';
import './tc-merkle-tree.js';

@customElement('tc-tamper')
export class TcTamper extends LitElement {
  static override styles = [
    panelStyles,
    css`
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: end;
      }
      label {
        display: flex;
        flex-direction: column;
        font-size: 0.85rem;
      }
      table {
        width: 100%;
        font-size: 0.85rem;
        border-collapse: collapse;
      }
      td,
      th {
        text-align: left;
        vertical-align: top;
        padding: 0.15rem 0.3rem;
        overflow-wrap: anywhere;
      }
      @media (max-width: 560px) {
        td {
          display: block;
        }
      }
      tr[data-state='broken'] td:first-child {
        color: var(--tc-bad);
        font-weight: bold;
      }
      tr[data-state='ok'] td:first-child {
        color: var(--tc-ok);
      }
    `,
  ];

  @property({ attribute: false }) block: Block | undefined;
  @property({ type: Number }) height = 0;
  /** Headers of the blocks after this one on the active chain, in order. */
  @property({ attribute: false }) following: BlockHeader[] = [];
  @property() network: NetworkName = 'main';
  /** The attack lab is on: offer "Send it to the network". */
  @property({ type: Boolean }) lab = false;
  /** Sends a block through the attack lab; returns the number of peers it went to. */
  @property({ attribute: false }) send: ((block: Block) => number) | undefined;
  @state() private tx = 0;
  @state() private output = 0;
  @state() private result: Tampered | undefined;
  @state() private error = '';
  @state() private sent = '';

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('block')) {
      this.tx = Math.min(1, (this.block?.txs.length ?? 1) - 1);
      this.output = 0;
      this.result = undefined;
      this.sent = '';
    }
  }

  private apply(e: Event): void {
    e.preventDefault();
    const block = this.block;
    if (!block) return;
    const data = new FormData(e.target as HTMLFormElement);
    const amountText = String(data.get('amount') ?? '').trim();
    const recipientText = String(data.get('recipient') ?? '').trim();
    this.error = '';
    this.sent = '';
    let amount: bigint | undefined;
    let pubkey: Uint8Array | undefined;
    if (amountText) {
      const parsed = parseCoins(amountText);
      if (!parsed.ok) {
        this.error = parsed.message;
        return;
      }
      amount = parsed.value;
    }
    try {
      if (recipientText) pubkey = parseRecipient(recipientText, this.network);
    } catch (err) {
      this.error = (err as Error).message;
      return;
    }
    this.result = tamperBlock(
      block,
      this.height,
      { tx: this.tx, output: this.output, amount, pubkey },
      this.following,
    );
  }

  private doSend(): void {
    if (!this.result || !this.send) return;
    const peers = this.send(this.result.underOriginalHeader);
    this.sent =
      peers === 0
        ? 'No peer is linked: nothing was sent.'
        : `Sent to ${peers} peer(s). Their event logs show the refusal (bad-merkle-root) and they ban this tab for a while.`;
  }

  private row(check: string, label: string, c: HashChange, why: string) {
    return html`<tr data-check=${check} data-state=${c.changed ? 'broken' : 'ok'}>
      <td>${label}: ${c.changed ? why : 'unchanged'}</td>
      <td class="mono">${c.before}${c.changed ? html`<br />→ ${c.after}` : null}</td>
    </tr>`;
  }

  private renderResult(t: Tampered) {
    const powBroken = t.pow.before && !t.pow.after;
    const others = t.otherTxids.filter((c) => !c.changed).length;
    return html`
      <table aria-label="What the edit breaks">
        ${this.row('txid', 'Txid', t.txid, 'changed')}
        ${this.row('wtxid', 'Wtxid (merkle leaf)', t.wtxid, 'changed')}
        ${this.row('merkle-root', 'Merkle root', t.merkleRoot, "no longer the header's")}
        ${this.row('block-hash', 'Block hash', t.blockHash, 'changed')}
        <tr data-check="pow" data-state=${powBroken ? 'broken' : 'ok'}>
          <td>
            Proof of work:
            ${
              powBroken
                ? 'broken: the new hash is above the target'
                : t.blockHash.changed
                  ? 'still meets the target by chance (regtest accepts about half of all hashes)'
                  : 'holds'
            }
          </td>
          <td class="mono">${t.blockHash.after}</td>
        </tr>
        <tr data-check="other-txids" data-state="ok">
          <td>Other transactions: ${others} of ${t.otherTxids.length} txids unchanged</td>
          <td></td>
        </tr>
        ${t.following.map(
          (f) =>
            html`<tr data-check="link-${f.height}" data-state=${f.linked ? 'ok' : 'broken'}>
              <td>
                Block ${f.height}:
                ${
                  f.linked
                    ? 'linked'
                    : `link broken: its prev-hash no longer names its parent${f.relinkedPow ? '' : '; re-pointed, it would need new proof of work'}`
                }
              </td>
              <td class="mono">
                prev-hash ${f.prevHash}${f.linked ? null : html`<br />parent now ${f.parentHash}`}
              </td>
            </tr>`,
        )}
      </table>
      <details>
        <summary>The tampered merkle tree (changed hashes in red)</summary>
        <tc-merkle-tree
          .leaves=${t.block.txs.map(wtxid)}
          .labels=${t.block.txs.map((tx, i) => leafLabel(i, txidHex(tx)))}
          .root=${t.underOriginalHeader.header.merkleRoot}
          .changed=${t.tree.map((level) => level.map((n) => n.changed))}
          selected=${this.tx}
        ></tc-merkle-tree>
      </details>
    `;
  }

  override render() {
    const block = this.block;
    if (!block) return null;
    const outputs = block.txs[this.tx]?.outputs ?? [];
    const current = outputs[this.output];
    return html`
      <p class="muted">
        Edit an output of one transaction. Everything below is recomputed in this tab on a copy:
        nothing is sent or stored.
      </p>
      <form @submit=${this.apply} aria-label="Tamper with this block">
        <label>
          Transaction
          <select
            name="tx"
            @change=${(e: Event) => {
              this.tx = Number((e.target as HTMLSelectElement).value);
              this.output = 0;
            }}
          >
            ${block.txs.map(
              (tx, i) =>
                html`<option value=${i} ?selected=${i === this.tx}>
                  ${leafLabel(i, txidHex(tx))}
                </option>`,
            )}
          </select>
        </label>
        <label>
          Output
          <select
            name="output"
            @change=${(e: Event) => (this.output = Number((e.target as HTMLSelectElement).value))}
          >
            ${outputs.map(
              (o, i) =>
                html`<option value=${i} ?selected=${i === this.output}>
                  ${i}: ${formatCoins(o.amount)}
                </option>`,
            )}
          </select>
        </label>
        <label>
          New amount
          <input
            name="amount"
            inputmode="decimal"
            placeholder=${current ? formatCoins(current.amount) : ''}
          />
        </label>
        <label>
          New recipient
          <input
            name="recipient"
            placeholder=${current ? encodeAddress(current.pubkey, this.network).slice(0, 14) + '…' : ''}
          />
        </label>
        <button type="submit">Apply the edit (locally)</button>
      </form>
      ${this.error ? html`<p class="bad" role="alert">${this.error}</p>` : null}
      ${this.result ? this.renderResult(this.result) : null}
      ${
        this.result && this.result.txid.changed
          ? this.lab
            ? html`<p>
                  <button type="button" @click=${this.doSend}>Send it to the network</button>
                  <span class="muted"
                    >The attack lab sends your edited transactions under the block's original header
                    (the one the next block links to).</span
                  >
                </p>
                ${this.sent ? html`<p role="status">${this.sent}</p>` : null}`
            : html`<p class="muted">
                Add <span class="mono">&amp;lab=1</span> to the address to send it through the
                attack lab and watch the network refuse it.
              </p>`
          : null
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tc-tamper': TcTamper;
  }
}
