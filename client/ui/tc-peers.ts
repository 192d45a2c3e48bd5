/**
 * Peers and bans: each link's state, direction, round-trip time, bytes in and out, height and
 * misbehaviour score (from the node's peer stats), who is banned, until when, and why, and how
 * much of the browser's WebRTC connection budget this tab has used.
 */
import { LitElement, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { budgetLine } from './budget-status.js';
import { formatBytes } from './format.js';
import { linkSummary } from './link-status.js';
import { NodeController } from './node-controller.js';
import { panelStyles } from './theme.js';
import './tc-link-attempts.js';

@customElement('tc-peers')
export class TcPeers extends LitElement {
  static override styles = [panelStyles];

  // Counters (bytes, RTT) move with traffic; traffic comes with these events.
  private readonly ctl = new NodeController(this, {
    events: ['peer-connected', 'peer-disconnected', 'banned', 'changed', 'links'],
  });

  override render() {
    const node = this.ctl.node;
    if (!node) return null;
    const peers = node.p2p.peerStats();
    const bans = node.p2p.bans.list(Date.now());
    const status = node.mesh.status();
    const summary = linkSummary(status, peers.length);
    return html`
      <h2 id="peers-heading">Peers</h2>
      ${
        summary !== undefined
          ? html`<p class="muted" role="status" aria-label="Link status">${summary}</p>`
          : html`<div class="scroll">
              <table aria-label="Connected peers">
                <thead>
                  <tr>
                    <th>Peer</th>
                    <th>State</th>
                    <th class="num">RTT</th>
                    <th class="num">In</th>
                    <th class="num">Out</th>
                    <th class="num">Height</th>
                    <th class="num">Score</th>
                  </tr>
                </thead>
                <tbody>
                  ${peers.map(
                    (p) =>
                      html`<tr>
                        <td class="mono" title=${p.userAgent ?? ''}>${p.id}</td>
                        <td>${p.state} <span class="muted">${p.inbound ? 'in' : 'out'}</span></td>
                        <td class="num">${p.rttMs === undefined ? '—' : `${p.rttMs} ms`}</td>
                        <td class="num">${formatBytes(p.bytesIn)}</td>
                        <td class="num">${formatBytes(p.bytesOut)}</td>
                        <td class="num">${p.height ?? '—'}</td>
                        <td class="num">${p.misbehaviour}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
      }
      <tc-link-attempts></tc-link-attempts>
      <p
        class=${status.budget.level === 'ok' ? 'muted' : 'warn'}
        role="status"
        aria-label="Connection budget"
      >
        ${budgetLine(status.budget)}
      </p>
      <h3 id="bans-heading">Banned peers</h3>
      ${
        bans.length === 0
          ? html`<p class="muted">Nobody is banned.</p>`
          : html`<div class="scroll">
              <table aria-labelledby="bans-heading">
                <thead>
                  <tr>
                    <th>Peer</th>
                    <th>Until</th>
                    <th>Why</th>
                  </tr>
                </thead>
                <tbody>
                  ${bans.map(
                    (b) =>
                      html`<tr>
                        <td class="mono">${b.id}</td>
                        <td>${new Date(b.until).toLocaleTimeString()}</td>
                        <td>${b.reason}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tc-peers': TcPeers;
  }
}
