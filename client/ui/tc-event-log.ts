/**
 * The event log: what this tab accepted and refused (each refusal with its reason and the
 * peer that sent it), bans, peers coming and going, reorgs and notices. Newest first, bounded
 * (the journal keeps MAX_LOG_ENTRIES), re-rendered at most once per frame.
 */
import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { NodeController } from './node-controller.js';
import { journalFor } from './node-journal.js';
import { shortHash } from './format.js';
import { requestShow } from './show-event.js';
import { panelStyles } from './theme.js';

@customElement('tc-event-log')
export class TcEventLog extends LitElement {
  static override styles = [
    panelStyles,
    css`
      ol {
        list-style: none;
        margin: 0.4rem 0 0;
        padding: 0;
        max-height: 22rem;
        overflow: auto;
        font-family: var(--tc-mono);
        font-size: 0.78rem;
        border: 1px solid var(--tc-border);
        border-radius: var(--tc-radius);
      }
      li {
        padding: 0.2rem 0.5rem;
        border-bottom: 1px solid var(--tc-border);
        overflow-wrap: anywhere;
      }
      li.refused,
      li.banned,
      li.link {
        color: var(--tc-bad);
      }
      li.reorg {
        color: var(--tc-side);
      }
      time {
        color: var(--tc-muted);
        margin-right: 0.4rem;
      }
      .kind {
        font-weight: 700;
        margin-right: 0.3rem;
      }
      label {
        display: inline-flex;
        gap: 0.3rem;
        font-weight: normal;
      }
    `,
  ];

  @state() private refusalsOnly = false;

  private readonly ctl = new NodeController(this, {
    events: [],
    watch: (node, schedule) => [journalFor(node).on('changed', schedule)],
  });

  override render() {
    const node = this.ctl.node;
    if (!node) return null;
    const all = journalFor(node).entries();
    const shown = this.refusalsOnly
      ? all.filter((e) => e.kind === 'refused' || e.kind === 'banned')
      : all;
    return html`
      <h2 id="log-heading">Event log</h2>
      <div class="row">
        <label
          ><input
            type="checkbox"
            .checked=${this.refusalsOnly}
            @change=${(e: Event) => (this.refusalsOnly = (e.target as HTMLInputElement).checked)}
          />Only refusals and bans</label
        >
        <span class="muted">${all.length} event(s) kept, newest first</span>
      </div>
      <ol aria-labelledby="log-heading">
        ${repeat(
          shown,
          (e) => e.seq,
          (e) =>
            html`<li class=${e.kind}>
              <time datetime=${new Date(e.time).toISOString()}
                >${new Date(e.time).toLocaleTimeString()}</time
              >${
                // "peer x connected", "refused tx …": the text names its kind already.
                e.text.startsWith(e.kind) ? null : html`<span class="kind">${e.kind}</span>`
              }${e.text}
              ${
                e.id && e.kind !== 'refused'
                  ? html`<button
                      type="button"
                      class="link"
                      aria-label="show ${shortHash(e.id)}"
                      @click=${() => requestShow(this, e.id!)}
                    >
                      show
                    </button>`
                  : null
              }
            </li>`,
        )}
      </ol>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tc-event-log': TcEventLog;
  }
}
