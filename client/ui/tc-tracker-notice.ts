/**
 * What the tracker's state means for this tab, in words: while it is unreachable, what still
 * works (the chain, wallet and miner, and every link already open) and where new links can
 * still come from (this browser's other tabs, the peers' links); and, once it is back, that it is.
 * Nothing while the tracker has never failed.
 */
import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { NodeController } from './node-controller.js';
import { panelStyles } from './theme.js';

@customElement('tc-tracker-notice')
export class TcTrackerNotice extends LitElement {
  static override styles = [
    panelStyles,
    css`
      p {
        margin: 0.4rem 0 0;
        font-size: 0.9rem;
        border-left: 4px solid var(--tc-warn);
        padding-left: 0.5rem;
      }
      p.back {
        border-left-color: var(--tc-ok);
      }
    `,
  ];

  /** The tracker failed at least once since this tab started (else there is nothing to say). */
  @state() private failed = false;
  @state() private dismissed = false;

  private readonly ctl = new NodeController(this, {
    events: ['peer-connected', 'peer-disconnected'],
    watch: (node, schedule) => [
      node.on('tracker', ({ connected }) => {
        if (!connected) this.failed = true;
        this.dismissed = false;
        schedule();
      }),
    ],
  });

  override render() {
    const node = this.ctl.node;
    if (!node || !this.failed || this.dismissed) return html`<div role="status"></div>`;
    const links = [...node.p2p.peers.values()].filter((p) => p.state === 'ready').length;
    if (node.tracker.connected)
      return html`<div role="status">
        <p class="back">
          Tracker reconnected: new tabs can find this one again.
          <button type="button" class="link" @click=${() => (this.dismissed = true)}>OK</button>
        </p>
      </div>`;
    const still =
      links === 0
        ? 'This tab has no links open, so it works alone for now: its chain, wallet and miner keep working.'
        : `The ${links} link${links === 1 ? '' : 's'} already open keep${links === 1 ? 's' : ''} working: blocks and payments still reach ${links === 1 ? 'that peer' : 'those peers'}, and this tab's chain, wallet and miner work as before.`;
    return html`<div role="status">
      <p>
        <strong>Tracker unreachable, retrying.</strong> ${still} Until it is back, new links come
        only from the other tabs of this browser and through the peers' own links.
      </p>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tc-tracker-notice': TcTrackerNotice;
  }
}
