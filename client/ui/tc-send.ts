/**
 * Send coins: recipient (checked as typed), amount, fee rate, and a "Sign transaction" switch;
 * a review step shows fee, change and total before anything leaves. Turned off, the switch
 * sends the transaction unsigned on purpose so the other tabs can be seen refusing it.
 */
import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { encodeAddress, type Rejection } from '../../core/index.js';
import { DEFAULT_FEE_RATE, formatCoins, parseCoins, type SendPreview } from '../wallet/wallet.js';
import { shortHash } from './format.js';
import { NodeController } from './node-controller.js';
import { checkRecipient } from './recipient-check.js';
import { requestShow } from './show-event.js';
import { panelStyles } from './theme.js';

interface Draft {
  to: string;
  amount: bigint;
  feeRate: bigint;
  sign: boolean;
}

/** What a refusal means to the person sending. */
function explain(r: Rejection): string {
  switch (r.reason) {
    case 'insufficient-funds':
      return `Not enough coins: ${r.message}.`;
    case 'immature-funds':
      return `Not spendable yet: ${r.message}.`;
    case 'wallet-locked':
      return 'The wallet is locked: unlock it under Backup with its passphrase.';
    default:
      return `${r.message} (${r.reason}).`;
  }
}

@customElement('tc-send')
export class TcSend extends LitElement {
  static override styles = [
    panelStyles,
    css`
      .switch {
        display: flex;
        align-items: center;
        gap: 0.5rem;
      }
      .switch input {
        width: 2.4rem;
        height: 1.3rem;
        accent-color: var(--tc-accent);
      }
      .warning {
        border-left: 4px solid var(--tc-bad);
        padding: 0.4rem 0.6rem;
        background: var(--tc-bg);
        margin: 0.4rem 0 0.8rem;
      }
      .review {
        border: 1px solid var(--tc-accent);
        border-radius: var(--tc-radius);
        padding: 0.6rem 0.8rem;
        margin-top: 0.6rem;
      }
      .review dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0.15rem 0.8rem;
      }
      .review dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      .hint {
        font-size: 0.8rem;
        margin-top: 0.2rem;
      }
    `,
  ];

  @state() private to = '';
  @state() private amountText = '';
  @state() private feeText = String(DEFAULT_FEE_RATE);
  @state() private sign = true;
  @state() private review: { draft: Draft; preview: SendPreview } | undefined;
  @state() private error = '';
  @state() private sent: { txid: string; fee: bigint; notice?: string } | undefined;
  @state() private busy = false;

  private readonly ctl = new NodeController(this, { events: [] });

  private draft(): Draft | string {
    const network = this.ctl.node!.params.network;
    const recipient = checkRecipient(this.to, network);
    if (recipient.state !== 'valid')
      return recipient.state === 'empty' ? 'Enter the recipient’s address.' : recipient.message;
    const amount = parseCoins(this.amountText);
    if (!amount.ok) return `Amount: ${amount.message}.`;
    if (!/^\d+$/.test(this.feeText.trim())) return 'Fee rate: a whole number of units per byte.';
    return {
      to: this.to.trim(),
      amount: amount.value,
      feeRate: BigInt(this.feeText.trim()),
      sign: this.sign,
    };
  }

  private async onReview(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const wallet = this.ctl.node?.wallet;
    if (!wallet) return;
    this.sent = undefined;
    const draft = this.draft();
    if (typeof draft === 'string') {
      this.error = draft;
      return;
    }
    this.busy = true;
    const preview = await wallet.preview(draft);
    this.busy = false;
    if (!preview.ok) this.error = explain(preview);
    else {
      this.error = '';
      this.review = { draft, preview: preview.value };
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLButtonElement>('#confirm')?.focus();
    }
  }

  private async onConfirm(): Promise<void> {
    const wallet = this.ctl.node?.wallet;
    const review = this.review;
    if (!wallet || !review) return;
    this.busy = true;
    const result = await wallet.send(review.draft);
    this.busy = false;
    this.review = undefined;
    if (!result.ok) {
      this.error = explain(result);
      return;
    }
    this.sent = result.value;
    this.to = '';
    this.amountText = '';
  }

  private renderRecipientHint() {
    const node = this.ctl.node!;
    const check = checkRecipient(this.to, node.params.network);
    if (check.state === 'empty') return null;
    if (check.state === 'valid')
      return html`<span class="ok"
        >✓
        ${check.raw ? `public key of ${shortHash(encodeAddress(check.pubkey, node.params.network), 10, 6)}` : 'valid address'}</span
      >`;
    return html`<span class=${check.state === 'invalid' ? 'bad' : 'muted'}>${check.message}</span>`;
  }

