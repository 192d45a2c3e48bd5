/**
 * The recent block tree: the active chain and every side branch this tab knows (side branches
 * are pruned PRUNE_DEPTH blocks behind the tip), blocks that a reorg took off the active chain
 * marked, and the forks and reorgs this tab went through (kept until the user clears them). A block opens in the explorer (`tc-show`).
 */
import { LitElement, css, html, svg } from 'lit';
import { customElement } from 'lit/decorators.js';
import { PRUNE_DEPTH } from '../../core/index.js';
import { layoutForks, type TreeNode } from './fork-layout.js';
import { shortHash } from './format.js';
import { NodeController } from './node-controller.js';
import { journalFor, type ForkRecord } from './node-journal.js';
import { requestShow } from './show-event.js';
import { panelStyles } from './theme.js';

/** Heights shown. */
export const TREE_DEPTH = 24;
const DX = 30;
const DY = 28;
const PAD = 16;

@customElement('tc-fork-tree')
export class TcForkTree extends LitElement {
  static override styles = [
    panelStyles,
    css`
      /* The newest blocks stay in view (the tree grows to the right): a row-reverse flex box
         starts scrolled to its end, with no script reading the layout after each render (that
         forced a layout of the whole page, about 10% of a sync's main thread). */
      .scroll {
        display: flex;
        flex-direction: row-reverse;
        border: 1px solid var(--tc-border);
        border-radius: var(--tc-radius);
        background: var(--tc-bg);
      }
      svg {
        display: block;
      }
      line {
        stroke: var(--tc-border);
        stroke-width: 2;
      }
      line.active {
        stroke: var(--tc-accent);
      }
      circle {
        fill: var(--tc-accent);
        stroke: var(--tc-panel);
        stroke-width: 2;
        cursor: pointer;
      }
      circle.side {
        fill: var(--tc-side);
      }
      circle.header {
        fill: var(--tc-bg);
        stroke: var(--tc-side);
        stroke-dasharray: 3 2;
      }
      circle.invalid {
        fill: var(--tc-bad);
      }
      circle.reorged {
        stroke: var(--tc-bad);
        stroke-width: 3;
      }
      g:focus-visible circle {
        stroke: var(--tc-focus);
        stroke-width: 4;
      }
      text {
        fill: var(--tc-muted);
        font-size: 10px;
        font-family: var(--tc-mono);
      }
      .legend {
        font-size: 0.8rem;
      }
      .legend span::before {
        content: '●';
        margin: 0 0.2rem 0 0.6rem;
      }
      .legend .a::before {
        color: var(--tc-accent);
      }
      .legend .s::before {
        color: var(--tc-side);
      }
      .legend .h::before {
        content: '◌';
        color: var(--tc-side);
      }
      .legend .i::before {
        color: var(--tc-bad);
      }
      .legend .r::before {
        content: '◯';
        color: var(--tc-bad);
      }
      ul {
        margin: 0.3rem 0;
        padding-left: 1.2rem;
        font-size: 0.85rem;
      }
    `,
  ];

  private readonly ctl = new NodeController(this, {
    events: ['chain-changed', 'block-accepted', 'changed'],
  });

  private describe(node: TreeNode, reorged: boolean): string {
    const e = node.entry;
    const state = node.active
      ? 'active chain'
      : node.downloading
        ? 'downloading'
        : e.status === 'invalid'
          ? 'invalid'
          : e.status === 'header'
            ? 'side branch, header only'
            : 'side branch';
    return `Block ${e.height} ${shortHash(e.id)}, ${state}${reorged ? ', replaced in a reorg' : ''}`;
  }

