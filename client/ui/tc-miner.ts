/**
 * Mining: start/stop the Web Worker miner, choose how many workers and (on regtest) the pace,
 * and see its hashrate, the difficulty of the next block, the expected time to find one and
 * the blocks found. "Mine a block" and "Mine N blocks" mine exactly that many blocks on the
 * main thread (quick on regtest, for demos), never with a block time ahead of the clock.
 * "Proof of work, live" (tc-pow-live.ts) shows the nonce search as it happens.
 */
import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { workFromBits } from '../../core/index.js';
import { formatCount, formatDuration, formatHashrate } from './format.js';
import { NodeController } from './node-controller.js';

/** Paces offered for continuous regtest mining (ms between a new tip and the next block). */
const PACES: readonly [number, string][] = [
  [5_000, 'one block every 5 s'],
  [2_000, 'one block every 2 s'],
  [1_000, 'one block a second'],
  [500, 'two blocks a second'],
  [0, 'as fast as the clock allows'],
];

/** Most blocks "Mine N blocks" takes at once. */
const MAX_BATCH = 100;
import { panelStyles } from './theme.js';
import './tc-pow-live.js';

@customElement('tc-miner')
export class TcMiner extends LitElement {
  static override styles = [
    panelStyles,
    css`
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0.2rem 0.8rem;
        margin: 0.6rem 0 0;
      }
      dt {
        color: var(--tc-muted);
      }
      dd {
        margin: 0;
        font-variant-numeric: tabular-nums;
      }
      .workers input {
        width: 4.5rem;
        display: inline-block;
        margin-left: 0.3rem;
      }
      .batch {
        margin-top: 0.5rem;
      }
      .note {
        display: block;
        font-size: 0.8rem;
      }
      details.pow {
        margin-top: 0.6rem;
      }
      details.pow summary {
        cursor: pointer;
        font-weight: 600;
      }
      .workers {
        display: inline-flex;
        align-items: center;
        font-weight: normal;
      }
    `,
  ];

  private readonly ctl = new NodeController(this, { events: ['mining', 'chain-changed'] });
  @state() private mineOneBusy = false;
  @state() private error = '';
  @state() private batch = 10;
  /** Progress of the last "Mine N blocks": done of total. */
  @state() private progress: { done: number; total: number } | undefined;
  /** The live proof-of-work view is open (rendered only then); open by default on `&pow=`. */
  @state() private powOpen: boolean | undefined;

  private toggle(): void {
    const miner = this.ctl.node?.miner;
    if (!miner) return;
    if (miner.isRunning) miner.stop();
    else void miner.start();
    this.requestUpdate();
  }

  private setWorkers(event: Event): void {
    const input = event.target as HTMLInputElement;
    const miner = this.ctl.node?.miner;
    if (!miner) return;
    input.value = String(miner.setWorkers(Number(input.value) || 1));
  }

  /** Mine exactly `count` blocks on the main thread, saying how far it got. */
  private async mine(count: number): Promise<void> {
    const node = this.ctl.node;
    // aria-disabled, not disabled, while busy: a disabled button drops the keyboard focus.
    if (!node || this.mineOneBusy) return;
    this.mineOneBusy = true;
    this.error = '';
    this.progress = count > 1 ? { done: 0, total: count } : undefined;
    try {
      await node.mineBlocks(count, (done) => {
        if (count > 1) this.progress = { done, total: count };
      });
    } catch (err) {
      this.error = (err as Error).message;
    } finally {
      this.mineOneBusy = false;
    }
  }

  private setBatch(event: Event): void {
    const input = event.target as HTMLInputElement;
    const n = Math.min(MAX_BATCH, Math.max(1, Math.floor(Number(input.value)) || 1));
    this.batch = n;
    input.value = String(n);
  }

  private renderPace(paceMs: number) {
    const node = this.ctl.node!;
    if (node.params.network !== 'regtest') return null;
    return html`<label class="workers"
      >Pace
      <select
        @change=${(e: Event) => node.miner.setPace(Number((e.target as HTMLSelectElement).value))}
      >
        ${PACES.map(
          ([ms, label]) => html`<option value=${ms} ?selected=${ms === paceMs}>${label}</option>`,
        )}
      </select></label
    >`;
  }

