/**
 * Backup and restore: the 12 backup words (shown only after a confirmation), restoring a
 * wallet from words (this node takes that key), an optional passphrase lock of the key at
 * rest, and a backup file to download or import.
 */
import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { Result } from '../../core/index.js';
import { NodeController } from './node-controller.js';
import { panelStyles } from './theme.js';

@customElement('tc-backup')
export class TcBackup extends LitElement {
  static override styles = [
    panelStyles,
    css`
      section {
        border-top: 1px solid var(--tc-border);
        padding-top: 0.4rem;
        margin-top: 0.6rem;
      }
      ol.words {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(7rem, 1fr));
        gap: 0.2rem 0.8rem;
        font-family: var(--tc-mono);
        padding-left: 1.6rem;
      }
      .check {
        display: flex;
        gap: 0.4rem;
        font-weight: normal;
        align-items: flex-start;
      }
    `,
  ];

  @state() private understood = false;
  @state() private words: string | undefined;
  @state() private restoreStep: 'form' | 'confirm' = 'form';
  @state() private message: { text: string; ok: boolean; area: string } | undefined;
  @state() private busy = false;

  private readonly ctl = new NodeController(this, { events: ['wallet'] });

  private say(area: string, text: string, ok: boolean): void {
    this.message = { area, text, ok };
  }

  private value(id: string): string {
    return (
      this.renderRoot.querySelector<HTMLInputElement | HTMLTextAreaElement>(`#${id}`)?.value ?? ''
    );
  }

  private clear(...ids: string[]): void {
    for (const id of ids) {
      const el = this.renderRoot.querySelector<HTMLInputElement | HTMLTextAreaElement>(`#${id}`);
      if (el) el.value = '';
    }
  }

  private async run(
    area: string,
    work: () => Promise<Result<void>>,
    success: string,
  ): Promise<void> {
    this.busy = true;
    try {
      const result = await work();
      if (result.ok) this.say(area, success, true);
      else this.say(area, `${result.message} (${result.reason})`, false);
    } catch (err) {
      this.say(area, (err as Error).message, false);
    } finally {
      this.busy = false;
    }
  }

  private showWords(): void {
    try {
      this.words = this.ctl.node!.wallet.mnemonic();
    } catch (err) {
      this.say('words', (err as Error).message, false);
    }
  }

  private async restore(): Promise<void> {
    const wallet = this.ctl.node!.wallet;
    const words = this.value('restore-words');
    const pass = this.value('restore-pass');
    await this.run(
      'restore',
      () => wallet.restore(words, pass || undefined),
      'Restored: this node now holds that wallet. Its balance appears once the chain has synced.',
    );
    this.restoreStep = 'form';
    if (this.message?.ok) {
      this.clear('restore-words', 'restore-pass');
      this.words = undefined;
    }
  }

  private async lock(): Promise<void> {
    const pass = this.value('lock-pass');
    if (pass.length < 8)
      return this.say('lock', 'Use a passphrase of at least 8 characters.', false);
    if (pass !== this.value('lock-repeat'))
      return this.say('lock', 'The two passphrases differ.', false);
    const wallet = this.ctl.node!.wallet;
    await this.run(
      'lock',
      async () => (await wallet.lock(pass), { ok: true, value: undefined }),
      'Locked: the key is encrypted at rest; unlock it to send.',
    );
    this.words = undefined;
    this.clear('lock-pass', 'lock-repeat');
  }

  private async unlock(remove: boolean): Promise<void> {
    const wallet = this.ctl.node!.wallet;
    const pass = this.value('unlock-pass');
    await this.run(
      'lock',
      () => (remove ? wallet.removeLock(pass) : wallet.unlock(pass)),
      remove ? 'Lock removed.' : 'Unlocked for this session.',
    );
    this.clear('unlock-pass');
  }

  private async download(): Promise<void> {
    const node = this.ctl.node!;
    try {
      const text = await node.wallet.exportBackup();
      const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `tabcoin-${node.params.network}-${node.identity.nodeId}-backup.json`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      this.say('file', 'Backup file downloaded. Keep it somewhere safe.', true);
    } catch (err) {
      this.say('file', (err as Error).message, false);
    }
  }

  private async importFile(): Promise<void> {
    const input = this.renderRoot.querySelector<HTMLInputElement>('#import-file');
    const file = input?.files?.[0];
    if (!file) return this.say('file', 'Choose a backup file first.', false);
    const text = await file.text();
    const pass = this.value('import-pass');
    await this.run(
      'file',
      () => this.ctl.node!.wallet.importBackup(text, pass || undefined),
      'Backup imported: this node now holds that wallet.',
    );
  }

