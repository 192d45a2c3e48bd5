/**
 * Every node the classroom view can see, one row each: name (or "anonymous n"), height and tip
 * as verified against this node's headers (an unverifiable claim is shown grey as a claim),
 * mining, hashrate, peer count, distance in hops and how old its last report is.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { formatHashrate, shortHash } from '../format.js';
import { panelStyles } from '../theme.js';
import type { ClassroomNode } from './classroom-model.js';

function heightCell(node: ClassroomNode) {
  if (node.claim === 'verified') return html`${node.height}`;
  const why = node.claim === 'false' ? 'false: its tip is not at that height' : 'unverified';
  return html`<span class="muted" title="this node does not know that tip"
    >claims ${node.claimedHeight} (${why})</span
  >`;
}

@customElement('tc-node-table')
export class TcNodeTable extends LitElement {
  static override styles = [
    panelStyles,
    css`
      tr.fork td:first-child {
        border-left: 4px solid var(--tc-side);
      }
      tr.self td:first-child {
        font-weight: 700;
      }
      .mining {
        color: var(--tc-ok);
        font-weight: 600;
      }
      td.tip {
        white-space: nowrap;
      }
      @media (max-width: 640px) {
        .wide-only {
          display: none;
        }
      }
    `,
  ];

  @property({ attribute: false }) nodes: ClassroomNode[] = [];

  override render() {
    const rows = [...this.nodes].sort(
      (a, b) => Number(b.self) - Number(a.self) || a.label.localeCompare(b.label),
    );
    return html`<div class="scroll">
      <table aria-label="Nodes">
        <thead>
          <tr>
            <th>Node</th>
            <th class="num">Height</th>
            <th class="wide-only">Tip</th>
            <th>Mining</th>
            <th class="num wide-only">Hashrate</th>
            <th class="num">Peers</th>
            <th class="num wide-only">Hops</th>
            <th class="num wide-only">Report</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (n) =>
              html`<tr
                data-node=${n.id}
                class="${n.branch === 'fork' ? 'fork' : ''} ${n.self ? 'self' : ''}"
              >
                <td class="name">
                  ${n.label}${n.self ? html` <span class="muted">(this view)</span>` : null}
                  ${n.branch === 'fork' ? html` <span class="warn">on a fork</span>` : null}
                </td>
                <td class="num height">${heightCell(n)}</td>
                <td class="mono tip wide-only" title=${n.tip}>${shortHash(n.tip)}</td>
                <td class=${n.mining ? 'mining' : 'muted'}>${n.mining ? 'mining' : 'idle'}</td>
                <td class="num wide-only">${n.mining ? formatHashrate(n.hashrate) : '—'}</td>
                <td class="num peers">${n.peerCount}</td>
                <td class="num wide-only">${n.distance}</td>
                <td class="num muted wide-only">${(n.ageMs / 1000).toFixed(0)} s ago</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tc-node-table': TcNodeTable;
  }
}
