/**
 * The classroom view (`?view=classroom`): the whole reachable network on one screen, for a
 * projector. This tab is an ordinary node; what it shows comes from the status reports it
 * hears over the wire protocol (client/net/status-relay.ts), checked against its own headers
 * (classroom-model.ts). The model is rebuilt at most every UPDATE_MS, and once a second so
 * that ages move and departed nodes drop out; the tracker is asked for the room count at most
 * every 10 s.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { TabNode } from '../../node.js';
import { panelStyles, themeTokens } from '../theme.js';
import { ClassroomModel, type ClassroomSnapshot } from './classroom-model.js';
import './tc-block-spread.js';
import './tc-network-graph.js';
import './tc-node-table.js';

/** The model is rebuilt at most this often (a burst of reports costs one rebuild). */
export const UPDATE_MS = 500;

const EMPTY: ClassroomSnapshot = { nodes: [], links: [], spreads: [], forks: [] };

@customElement('tc-classroom')
export class TcClassroom extends LitElement {
  static override styles = [
    themeTokens,
    panelStyles,
    css`
      :host {
        display: block;
        min-height: 100vh;
        background: var(--tc-bg);
        font:
          16px/1.45 system-ui,
          -apple-system,
          'Segoe UI',
          sans-serif;
      }
      header {
        background: var(--tc-panel);
        border-bottom: 1px solid var(--tc-border);
        padding: 0.6rem 1rem;
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem 1.2rem;
        align-items: baseline;
      }
      h1 {
        font-size: 1.3rem;
        margin: 0;
      }
      main {
        display: grid;
        grid-template-columns: minmax(0, 3fr) minmax(0, 2fr);
        grid-template-rows: auto 1fr;
        gap: 1rem;
        padding: 1rem;
      }
      .graph {
        grid-row: 1 / span 2;
      }
      main > section {
        background: var(--tc-panel);
        border: 1px solid var(--tc-border);
        border-radius: var(--tc-radius);
        padding: 0.8rem 1rem;
        min-width: 0;
      }
      .legend {
        font-size: 0.85rem;
      }
      @media (max-width: 900px) {
        main {
          grid-template-columns: minmax(0, 1fr);
          padding: 0.5rem;
        }
        .graph {
          grid-row: auto;
        }
      }
    `,
  ];

  /** The running node (set by main.ts once it has started). */
  @property({ attribute: false }) node: TabNode | undefined;
  @property() error = '';
  @state() private snapshot: ClassroomSnapshot = EMPTY;
  @state() private room: number | undefined;
  private model: ClassroomModel | undefined = undefined;
  private offs: (() => void)[] = [];
  private pending: ReturnType<typeof setTimeout> | undefined = undefined;
  private lastUpdate = -Infinity;
  private ticker: ReturnType<typeof setInterval> | undefined = undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.detach();
  }

  private detach(): void {
    for (const off of this.offs) off();
    this.offs = [];
    clearInterval(this.ticker);
    clearTimeout(this.pending);
    this.pending = undefined;
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (!changed.has('node')) return;
    this.detach();
    const node = this.node;
    if (!node) return;
    this.model = new ClassroomModel(node.identity.nodeId, () => Date.now());
    this.room = node.tracker.roomSize;
    this.offs.push(
      node.p2p.status.on('changed', () => this.schedule()),
      node.on('chain-changed', () => this.schedule()),
      node.tracker.on('room', (room) => (this.room = room)),
    );
    this.ticker = setInterval(() => {
      this.schedule();
      node.tracker.refreshRoom();
    }, 1000);
    this.rebuild();
  }

  /** Rebuild now if the last rebuild is UPDATE_MS old, else once when it will be. */
  private schedule(): void {
    if (this.pending !== undefined) return;
    const wait = Math.max(0, this.lastUpdate + UPDATE_MS - Date.now());
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.rebuild();
    }, wait);
  }

  private rebuild(): void {
    const node = this.node;
    if (!node || !this.model) return;
    this.lastUpdate = Date.now();
    const start = performance.now();
    this.snapshot = this.model.update(node.p2p.status.table.list(), node.state.chain);
    // The cost of one update (model and render), as a performance measure tests can read.
    void this.updateComplete.then(() =>
      performance.measure('classroom-update', { start, end: performance.now() }),
    );
  }

  override render() {
    if (this.error) return html`<p class="bad" role="alert">${this.error}</p>`;
    const node = this.node;
    const { nodes, links, spreads, forks } = this.snapshot;
    const open = forks.filter((f) => f.resolvedAt === undefined).length;
    return html`
      <header>
        <h1>Tabcoin classroom</h1>
        <span aria-live="polite" id="counts"
          ><strong class="visible">${nodes.length}</strong> nodes visible of
          <strong class="room">${this.room ?? '?'}</strong> in the tracker room</span
        >
        <span class=${open > 0 ? 'warn' : 'muted'}
          >${open > 0 ? `${open} fork${open > 1 ? 's' : ''} open` : 'no open fork'}</span
        >
        <span class="muted"
          >${node ? html`this view is node <code>${node.identity.nodeId}</code>` : 'starting…'} ·
          ${node?.params.network ?? ''}</span
        >
      </header>
      <main>
        <section class="graph" aria-label="Network graph">
          <h2>Who is linked to whom</h2>
          <tc-network-graph .nodes=${nodes} .links=${links}></tc-network-graph>
          <p class="legend muted">
            Filled: at the best height · hollow: behind · orange: on a fork · dashed grey: claim not
            verified · double ring: mining · thick outline: this view. Nodes that stop reporting
            leave within 25 s.
          </p>
        </section>
        <section aria-label="Nodes">
          <h2>Nodes</h2>
          <tc-node-table .nodes=${nodes}></tc-node-table>
        </section>
        <section aria-label="Blocks and forks">
          <tc-block-spread .spreads=${spreads} .forks=${forks}></tc-block-spread>
        </section>
      </main>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tc-classroom': TcClassroom;
  }
}
