/**
 * The application shell: provides the running node to every component (`nodeContext`), lays
 * out the panels (one column on narrow screens), shows the node's notices, routes `tc-show`
 * intents to the explorer, and keeps the slot for the attack lab (closed unless `?lab=1`).
 */
import { provide } from '@lit/context';
import { LitElement, css, html } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { TabNode } from '../node.js';
import { nodeContext } from './node-context.js';
import { journalFor } from './node-journal.js';
import { SHOW_EVENT, type ShowEvent } from './show-event.js';
import type { TcExplorer } from './tc-explorer.js';
import { panelStyles, themeTokens } from './theme.js';
import './tc-attack-lab.js';
import './tc-backup.js';
import './tc-event-log.js';
import './tc-explorer.js';
import './tc-mempool.js';
import './tc-miner.js';
import './tc-peers.js';
import './tc-send.js';
import './tc-status-bar.js';
import './tc-sync-steps.js';
import './tc-tracker-notice.js';
import './tc-wallet.js';

const PANELS = [
  ['wallet', 'Wallet'],
  ['send', 'Send'],
  ['miner', 'Miner'],
  ['explorer', 'Explorer'],
  ['mempool', 'Mempool'],
  ['peers', 'Peers'],
  ['log', 'Event log'],
  ['backup', 'Backup'],
] as const;

@customElement('tc-app')
export class TcApp extends LitElement {
  static override styles = [
    themeTokens,
    panelStyles,
    css`
      :host {
        display: block;
        min-height: 100vh;
        background: var(--tc-bg);
        font:
          15px/1.45 system-ui,
          -apple-system,
          'Segoe UI',
          sans-serif;
      }
      header {
        position: sticky;
        top: 0;
        z-index: 2;
        background: var(--tc-panel);
        border-bottom: 1px solid var(--tc-border);
        padding: 0.5rem 1rem;
      }
      .brand {
        display: flex;
        align-items: baseline;
        gap: 0.8rem;
        flex-wrap: wrap;
      }
      h1 {
        font-size: 1.2rem;
        margin: 0;
      }
      nav {
        display: flex;
        flex-wrap: wrap;
        gap: 0.2rem 0.6rem;
      }
      nav button {
        font-size: 0.85rem;
      }
      main {
        display: grid;
        grid-template-columns: repeat(2, minmax(0, 1fr));
        gap: 1rem;
        padding: 1rem;
        max-width: 84rem;
        margin: 0 auto;
      }
      main > * {
        /* A panel out of view is neither laid out nor painted while the node works (a sync
           re-renders every 250 ms); it keeps its last size, so the page does not jump. */
        content-visibility: auto;
        contain-intrinsic-size: auto 24rem;
        background: var(--tc-panel);
        border: 1px solid var(--tc-border);
        border-radius: var(--tc-radius);
        padding: 0.8rem 1rem;
        min-width: 0;
      }
      .wide {
        grid-column: 1 / -1;
      }
      section.panel {
        /* Jumps land below the sticky header, not under it. */
        scroll-margin-top: calc(var(--tc-header-height, 0px) + 0.5rem);
      }
      section.panel:focus {
        outline: 2px solid var(--tc-focus);
        outline-offset: 2px;
      }
      .skip {
        position: absolute;
        left: 0.5rem;
        top: -3rem;
        z-index: 3;
      }
      .skip:focus {
        top: 0.5rem;
      }
      @media (max-width: 900px) {
        main {
          grid-template-columns: minmax(0, 1fr);
          padding: 0.5rem;
          gap: 0.6rem;
        }
        header {
          position: static;
        }
        section.panel {
          scroll-margin-top: 0.5rem;
        }
      }
      .notice.identity {
        border-left: 4px solid var(--tc-warn);
        padding-left: 0.5rem;
      }
      .notice {
        display: flex;
        gap: 0.6rem;
        align-items: center;
        margin: 0.4rem 0 0;
        font-size: 0.9rem;
      }
      details#lab-panel summary {
        cursor: pointer;
        font-weight: 700;
      }
    `,
  ];