  override render() {
    const node = this.ctl.node;
    if (!node) return null;
    const status = node.miner.status();
    const bits = status.bits ?? node.state.chain.nextBits();
    const work = Number(workFromBits(bits));
    const difficulty = work / Number(workFromBits(node.params.powLimitBits));
    const expected = status.expectedSeconds;
    const paced = status.paceMs > 0;
    return html`
      <h2 id="miner-heading">Miner</h2>
      <div class="row">
        <button type="button" aria-pressed=${String(status.running)} @click=${this.toggle}>
          ${status.running ? 'Stop mining' : 'Start mining'}
        </button>
        <label class="workers"
          >Workers
          <input
            type="number"
            min="1"
            max=${status.maxWorkers}
            .value=${String(status.workers)}
            @change=${this.setWorkers}
        /></label>
        <span class="muted">of ${status.maxWorkers}</span>
        ${this.renderPace(status.paceMs)}
      </div>
      <div class="row batch">
        <button
          type="button"
          class="secondary"
          aria-disabled=${String(this.mineOneBusy)}
          @click=${() => this.mine(1)}
        >
          Mine a block
        </button>
        <label class="workers"
          >Blocks
          <input
            type="number"
            min="1"
            max=${MAX_BATCH}
            .value=${String(this.batch)}
            @change=${this.setBatch}
        /></label>
        <button
          type="button"
          class="secondary"
          aria-disabled=${String(this.mineOneBusy)}
          @click=${() => this.mine(this.batch)}
        >
          Mine ${this.batch} blocks
        </button>
        <span role="status" class="muted"
          >${
            this.progress
              ? `Mined ${this.progress.done} of ${this.progress.total} blocks${this.progress.done < this.progress.total ? '…' : '.'}`
              : ''
          }</span
        >
      </div>
      ${this.error ? html`<p class="bad" role="alert">${this.error}</p>` : null}
      <dl aria-labelledby="miner-heading">
        <dt>Hashrate</dt>
        <dd>
          <output aria-label="Hashrate"
            >${status.running ? formatHashrate(status.hashrate) : 'stopped'}</output
          >
          ${status.kernel ? html`<span class="muted">(${status.kernel})</span>` : null}
          ${
            status.running && paced
              ? html`<span class="muted note"
                  >${status.resting ? 'resting: ' : ''}paced on regtest, where a block needs only
                  ~${formatCount(work)} hashes: the workers rest between blocks</span
                >`
              : null
          }
        </dd>
        <dt>Difficulty</dt>
        <dd>
          <output aria-label="Difficulty">${formatCount(difficulty)}</output>
          <span class="muted">(~${formatCount(work)} hashes per block)</span>
        </dd>
        <dt>Expected time to block</dt>
        <dd>
          <output aria-label="Expected time to block"
            >${
              !status.running
                ? '—'
                : paced
                  ? `${status.paceMs / 1000} s after each block (the pace)`
                  : expected !== undefined
                    ? `~${formatDuration(expected)}`
                    : '—'
            }</output
          >
        </dd>
        <dt>Mining on</dt>
        <dd>height ${status.height ?? node.state.chain.height + 1}</dd>
        <dt>Blocks found</dt>
        <dd>
          <output aria-label="Blocks found">${status.blocksFound}</output>
          ${
            status.staleFound > 0
              ? html`<span class="muted">(${status.staleFound} stale, dropped)</span>`
              : null
          }
        </dd>
      </dl>
      ${this.renderPow()}
    `;
  }

  private renderPow() {
    const node = this.ctl.node!;
    const open = this.powOpen ?? node.params.powBits !== undefined;
    return html`<details
      class="pow"
      ?open=${open}
      @toggle=${(e: Event) => (this.powOpen = (e.target as HTMLDetailsElement).open)}
    >
      <summary>Proof of work, live</summary>
      ${open ? html`<tc-pow-live .sampler=${node.pow}></tc-pow-live>` : null}
    </details>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tc-miner': TcMiner;
  }
}
