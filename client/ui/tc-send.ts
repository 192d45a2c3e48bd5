/**
 * Send coins: recipient (checked as typed), amount, fee rate, and a "Sign transaction" switch;
 * a review step shows fee, change and total before anything leaves. Turned off, the switch
 * sends the transaction unsigned on purpose so the other tabs can be seen refusing it.
 */
import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { COIN, encodeAddress, estimateTxSize, type Rejection } from '../../core/index.js';
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

/** Reasons whose message already says everything (no code in brackets after it). */
const PLAIN_REASONS = new Set(['bad-amount', 'bad-fee', 'bad-address', 'wrong-network']);

/** What a refusal means to the person sending. */
function explain(r: Rejection): string {
  switch (r.reason) {
    case 'insufficient-funds':
      return `Not enough coins: ${r.message}.`;
    case 'fee-not-covered':
      return `Not enough left for the fee: ${r.message}.`;
    case 'unconfirmed-funds':
      return `Waiting for a block: ${r.message}.`;
    case 'immature-funds':
      return `Not spendable yet: ${r.message}.`;
    case 'wallet-locked':
      return 'The wallet is locked: unlock it under Backup with its passphrase.';
    default:
      return PLAIN_REASONS.has(r.reason) ? `${r.message}.` : `${r.message} (${r.reason}).`;
  }
}

/** Bytes of a signed one-input, two-output payment (the common case, for the fee hint). */
const TYPICAL_PAYMENT_BYTES = estimateTxSize(1, 2);

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
  /** Said after "Send everything" filled in the amount. */
  @state() private allNote = '';

  private readonly ctl = new NodeController(this, { events: [] });

  private draft(): Draft | string {
    const network = this.ctl.node!.params.network;
    const recipient = checkRecipient(this.to, network);
    if (recipient.state !== 'valid')
      return recipient.state === 'empty' ? 'Enter the recipient’s address.' : recipient.message;
    const amount = parseCoins(this.amountText);
    if (!amount.ok) return `Amount: ${amount.message}.`;
    if (amount.value === 0n)
      return 'Amount: enter more than 0 (the smallest amount is 0.00000001 coins).';
    if (!/^\d+$/.test(this.feeText.trim()))
      return 'Fee rate: a whole number of base units per byte (1 coin = 100,000,000 units).';
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
      await this.focusResult();
      return;
    }
    this.busy = true;
    const preview = await wallet.preview(draft);
    this.busy = false;
    if (!preview.ok) {
      this.error = explain(preview);
      await this.focusResult();
    } else {
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
      await this.focusResult();
      return;
    }
    this.sent = result.value;
    this.to = '';
    this.amountText = '';
    // The switch goes back on: the next payment is signed unless turned off again on purpose.
    this.sign = true;
    await this.focusResult();
  }

  /** Back to the form, focus on its first field (the review goes away with the old focus). */
  private async onEdit(): Promise<void> {
    this.review = undefined;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('#to')?.focus();
  }

  /** Move focus to what the last action produced (the sent notice, or the error). */
  private async focusResult(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#send-result, #send-error')?.focus();
  }

  /** Fill in the largest amount the spendable coins can pay at the entered fee rate. */
  private async onSendAll(): Promise<void> {
    const wallet = this.ctl.node?.wallet;
    if (!wallet) return;
    const rate = this.feeText.trim();
    if (!/^\d+$/.test(rate)) {
      this.error = 'Fee rate: a whole number of base units per byte (1 coin = 100,000,000 units).';
      await this.focusResult();
      return;
    }
    const all = await wallet.sendableAll(BigInt(rate));
    if (all.amount === 0n) {
      this.error = 'Nothing is spendable yet: mined rewards need blocks to mature first.';
      await this.focusResult();
      return;
    }
    this.error = '';
    this.amountText = formatCoins(all.amount);
    this.allNote =
      `Everything spendable: ${formatCoins(all.amount)} coins, leaving exactly the fee of ` +
      `${formatCoins(all.fee)} (${all.inputs} coin${all.inputs === 1 ? '' : 's'}, no change).`;
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

  private renderFeeHint() {
    const wallet = this.ctl.node!.wallet;
    const suggestion = wallet.suggestedFeeRate();
    const rate = /^\d+$/.test(this.feeText.trim()) ? BigInt(this.feeText.trim()) : undefined;
    const example =
      rate === undefined
        ? null
        : html`: a typical payment (${TYPICAL_PAYMENT_BYTES} bytes) then pays
          ${formatCoins(rate * BigInt(TYPICAL_PAYMENT_BYTES))} coins`;
    return html`<div id="fee-hint" class="hint muted">
      A unit is the smallest amount, 1/${COIN.toLocaleString('en')} of a coin; the fee is this rate
      times the transaction's size in bytes${example}. Suggested now:
      <strong>${suggestion.rate}</strong> (${suggestion.reason}).
      ${
        rate === suggestion.rate
          ? null
          : html`<button
              type="button"
              class="link"
              @click=${() => (this.feeText = String(suggestion.rate))}
            >
              Use ${suggestion.rate}
            </button>`
      }
    </div>`;
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
        <button type="button" class="secondary" @click=${this.onEdit}>Edit</button>
      </div>
    </section>`;
  }

  private renderSent(sent: { txid: string; fee: bigint; notice?: string }) {
    const txLink = html`<button
      type="button"
      class="link mono"
      aria-label="Show transaction ${shortHash(sent.txid)}"
      @click=${() => requestShow(this, sent.txid)}
    >
      ${shortHash(sent.txid)}
    </button>`;
    // An unsigned send is no success: it is an attack on purpose, and nothing left the wallet.
    if (sent.notice)
      return html`<div role="status">
        <p id="send-result" class="warning" tabindex="-1">${sent.notice} ${txLink}</p>
      </div>`;
    return html`<div role="status">
      <p id="send-result" class="ok" tabindex="-1">
        Sent: pending until a block includes it. ${txLink} (fee ${formatCoins(sent.fee)})
      </p>
    </div>`;
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
              aria-describedby="amount-hint"
              @input=${(e: Event) => {
                this.amountText = (e.target as HTMLInputElement).value;
                this.error = '';
                this.allNote = '';
              }}
            />
            <div id="amount-hint" class="hint muted" aria-live="polite">${this.allNote}</div>
          </div>
          <div class="field">
            <label for="fee">Fee rate (units per byte)</label>
            <input
              id="fee"
              inputmode="numeric"
              .value=${this.feeText}
              aria-describedby="fee-hint"
              @input=${(e: Event) => {
                this.feeText = (e.target as HTMLInputElement).value;
                this.error = '';
                this.allNote = '';
              }}
            />
            ${this.renderFeeHint()}
          </div>
        </div>
        <div class="row">
          <button type="button" class="secondary" @click=${this.onSendAll}>Send everything</button>
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
      ${
        this.error
          ? html`<p id="send-error" class="bad" role="alert" tabindex="-1">${this.error}</p>`
          : null
      }
      ${this.review ? this.renderReview() : null} ${this.sent ? this.renderSent(this.sent) : null}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tc-send': TcSend;
  }
}
