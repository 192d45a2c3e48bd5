/**
 * A block's merkle tree drawn level by level (root on top, wtxid leaves below; the last hash of
 * an odd level is paired with a dashed copy of itself, as Bitcoin does), the proof path of one
 * chosen transaction highlighted with its siblings listed, and "verify", which recomputes the
 * root from the leaf and the siblings and compares it with the header's merkle root.
 * With `changed`, nodes whose hash differs from the real block's are marked red (tampering).
 */
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import {
  equalBytes,
  hashToHex,
  merkleLevels,
  proofFromLevels,
  rootFromProof,
  type MerkleStep,
} from '../../core/index.js';
import { shortHash } from './format.js';
import { panelStyles } from './theme.js';

/** Above this many leaves only the proof path and its siblings are drawn. */
const MAX_DRAWN_LEAVES = 64;

@customElement('tc-merkle-tree')
export class TcMerkleTree extends LitElement {
  static override styles = [
    panelStyles,
    css`
      .level {
        display: flex;
        flex-wrap: wrap;
        justify-content: center;
        gap: 0.25rem;
        margin: 0.2rem 0;
      }
      .node {
        font-family: var(--tc-mono);
        font-size: 0.9rem;
        border: 1px solid var(--tc-border);
        border-radius: 4px;
        padding: 0.05rem 0.3rem;
      }
      .node.path {
        border-color: var(--tc-accent);
        box-shadow: 0 0 0 2px var(--tc-accent);
      }
      .node.sibling {
        border: 2px solid var(--tc-ok);
      }
      .node.copy {
        border-style: dashed;
        color: var(--tc-muted);
      }
      .node.changed {
        color: var(--tc-bad);
        border-color: var(--tc-bad);
      }
      ol {
        padding-left: 1.3rem;
        font-size: 0.85rem;
      }
      li,
      output {
        overflow-wrap: anywhere;
      }
      output {
        display: block;
        margin-top: 0.4rem;
      }
    `,
  ];

  /** Leaves: the block's wtxids (internal byte order). */
  @property({ attribute: false }) leaves: Uint8Array[] = [];
  /** One label per leaf for the transaction picker. */
  @property({ attribute: false }) labels: string[] = [];
  /** The header's merkle root (internal byte order). */
  @property({ attribute: false }) root: Uint8Array = new Uint8Array(32);
  /** Per level, per node: differs from the real block's tree. */
  @property({ attribute: false }) changed: boolean[][] | undefined;
  @property({ type: Number }) selected = 0;
  @state() private verified: { root: string; match: boolean } | undefined;
  private levels: Uint8Array[][] = [];

  protected override willUpdate(changed: PropertyValues<this>): void {
    const old = changed.get('leaves');
    // A parent re-rendering passes a new array of the same (cached) wtxids: keep the tree.
    const same =
      old !== undefined &&
      old.length === this.leaves.length &&
      old.every((leaf, i) => leaf === this.leaves[i]);
    if (changed.has('leaves') && !same) this.levels = merkleLevels(this.leaves);
    if ((changed.has('leaves') && !same) || changed.has('selected') || changed.has('root')) {
      this.verified = undefined;
    }
  }

  private verify(leaf: Uint8Array, proof: MerkleStep[]): void {
    const root = rootFromProof(leaf, proof);
    this.verified = { root: hashToHex(root), match: equalBytes(root, this.root) };
  }

  private renderNode(level: number, index: number, hash: Uint8Array, role: string) {
    const last = (this.levels[level]?.length ?? 1) - 1;
    const changed = this.changed?.[level]?.[Math.min(index, last)] ?? false;
    const hex = hashToHex(hash);
    return html`<span
      class="node ${role} ${changed ? 'changed' : ''}"
      title=${hex}
      data-level=${level}
      data-index=${index}
      data-role=${role || 'node'}
      >${hex.slice(0, 8)}</span
    >`;
  }

  private renderLevel(level: Uint8Array[], l: number, pathIndex: number) {
    const drawAll = this.leaves.length <= MAX_DRAWN_LEAVES;
    const sibling = pathIndex ^ 1;
    const shown = drawAll
      ? level.map((_, i) => i)
      : [...new Set([pathIndex, Math.min(sibling, level.length - 1)])].sort((a, b) => a - b);
    const roleOf = (i: number) => (i === pathIndex ? 'path' : i === sibling ? 'sibling' : '');
    const odd = level.length % 2 === 1 && level.length > 1;
    const copyRole = sibling === level.length ? 'sibling copy' : 'copy';
    return html`<div class="level" role="group" aria-label="Level ${l}: ${level.length} hash(es)">
      ${shown.map((i) => this.renderNode(l, i, level[i]!, roleOf(i)))}
      ${
        odd && shown.includes(level.length - 1)
          ? this.renderNode(l, level.length, level.at(-1)!, copyRole)
          : null
      }
    </div>`;
  }

  override render() {
    if (this.leaves.length === 0) return null;
    const index = Math.min(Math.max(0, this.selected), this.leaves.length - 1);
    const proof = proofFromLevels(this.levels, index);
    const levels = this.levels;
    return html`
      <label>
        Transaction to prove
        <select
          aria-label="Transaction to prove"
          @change=${(e: Event) => (this.selected = Number((e.target as HTMLSelectElement).value))}
        >
          ${this.labels.map(
            (label, i) => html`<option value=${i} ?selected=${i === index}>${label}</option>`,
          )}
        </select>
      </label>
      <div role="group" aria-label="Merkle tree">
        ${[...levels.keys()].reverse().map((l) => this.renderLevel(levels[l]!, l, index >> l))}
      </div>
      ${
        this.leaves.length > MAX_DRAWN_LEAVES
          ? html`<p class="muted">${this.leaves.length} leaves: only the proof path is drawn.</p>`
          : null
      }
      <p class="muted">
        Leaves are wtxids; the highlighted path leads from transaction ${index} to the root, the
        green siblings are the proof. A dashed hash is the last of an odd level paired with itself.
      </p>
      <ol aria-label="Merkle proof">
        ${proof.map(
          (step, l) =>
            html`<li>
              level ${l}: hash with sibling on the ${step.right ? 'right' : 'left'}
              <span class="mono">${hashToHex(step.sibling)}</span>
              ${step.duplicate ? html`<span class="muted">(itself: odd level)</span>` : null}
            </li>`,
        )}
      </ol>
      <button type="button" @click=${() => this.verify(this.leaves[index]!, proof)}>
        Verify: recompute the root from leaf and proof
      </button>
      ${
        this.verified
          ? html`<output aria-label="Proof verification" data-match=${this.verified.match}>
              Recomputed root
              <span class="mono" data-value="recomputed">${this.verified.root}</span> <br />Header's
              merkle root
              <span class="mono" data-value="header">${hashToHex(this.root)}</span>
              <br /><strong class=${this.verified.match ? 'ok' : 'bad'}>
                ${
                  this.verified.match
                    ? `They match: transaction ${index} is in this block (${proof.length} hashes, not all ${this.leaves.length} transactions).`
                    : 'They differ: this transaction list does not match the header.'
                }
              </strong>
            </output>`
          : null
      }
    `;
  }
}

/** Short label for a leaf: "tx 0 (coinbase) 1a2b…". */
export function leafLabel(index: number, txid: string): string {
  return `tx ${index}${index === 0 ? ' (coinbase)' : ''} ${shortHash(txid)}`;
}

declare global {
  interface HTMLElementTagNameMap {
    'tc-merkle-tree': TcMerkleTree;
  }
}