  private renderReview() {
    const { draft, preview } = this.review!;
    const node = this.ctl.node!;
    return html`<section class="review" aria-labelledby="review-heading">
      <h3 id="review-heading">Review ${draft.sign ? '' : 'unsigned '}payment</h3>
      <dl>
        <dt>To</dt>
        <dd class="mono">${encodeAddress(preview.recipient, node.params.network)}</dd>
        <dt>Amount</dt>
        <dd>${formatCoins(draft.amount)} coins</dd>
        <dt>Fee</dt>
        <dd>
          <output aria-label="Payment fee">${formatCoins(preview.fee)}</output> (${draft.feeRate}
          units/byte)
        </dd>
        <dt>Total</dt>
        <dd>
          <strong><output aria-label="Payment total">${formatCoins(preview.total)}</output></strong>
          leaves this wallet
        </dd>
        <dt>Change</dt>
        <dd>${formatCoins(preview.change)} back to you, from ${preview.inputs} coin(s)</dd>
        <dt>Signed</dt>
        <dd class=${draft.sign ? '' : 'bad'}>
          ${draft.sign ? 'yes' : 'NO: peers will refuse it and ban this tab'}
        </dd>
      </dl>
      <div class="row">
        <button id="confirm" type="button" ?disabled=${this.busy} @click=${this.onConfirm}>
          ${draft.sign ? 'Confirm and send' : 'Send unsigned'}
        </button>
        <button type="button" class="secondary" @click=${() => (this.review = undefined)}>
          Edit
        </button>
      </div>
    </section>`;
  }

  override render() {
    const node = this.ctl.node;
    if (!node) return null;
    const check = checkRecipient(this.to, node.params.network);
    return html`
      <h2>Send</h2>
      <form @submit=${this.onReview} ?inert=${!!this.review} novalidate>
        <div class="field">
          <label for="to">Recipient address</label>
          <input
            id="to"
            .value=${this.to}
            @input=${(e: Event) => {
              this.to = (e.target as HTMLInputElement).value;
              this.error = '';
            }}
            aria-invalid=${check.state === 'invalid'}
            aria-describedby="to-hint"
            autocomplete="off"
            spellcheck="false"
            placeholder="${node.params.network === 'main' ? 'tc1…' : 'tcrt1…'} or a 64-hex public key"
          />
          <div id="to-hint" class="hint" aria-live="polite">${this.renderRecipientHint()}</div>
        </div>
        <div class="row">
          <div class="field">
            <label for="amount">Amount (coins)</label>
            <input
              id="amount"
              inputmode="decimal"
              .value=${this.amountText}
              placeholder="1.5"
              autocomplete="off"
              @input=${(e: Event) => {
                this.amountText = (e.target as HTMLInputElement).value;
                this.error = '';
              }}
            />
          </div>
          <div class="field">
            <label for="fee">Fee rate (units per byte)</label>
            <input
              id="fee"
              inputmode="numeric"
              .value=${this.feeText}
              @input=${(e: Event) => {
                this.feeText = (e.target as HTMLInputElement).value;
                this.error = '';
              }}
            />
          </div>
        </div>
        <label class="switch">
          <input
            type="checkbox"
            role="switch"
            .checked=${this.sign}
            aria-describedby="sign-help"
            @change=${(e: Event) => (this.sign = (e.target as HTMLInputElement).checked)}
          />
          Sign transaction
        </label>
        <div id="sign-help">
          ${
            this.sign
              ? html`<p class="muted hint">
                  Signed with this wallet's key (BIP340 Schnorr), checked by this tab, then relayed.
                </p>`
              : html`<p class="warning">
                  Unsigned: this tab skips its own checks and sends the transaction straight to its
                  peers. Every peer refuses it (<code>bad-signature</code>) and bans this tab for a
                  while, so it loses its connections. No coins leave the wallet. Watch the refusal
                  in the other tabs' event logs.
                </p>`
          }
        </div>
        <button type="submit" ?disabled=${this.busy}>Review payment</button>
      </form>
      ${this.error ? html`<p class="bad" role="alert">${this.error}</p>` : null}
      ${this.review ? this.renderReview() : null}
      ${
        this.sent
          ? html`<div role="status">
              <p class="ok">
                ${this.sent.notice ?? 'Sent: pending until a block includes it.'}
                <button
                  type="button"
                  class="link"
                  aria-label="Show the sent transaction"
                  @click=${() => requestShow(this, this.sent!.txid)}
                >
                  ${shortHash(this.sent.txid)}
                </button>
                (fee ${formatCoins(this.sent.fee)})
              </p>
            </div>`
          : null
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tc-send': TcSend;
  }
}