  /** The running node (set by main.ts once it has started). */
  @provide({ context: nodeContext })
  @property({ attribute: false })
  node: TabNode | undefined;
  /** Why the node could not start, if it could not. */
  @property() error = '';
  @state() private notice = '';
  @state() private identityNoticeDismissed = false;
  @state() private showRequest: { query: string } | undefined;
  @query('tc-explorer') private explorer!: TcExplorer;
  private offNotice: (() => void) | undefined = undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener(SHOW_EVENT, this.onShow);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener(SHOW_EVENT, this.onShow);
    this.offNotice?.();
    this.headerSize.disconnect();
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('node') && this.node) {
      journalFor(this.node); // start recording at once: the log shows everything since start
      this.offNotice?.();
      this.offNotice = this.node.on('notice', (text) => (this.notice = text));
      // Raised while the node started, before this listener existed.
      if (this.node.startNotices.length > 0) this.notice = this.node.startNotices.join(' · ');
    }
  }

  private onShow = (event: ShowEvent): void => {
    this.showRequest = { query: event.detail.query };
    this.explorer?.closest('section')?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  };

  /** Scroll to a panel (below the sticky header: scroll-margin-top) and move focus to it. */
  private jump(id: string): void {
    const target = this.renderRoot.querySelector<HTMLElement>(`#${id}`);
    target?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    target?.focus({ preventScroll: true });
  }

  /** Keep --tc-header-height equal to the sticky header's height (it wraps on narrow screens). */
  private readonly headerSize = new ResizeObserver((entries) => {
    const height = entries[0]?.borderBoxSize[0]?.blockSize ?? 0;
    this.style.setProperty('--tc-header-height', `${Math.ceil(height)}px`);
  });

  protected override firstUpdated(): void {
    const header = this.renderRoot.querySelector('header');
    if (header) this.headerSize.observe(header);
  }

  /**
   * A panel: a landmark that the nav and skip link can focus (tabindex -1 on this light-DOM
   * section, never on the component: a shadow host with a negative tabindex takes its whole
   * shadow tree out of the Tab order).
   */
  private panel(id: string, name: string, content: unknown, extra = '') {
    return html`<section id=${id} class="panel ${extra}" tabindex="-1" aria-label="${name} panel">
      ${content}
    </section>`;
  }

  /**
   * The wanted node is open in another tab: this tab runs a different node, with a different
   * wallet. Said in the header for as long as it is true (until the user dismisses it).
   */
  private renderIdentityNotice() {
    const identity = this.node?.identity;
    if (!identity?.notice || this.identityNoticeDismissed) return null;
    return html`<p class="notice identity" role="alert">
      <span>${identity.notice}</span>
      <button type="button" class="secondary" @click=${() => location.reload()}>Reload</button>
      <button type="button" class="secondary" @click=${() => (this.identityNoticeDismissed = true)}>
        Dismiss
      </button>
    </p>`;
  }

  override render() {
    const lab = new URLSearchParams(location.search).get('lab') === '1';
    return html`
      <button type="button" class="skip" @click=${() => this.jump('wallet')}>
        Skip to the panels
      </button>
      <header>
        <div class="brand">
          <h1>Tabcoin</h1>
          <nav aria-label="Panels">
            ${PANELS.map(([id, name]) => html`<button type="button" class="link" @click=${() => this.jump(id)}>${name}</button>`)}
            <button type="button" class="link" @click=${() => this.jump('lab-panel')}>
              Attack lab
            </button>
          </nav>
        </div>
        <tc-status-bar></tc-status-bar>
        <tc-sync-steps></tc-sync-steps>
        <tc-tracker-notice></tc-tracker-notice>
        ${this.renderIdentityNotice()}
        ${
          this.error
            ? html`<p class="notice bad" role="alert">Tabcoin could not start: ${this.error}</p>`
            : this.notice
              ? html`<p class="notice" role="status">
                  <span>${this.notice}</span>
                  <button type="button" class="secondary" @click=${() => (this.notice = '')}>
                    Dismiss
                  </button>
                </p>`
              : null
        }
      </header>
      ${
        this.node
          ? html`<main>
              ${this.panel('wallet', 'Wallet', html`<tc-wallet></tc-wallet>`)}
              ${this.panel('send', 'Send', html`<tc-send></tc-send>`)}
              ${this.panel('miner', 'Miner', html`<tc-miner></tc-miner>`)}
              ${this.panel('mempool', 'Mempool', html`<tc-mempool></tc-mempool>`)}
              ${this.panel(
                'explorer',
                'Explorer',
                html`<tc-explorer .request=${this.showRequest}></tc-explorer>`,
                'wide',
              )}
              ${this.panel('peers', 'Peers', html`<tc-peers></tc-peers>`)}
              ${this.panel('log', 'Event log', html`<tc-event-log></tc-event-log>`)}
              ${this.panel('backup', 'Backup', html`<tc-backup></tc-backup>`)}
              <details id="lab-panel" ?open=${lab}>
                <summary>Attack lab</summary>
                <section id="lab" aria-label="Attack lab"><tc-attack-lab></tc-attack-lab></section>
              </details>
            </main>`
          : this.error
            ? null
            : html`<main><p role="status">Starting this tab's node…</p></main>`
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tc-app': TcApp;
  }
}
