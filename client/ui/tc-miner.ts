/**
 * Mining: start/stop the Web Worker miner, choose how many workers, and see its hashrate, the
 * difficulty of the next block, the expected time to find one and the blocks found. "Mine a
 * block" mines exactly one block on the main thread (quick on regtest, for demos).
 */
import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { workFromBits } from '../../core/index.js';
import { formatCount, formatDuration, formatHashrate } from './format.js';
import { NodeController } from './node-controller.js';
import { panelStyles } from './theme.js';

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

  private async mineOne(): Promise<void> {
    const node = this.ctl.node;
    // aria-disabled, not disabled, while busy: a disabled button drops the keyboard focus.
    if (!node || this.mineOneBusy) return;
    this.mineOneBusy = true;
    this.error = '';
    try {
      await node.mineOneBlock();
    } catch (err) {
      this.error = (err as Error).message;
    } finally {
      this.mineOneBusy = false;
    }
  }

  override render() {
    const node = this.ctl.node;
    if (!node) return null;
    const status = node.miner.status();
    const bits = status.bits ?? node.state.chain.nextBits();
    const work = Number(workFromBits(bits));
    const difficulty = work / Number(workFromBits(node.params.powLimitBits));
    const expected = status.expectedSeconds;
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
        <button
          type="button"
          class="secondary"
          aria-disabled=${String(this.mineOneBusy)}
          @click=${this.mineOne}
        >
          Mine a block
        </button>
      </div>
      ${this.error ? html`<p class="bad" role="alert">${this.error}</p>` : null}
      <dl aria-labelledby="miner-heading">
        <dt>Hashrate</dt>
        <dd>
          <output aria-label="Hashrate"
            >${status.running ? formatHashrate(status.hashrate) : 'stopped'}</output
          >
          ${status.kernel ? html`<span class="muted">(${status.kernel})</span>` : null}
        </dd>
        <dt>Difficulty</dt>
        <dd>
          <output aria-label="Difficulty">${formatCount(difficulty)}</output>
          <span class="muted">(~${formatCount(work)} hashes per block)</span>
        </dd>
        <dt>Expected time to block</dt>
        <dd>
          <output aria-label="Expected time to block"
            >${status.running && expected !== undefined ? `~${formatDuration(expected)}` : '—'}</output
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
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tc-miner': TcMiner;
  }
}