  /** Forks and reorgs this tab saw, kept (unlike pruned side branches) until cleared. */
  private renderHistory(forks: readonly ForkRecord[], clear: () => void) {
    const blocks = (ids: readonly string[]) =>
      ids.map(
        (id, i) =>
          html`${i > 0 ? ', ' : ''}<button
              type="button"
              class="link"
              aria-label="Show block ${shortHash(id)}"
              @click=${() => requestShow(this, id)}
            >
              ${shortHash(id)}
            </button>`,
      );
    return html`<h3 id="forks-heading">Forks and reorgs seen by this tab</h3>
      ${
        forks.length === 0
          ? html`<p class="muted">None yet: mine in two tabs at once to see one.</p>`
          : html`<ul aria-labelledby="forks-heading">
                ${forks.map(
                  (f) =>
                    html`<li>
                      ${new Date(f.time).toLocaleTimeString()}:
                      ${
                        f.kind === 'reorg'
                          ? html`<strong>reorg</strong> above height ${f.forkHeight}:
                              ${f.lost.length} block(s) replaced (${blocks(f.lost)}) by
                              ${f.won.length} (${blocks(f.won)})`
                          : html`<strong>fork</strong> above height ${f.forkHeight}:
                              ${f.lost.length} block(s) lost the race (${blocks(f.lost)}) to
                              ${blocks(f.won)}`
                      }
                    </li>`,
                )}
              </ul>
              <button type="button" class="secondary" @click=${clear}>Clear fork history</button>`
      }`;
  }

  override render() {
    const node = this.ctl.node;
    if (!node) return null;
    const journal = journalFor(node);
    const layout = layoutForks(node.state.chain, TREE_DEPTH);
    const x = (height: number) => PAD + (height - layout.minHeight) * DX;
    const y = (lane: number) => PAD + 10 + lane * DY;
    const width = x(layout.maxHeight) + PAD;
    const height = y(layout.lanes - 1) + PAD;
    const byId = new Map(layout.nodes.map((n) => [n.entry.id, n]));
    const ticks = layout.nodes.filter((n) => n.active && n.entry.height % 5 === 0);
    const summary =
      `Block tree from height ${layout.minHeight} to ${layout.maxHeight}: ` +
      `${layout.branches.length} side branch(es), ${journal.reorgs.length} reorg(s) seen.`;
    return html`
      <h3 id="fork-heading">Fork tree</h3>
      <p class="legend muted">
        <span class="a">active chain</span><span class="s">side branch</span
        ><span class="h">header only (body not downloaded)</span><span class="i">invalid</span
        ><span class="r">replaced in a reorg (red ring)</span>
      </p>
      <div class="scroll">
        <svg width=${width} height=${height} role="group" aria-label=${summary}>
          ${layout.nodes.map((n) => {
            const parent = n.entry.parent && byId.get(n.entry.parent.id);
            return parent
              ? svg`<line class=${n.active ? 'active' : ''} x1=${x(parent.entry.height)} y1=${y(parent.lane)} x2=${x(n.entry.height)} y2=${y(n.lane)}></line>`
              : null;
          })}
          ${ticks.map((n) => svg`<text x=${x(n.entry.height)} y=${10} text-anchor="middle">${n.entry.height}</text>`)}
          ${layout.nodes.map((n) => {
            const reorged = journal.reorgedOut.has(n.entry.id);
            const cls = [
              n.active ? '' : n.entry.status === 'header' ? 'header' : 'side',
              n.entry.status === 'invalid' ? 'invalid' : '',
              reorged ? 'reorged' : '',
            ].join(' ');
            const open = () => requestShow(this, n.entry.id);
            return svg`<g role="button" tabindex="0" aria-label=${this.describe(n, reorged)}
              @click=${open}
              @keydown=${(e: KeyboardEvent) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), open())}>
              <title>${this.describe(n, reorged)}</title>
              <circle class=${cls} cx=${x(n.entry.height)} cy=${y(n.lane)} r="8"></circle></g>`;
          })}
        </svg>
      </div>
      <h3>Side branches</h3>
      ${
        layout.branches.length === 0
          ? html`<p class="muted">
              None right now (side branches are pruned ${PRUNE_DEPTH} blocks behind the tip).
            </p>`
          : html`<ul aria-label="Side branches">
              ${layout.branches.map(
                (b) =>
                  html`<li>
                    from height ${b.first.height}: ${b.length} block(s), tip
                    <button type="button" class="link" @click=${() => requestShow(this, b.tip.id)}>
                      ${shortHash(b.tip.id)}
                    </button>
                    ${journal.reorgedOut.has(b.first.id) ? html`<span class="bad">(was active: replaced in a reorg)</span>` : html`<span class="muted">(lost the race${b.tip.status === 'header' ? ', header only' : ''})</span>`}
                  </li>`,
              )}
            </ul>`
      }
      ${this.renderHistory(journal.forks, () => {
        journal.clearForks();
        this.requestUpdate();
      })}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tc-fork-tree': TcForkTree;
  }
}
