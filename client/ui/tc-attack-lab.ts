/**
 * The attack lab panel: make this tab send each kind of invalid data to its peers, once or
 * every few seconds, and watch the honest tabs refuse it in their event logs (and ban this tab
 * where the rule is consensus), or show the defence against a hostile peer (flooding,
 * poisoning, rejoining under new ids). Also the 51% lesson: a heavier hidden chain that erases a
 * payment. Only intents here; the crafting lives in client/lab/.
 */
import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { ATTACKS, type AttackKind } from '../lab/attacks.js';
import { NodeController } from './node-controller.js';
import { panelStyles } from './theme.js';

interface LabLine {
  text: string;
  failed: boolean;
}

/** Lines kept in the panel's own result list. */
const MAX_LINES = 30;

@customElement('tc-attack-lab')
export class TcAttackLab extends LitElement {
  static override styles = [
    panelStyles,
    css`
      button[aria-pressed='true'] {
        background: var(--tc-bad);
        border-color: var(--tc-bad);
        color: var(--tc-panel);
      }
      .attack {
        display: grid;
        grid-template-columns: 1fr auto;
        gap: 0.25rem 1rem;
        padding: 0.5rem 0;
        border-bottom: 1px solid var(--tc-border, #8884);
      }
      .attack p {
        margin: 0;
      }
      .actions {
        display: flex;
        gap: 0.5rem;
        align-items: start;
        flex-wrap: wrap;
      }
      code {
        font-family: ui-monospace, monospace;
      }
      .failed {
        color: var(--tc-bad, #b00020);
      }
    `,
  ];

  private readonly ctl = new NodeController(this, { events: ['changed'] });
  @state() private lines: LabLine[] = [];
  @state() private busy = false;
  private subscribed = false;

  private log(text: string, failed = false): void {
    this.lines = [
      { text: `${new Date().toLocaleTimeString()} ${text}`, failed },
      ...this.lines,
    ].slice(0, MAX_LINES);
  }

  private get lab() {
    const node = this.ctl.node;
    if (!node) return undefined;
    if (!this.subscribed) {
      this.subscribed = true;
      node.lab.on('sent', ({ kind, peers, messages }) =>
        this.log(`sent ${kind} to ${peers} peer(s) (${messages} message(s))`),
      );
      node.lab.on('failed', ({ kind, message }) => this.log(`${kind}: ${message}`, true));
      node.lab.on('rejoined', ({ tried, admitted }) =>
        this.log(`rejoined under new ids: ${admitted} of ${tried} link(s) admitted`),
      );
    }
    return node.lab;
  }

  private async run(task: () => Promise<unknown>): Promise<void> {
    this.busy = true;
    try {
      await task();
    } finally {
      this.busy = false;
    }
  }

  private prepare(): Promise<void> {
    return this.run(async () => {
      const mined = await this.lab?.prepare();
      this.log(`lab key funded: mined ${mined ?? 0} block(s)`);
    });
  }

  private toggle(kind: AttackKind): void {
    const lab = this.lab;
    if (!lab) return;
    if (lab.isRepeating(kind)) lab.stop(kind);
    else lab.repeat(kind);
    this.requestUpdate();
  }

  private releaseHiddenChain(): Promise<void> {
    return this.run(async () => {
      // The "merchant" is a throwaway key: the lesson is that its payment disappears.
      const merchant = crypto.getRandomValues(new Uint8Array(32));
      const { publicKeyOf } = await import('../../core/index.js');
      const result = await this.lab?.hiddenChain(publicKeyOf(merchant));
      if (result) {
        this.log(
          `released ${result.released} private block(s): payment ${result.paid.slice(0, 16)}… ` +
            `replaced by ${result.doubleSpend.slice(0, 16)}… (${result.depth} honest block(s) undone)`,
        );
      }
    });
  }

  override render() {
    const lab = this.lab;
    if (!lab) return null;
    return html`
      <p>
        This tab sends invalid data to its peers. Honest tabs refuse each kind with the reason shown
        and, where a consensus rule is broken, disconnect and
        <strong>ban this tab for 30 minutes</strong>: use a throwaway tab
        (<code>?node=attacker-1</code>) for each attack.
      </p>
      <p class="actions">
        <button type="button" ?disabled=${this.busy} @click=${() => this.prepare()}>
          Fund the lab key (mine until it has a mature coin)
        </button>
        <button type="button" ?disabled=${this.busy} @click=${() => this.releaseHiddenChain()}>
          Double-spend with a hidden heavier chain (51%)
        </button>
      </p>
      ${ATTACKS.map(
        (attack) =>
          html`<div class="attack" role="group" aria-label=${attack.title}>
            <div>
              <strong>${attack.title}</strong>
              <p>${attack.description}</p>
              <p class="muted">
                Expected:
                <code>${attack.reason}</code>${attack.bans ? ', sender banned' : ', no ban'}${
                  attack.needsCoins ? ' — needs a funded lab key' : ''
                }
              </p>
              ${attack.defence ? html`<p class="muted">Defence: ${attack.defence}</p>` : null}
            </div>
            <div class="actions">
              <button
                type="button"
                aria-label="Send once: ${attack.title}"
                ?disabled=${this.busy}
                @click=${() => this.run(() => lab.launch(attack.kind))}
              >
                Send once
              </button>
              <button
                type="button"
                aria-label="Repeat every 3 seconds: ${attack.title}"
                aria-pressed=${lab.isRepeating(attack.kind) ? 'true' : 'false'}
                @click=${() => this.toggle(attack.kind)}
              >
                Repeat
              </button>
            </div>
          </div>`,
      )}
      <h3>Lab results</h3>
      <ol aria-label="Lab results">
        ${this.lines.map((line) => html`<li class=${line.failed ? 'failed' : ''}>${line.text}</li>`)}
      </ol>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tc-attack-lab': TcAttackLab;
  }
}
