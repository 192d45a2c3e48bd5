/**
 * The status line at the top: which node and network this tab is, the tracker, peers, height,
 * tip and its age, and a progress bar while blocks download.
 */
import { LitElement, css, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { ClockController } from './clock-controller.js';
import { formatAge, formatDuration } from './format.js';
import { NodeController } from './node-controller.js';
import { panelStyles } from './theme.js';
import { syncProgressFor } from './sync-progress.js';

@customElement('tc-status-bar')
export class TcStatusBar extends LitElement {
  static override styles = [
    panelStyles,
    css`
      dl {
        display: flex;
        flex-wrap: wrap;
        gap: 0.3rem 1.2rem;
        margin: 0;
      }
      div.item {
        display: flex;
        gap: 0.35rem;
        min-width: 0;
        align-items: baseline;
      }
      dt {
        color: var(--tc-muted);
        font-size: 0.8rem;
      }
      dd {
        margin: 0;
        font-weight: 600;
        min-width: 0;
      }
      .tip output {
        display: inline-block;
        max-width: 11rem;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
        vertical-align: bottom;
      }
      .dot {
        display: inline-block;
        width: 0.6rem;
        height: 0.6rem;
        border-radius: 50%;
        background: var(--tc-bad);
        margin-right: 0.25rem;
      }
      .dot.on {
        background: var(--tc-ok);
      }
      progress {
        width: 100%;
        margin-top: 0.4rem;
      }
    `,
  ];

  private readonly ctl = new NodeController(this, {
    events: ['changed', 'tracker', 'peer-connected', 'peer-disconnected', 'sync-progress'],
  });
  private readonly clock = new ClockController(this);

  /** Time left at the recent rate, from the node's sync meter (nothing until measurable). */
  private renderEta() {
    const node = this.ctl.node;
    const eta = node && syncProgressFor(node).view()?.etaSeconds;
    return eta === undefined
      ? null
      : html`<small class="muted"
          >about <output aria-label="Sync time left">${formatDuration(eta)}</output> left</small
        >`;
  }

  override render() {
    const node = this.ctl.node;
    if (!node) return html`<p role="status">Starting node…</p>`;
    const s = node.summary();
    const best = node.state.chain.bestHeader.height;
    return html`
      <dl aria-label="Node status">
        <div class="item">
          <dt>Node</dt>
          <dd><output aria-label="Node id">${s.nodeId}</output></dd>
        </div>
        <div class="item">
          <dt>Network</dt>
          <dd><output aria-label="Network">${s.network}</output></dd>
        </div>
        <div class="item">
          <dt>Tracker</dt>
          <dd>
            <span class="dot ${s.trackerConnected ? 'on' : ''}" aria-hidden="true"></span
            ><output aria-label="Tracker"
              >${s.trackerConnected ? 'connected' : 'not connected'}</output
            >
          </dd>
        </div>
        <div class="item">
          <dt>Peers</dt>
          <dd><output aria-label="Peers">${s.peers}</output></dd>
        </div>
        <div class="item">
          <dt>Height</dt>
          <dd><output aria-label="Height">${s.height}</output></dd>
        </div>
        <div class="item tip">
          <dt>Tip</dt>
          <dd><output class="mono" aria-label="Tip" title=${s.tip}>${s.tip}</output></dd>
        </div>
        <div class="item">
          <dt>Tip age</dt>
          <dd>
            <output aria-label="Tip age"
              >${s.height === 0 ? 'genesis' : formatAge(s.tipTime, this.clock.now)}</output
            >
          </dd>
        </div>
        <div class="item">
          <dt>Pending</dt>
          <dd><output aria-label="Pending transactions">${s.mempool}</output></dd>
        </div>
      </dl>
      ${
        s.syncing
          ? html`<progress
                aria-label="Sync progress"
                max=${Math.max(1, best)}
                .value=${s.height}
                title="Downloading blocks: ${s.height} of ${best}"
              ></progress
              >${this.renderEta()}`
          : null
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tc-status-bar': TcStatusBar;
  }
}