  private note(area: string) {
    const m = this.message;
    return m?.area === area
      ? html`<p class=${m.ok ? 'ok' : 'bad'} role=${m.ok ? 'status' : 'alert'}>${m.text}</p>`
      : null;
  }

  override render() {
    const wallet = this.ctl.node?.wallet;
    if (!wallet) return null;
    const locked = wallet.isLocked();
    const hasPass = wallet.hasPassphrase();
    return html`
      <h2>Backup</h2>
      <section aria-labelledby="words-heading">
        <h3 id="words-heading">Backup words</h3>
        ${
          this.words
            ? html`<ol class="words" aria-label="Backup words">
                  ${this.words.split(' ').map((w) => html`<li>${w}</li>`)}
                </ol>
                <button type="button" class="secondary" @click=${() => (this.words = undefined)}>
                  Hide backup words
                </button>`
            : locked
              ? html`<p class="muted">The wallet is locked: unlock it below to see its words.</p>`
              : html`<label class="check"
                    ><input
                      type="checkbox"
                      .checked=${this.understood}
                      @change=${(e: Event) => (this.understood = (e.target as HTMLInputElement).checked)}
                    />
                    I understand that anyone who sees these words can take every coin of this
                    wallet.</label
                  >
                  <button type="button" ?disabled=${!this.understood} @click=${this.showWords}>
                    Show backup words
                  </button>`
        }
        ${this.note('words')}
      </section>
      <section aria-labelledby="restore-heading">
        <h3 id="restore-heading">Restore a wallet</h3>
        <div class="field">
          <label for="restore-words">Backup words to restore</label>
          <textarea
            id="restore-words"
            rows="2"
            autocomplete="off"
            spellcheck="false"
            ?disabled=${this.restoreStep === 'confirm'}
          ></textarea>
        </div>
        <div class="field">
          <label for="restore-pass">Passphrase lock for it (optional)</label>
          <input id="restore-pass" type="password" autocomplete="new-password" />
        </div>
        ${
          this.restoreStep === 'form'
            ? html`<button
                type="button"
                @click=${() => {
                  this.restoreStep = 'confirm';
                  this.message = undefined;
                }}
              >
                Restore wallet
              </button>`
            : html`<p class="warn" role="alert">
                  This node's current key is replaced. Without its backup words, coins it holds
                  become unreachable.
                </p>
                <div class="row">
                  <button type="button" ?disabled=${this.busy} @click=${this.restore}>
                    Replace this wallet
                  </button>
                  <button
                    type="button"
                    class="secondary"
                    @click=${() => (this.restoreStep = 'form')}
                  >
                    Cancel
                  </button>
                </div>`
        }
        ${this.note('restore')}
      </section>
      <section aria-labelledby="lock-heading">
        <h3 id="lock-heading">Passphrase lock</h3>
        ${
          hasPass
            ? html`<p>
                  ${locked ? 'Locked: enter the passphrase to send or see the words.' : 'Unlocked for this session; encrypted at rest.'}
                </p>
                <div class="field">
                  <label for="unlock-pass">Passphrase</label
                  ><input id="unlock-pass" type="password" autocomplete="current-password" />
                </div>
                <div class="row">
                  ${locked ? html`<button type="button" ?disabled=${this.busy} @click=${() => this.unlock(false)}>Unlock</button>` : null}
                  <button
                    type="button"
                    class="secondary"
                    ?disabled=${this.busy}
                    @click=${() => this.unlock(true)}
                  >
                    Remove lock
                  </button>
                </div>`
            : html`<p class="muted">
                  Encrypt the key in this browser's storage (WebCrypto, AES-GCM); sending then needs
                  the passphrase.
                </p>
                <div class="row">
                  <div class="field">
                    <label for="lock-pass">New passphrase</label
                    ><input id="lock-pass" type="password" autocomplete="new-password" />
                  </div>
                  <div class="field">
                    <label for="lock-repeat">Repeat passphrase</label
                    ><input id="lock-repeat" type="password" autocomplete="new-password" />
                  </div>
                </div>
                <button type="button" ?disabled=${this.busy} @click=${this.lock}>
                  Lock wallet
                </button>`
        }
        ${this.note('lock')}
      </section>
      <section aria-labelledby="file-heading">
        <h3 id="file-heading">Backup file</h3>
        <button type="button" @click=${this.download}>Download backup file</button>
        <div class="field">
          <label for="import-file">Import backup file</label>
          <input id="import-file" type="file" accept="application/json,.json" />
        </div>
        <div class="field">
          <label for="import-pass">Passphrase of the backup (if encrypted)</label>
          <input id="import-pass" type="password" autocomplete="off" />
        </div>
        <button type="button" class="secondary" ?disabled=${this.busy} @click=${this.importFile}>
          Import backup
        </button>
        ${this.note('file')}
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tc-backup': TcBackup;
  }
}
