/**
 * How the recent blocks spread (who had each one when, in order, in milliseconds after the
 * first node had it) and the forks seen: their branches with the nodes on each, and how each
 * resolved. Times are on this view's clock, from the ages in the status reports.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { shortHash } from '../format.js';
import { panelStyles } from '../theme.js';
import type { BlockSpread, ForkRecord } from './classroom-model.js';

const clockTime = (ms: number) => new Date(ms).toLocaleTimeString();

@customElement('tc-block-spread')
export class TcBlockSpread extends LitElement {
  static override styles = [
    panelStyles,
    css`
      ol {
        margin: 0.2rem 0 0.6rem;
        padding-left: 1.4rem;
        columns: 12rem auto;
        font-size: 0.9rem;
      }
      li {
        break-inside: avoid;
      }
      .fork {
        border-left: 4px solid var(--tc-side);
        padding-left: 0.6rem;
        margin: 0.4rem 0;
      }
      .fork.resolved {
        border-left-color: var(--tc-ok);
      }
    `,
  ];

  @property({ attribute: false }) spreads: BlockSpread[] = [];
  @property({ attribute: false }) forks: ForkRecord[] = [];

  override render() {
    return html`
      <h2>Blocks spreading</h2>
      ${
        this.spreads.length === 0
          ? html`<p class="muted">No block yet: mine one in any tab.</p>`
          : this.spreads.map(
              (s) =>
                html`<section class="spread" data-block=${s.id} aria-label="Block ${s.height}">
                  <h3>
                    Block ${s.height} <span class="mono">${shortHash(s.id)}</span>
                    <span class="muted">first seen ${clockTime(s.firstAt)}</span>
                  </h3>
                  <ol>
                    ${s.steps.map(
                      (step) =>
                        html`<li data-node=${step.node}>
                          ${step.label} <span class="muted">+${step.offsetMs} ms</span>
                        </li>`,
                    )}
                  </ol>
                </section>`,
            )
      }
      <h2>Forks</h2>
      ${
        this.forks.length === 0
          ? html`<p class="muted">No fork seen yet.</p>`
          : this.forks.map((f) => this.renderFork(f))
      }
    `;
  }

  private renderFork(f: ForkRecord) {
    const resolved = f.resolvedAt !== undefined;
    return html`<div
      class="fork ${resolved ? 'resolved' : 'open'}"
      data-fork=${f.forkPoint}
      role="group"
      aria-label="Fork after block ${f.height}"
    >
      <strong>Fork after block ${f.height}</strong>
      <span class="muted">seen ${clockTime(f.seenAt)}</span>
      <span class="status"
        >${
          resolved
            ? html`<span class="ok"
                >resolved after ${((f.resolvedAt! - f.seenAt) / 1000).toFixed(1)} s</span
              >`
            : html`<span class="warn">open</span>`
        }</span
      >
      <ul>
        ${f.branches.map(
          (b) =>
            html`<li data-branch=${b.root}>
              branch <span class="mono">${shortHash(b.root)}</span> to height ${b.height}:
              ${b.nodes.join(', ')}
              ${resolved && b.root === f.winner ? html`<strong class="ok">won</strong>` : null}
            </li>`,
        )}
      </ul>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tc-block-spread': TcBlockSpread;
  }
}
