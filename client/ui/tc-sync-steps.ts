/**
 * How a new node gets the chain, watched live (explain/sync-steps.ts): while this tab is far
 * behind, the steps headers from peers → bodies downloaded in parallel → validated → connected,
 * with their counts; after a sync, a one-line summary (the steps stay one click away).
 */
import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { TabNode } from '../node.js';
import { syncSteps, type SyncCounts } from './explain/sync-steps.js';
import type { SyncView } from './explain/sync-meter.js';
import { formatBytes, formatDuration } from './format.js';
import { NodeController } from './node-controller.js';
import { syncProgressFor } from './sync-progress.js';
import { panelStyles } from './theme.js';

/** Blocks behind the best header from which the step view opens. */
export const FAR_BEHIND = 5;

const ICON = { done: '✓', active: '…', waiting: '○' } as const;

@customElement('tc-sync-steps')
export class TcSyncSteps extends LitElement {
  static override styles = [
    panelStyles,
    css`
      :host {
        margin: 0.4rem 0;
      }
      ol {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr));
        gap: 0.4rem;
        list-style: none;
        padding: 0;
        margin: 0.3rem 0;
      }
      li {
        border: 1px solid var(--tc-border);
        border-radius: var(--tc-radius);
        padding: 0.3rem 0.5rem;
      }
      li.active {
        border-color: var(--tc-accent);
        box-shadow: 0 0 0 1px var(--tc-accent);
      }
      li.done {
        border-color: var(--tc-ok);
      }
      .counts output {
        font-weight: 600;
      }
    `,
  ];

  /** The sync being watched (start height, bodies in flight), from 'sync-progress'. */
  @state() private start = 0;
  @state() private inFlight = 0;
  /** The last finished sync that moved more than one block. */
  @state() private summary: { from: number; to: number; meter?: SyncView } | undefined;
  private shown = false;

  private readonly ctl = new NodeController(this, {
    events: ['chain-changed'],
    watch: (node, schedule) => {
      // Created before this view's own listener, so it has sampled when this one reads it.
      syncProgressFor(node);
      return [
        node.on('sync-progress', (p) => {
          this.inFlight = p.inFlight;
          if (p.syncing) this.start = p.start;
          if (p.syncing && p.headers - p.connected >= FAR_BEHIND) this.shown = true;
          else if (this.shown && p.connected > this.start + 1)
            this.summary = {
              from: this.start,
              to: p.connected,
              meter: syncProgressFor(node).view(),
            };
          if (!p.syncing) this.shown = false;
          schedule();
        }),
      ];
    },
  });

  private counts(node: TabNode): SyncCounts {
    const chain = node.state.chain;
    const c = { headers: chain.bestHeader.height, connected: chain.height };
    return { ...c, inFlight: this.inFlight, start: Math.min(this.start, c.connected) };
  }

  /** Blocks have/of, signatures, bytes, and while live the rate and time left. */
  private renderMeter(v: SyncView | undefined, live: boolean) {
    if (!v) return null;
    const rate = v.blocksPerSecond === undefined ? '—' : `${Math.round(v.blocksPerSecond)}`;
    const eta =
      v.etaSeconds === undefined ? 'estimating…' : `about ${formatDuration(v.etaSeconds)}`;
    return html`<p class="counts" aria-label="Sync progress figures">
      Blocks: <output aria-label="Blocks synced">${v.have}</output> of
      <output aria-label="Blocks to sync">${v.of}</output> · signatures checked:
      <output aria-label="Signatures checked">${v.signatures}</output> · received:
      <output aria-label="Bytes received">${formatBytes(v.bytes)}</output>
      ${
        live
          ? html` · <output aria-label="Sync rate">${rate}</output> blocks/s · time left:
              <output aria-label="Time left">${eta}</output>`
          : null
      }
    </p>`;
  }

  private renderSteps(c: SyncCounts, live: boolean, meter?: SyncView) {
    const flight = html`bodies in flight:
      <output aria-label="Bodies in flight">${c.inFlight}</output> ·`;
    return html`
      ${this.renderMeter(meter, live)}
      <p class="counts">
        Headers known: <output aria-label="Headers known">${c.headers}</output> ·
        ${live ? flight : null} connected height:
        <output aria-label="Connected height">${c.connected}</output>
      </p>
      <ol aria-label="Sync steps">
        ${syncSteps(c).map(
          (s, i) =>
            html`<li class=${s.state} data-state=${s.state}>
              <strong>${ICON[s.state]} ${i + 1}. ${s.name}</strong><br />
              <span class="muted">${s.detail}</span>
            </li>`,
        )}
      </ol>
    `;
  }

  override render() {
    const node = this.ctl.node;
    if (!node) return null;
    const c = this.counts(node);
    if (c.headers - c.connected >= FAR_BEHIND) {
      return html`<section aria-label="Sync">
        <strong>Getting the chain from peers</strong>
        ${this.renderSteps(c, true, syncProgressFor(node).view())}
      </section>`;
    }
    const s = this.summary;
    if (!s) return null;
    return html`<details aria-label="Last sync">
      <summary>
        Synced <output aria-label="Synced blocks">${s.to - s.from}</output> blocks from peers:
        headers first, then bodies in parallel, each validated and connected (height ${s.from} →
        ${s.to}).
      </summary>
      ${this.renderSteps({ ...c, start: s.from, inFlight: 0 }, false, s.meter)}
    </details>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tc-sync-steps': TcSyncSteps;
  }
}
