/**
 * This wallet's address (the public key in bech32m) with a copy button and a QR code, so
 * another tab or a phone can pay it.
 */
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { unsafeSVG } from 'lit/directives/unsafe-svg.js';
import QRCode from 'qrcode';
import { panelStyles } from './theme.js';

@customElement('tc-address-card')
export class TcAddressCard extends LitElement {
  static override styles = [
    panelStyles,
    css`
      .card {
        display: flex;
        gap: 0.8rem;
        align-items: flex-start;
      }
      .qr {
        flex: none;
        width: 8.5rem;
        height: 8.5rem;
        background: #fff;
        border-radius: 6px;
        padding: 0.25rem;
      }
      .qr svg {
        width: 100%;
        height: 100%;
      }
      .text {
        min-width: 0;
        flex: 1;
      }
      output {
        display: block;
        font-family: var(--tc-mono);
        font-size: 0.85rem;
        overflow-wrap: anywhere;
        margin: 0.2rem 0 0.5rem;
      }
      @media (max-width: 460px) {
        .card {
          flex-direction: column-reverse;
        }
      }
    `,
  ];

  @property() address = '';
  @state() private qr = '';
  @state() private copied = '';

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('address') || !this.address) return;
    const address = this.address;
    // Upper case fits QR's alphanumeric mode (smaller code); bech32m is case-insensitive.
    void QRCode.toString(address.toUpperCase(), {
      type: 'svg',
      margin: 1,
      errorCorrectionLevel: 'M',
    })
      .then((svgText) => {
        if (this.address === address) this.qr = svgText;
      })
      .catch(() => (this.qr = ''));
  }

  private async copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.address);
      this.copied = 'Address copied to the clipboard.';
    } catch {
      // No clipboard permission: select the text so Ctrl+C works.
      const output = this.renderRoot.querySelector('output');
      if (output) getSelection()?.selectAllChildren(output);
      this.copied = 'Copying was not allowed: the address is selected, press Ctrl+C.';
    }
    setTimeout(() => (this.copied = ''), 4000);
  }

  override render() {
    return html`
      <div class="card">
        <div class="qr" role="img" aria-label="QR code of this wallet's address">
          ${this.qr ? unsafeSVG(this.qr) : null}
        </div>
        <div class="text">
          <strong id="address-label">Your address</strong>
          <output aria-labelledby="address-label">${this.address}</output>
          <button type="button" @click=${this.copy}>Copy address</button>
          <span role="status" class="muted">${this.copied}</span>
          <p class="muted">
            Share it to get paid. It is your public key: a typo in it fails its checksum.
          </p>
        </div>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tc-address-card': TcAddressCard;
  }
}
