/**
 * The nodes of this browser: every `tabcoin-<network>-<node>` database (on a raised-difficulty
 * regtest `tabcoin-regtest-powN-<node>`, opened with `&pow=N`), as `?node=NAME`
 * links (each node is its own chain, wallet and peer identity), and a form to open a named
 * node. A node already open in another tab opens as a fresh node instead (Web Lock), and that
 * tab says so in its header.
 */
import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { isNodeId, type NetworkName } from '../../core/index.js';
import { NodeController } from './node-controller.js';
import { panelStyles } from './theme.js';

interface KnownNode {
  network: NetworkName;
  /** Leading zero bits of a raised-difficulty regtest (`&pow=N`). */
  pow?: number;
  nodeId: string;
}

const DB_NAME = /^tabcoin-(main|regtest)(?:-pow(\d+))?-(.+)$/;

/** Link that opens `nodeId` on `network` (and `pow`), keeping other query parameters. */
export function nodeHref(network: string, nodeId: string, pow?: number): string {
  const params = new URLSearchParams(location.search);
  params.set('network', network);
  if (pow === undefined) params.delete('pow');
  else params.set('pow', String(pow));
  params.set('node', nodeId);
  return `?${params}`;
}

const networkLabel = (n: { network: string; pow?: number }) =>
  n.pow === undefined ? n.network : `${n.network}, pow ${n.pow}`;

@customElement('tc-node-picker')
export class TcNodePicker extends LitElement {
  static override styles = [
    panelStyles,
    css`
      ul {
        padding-left: 1.1rem;
        margin: 0.3rem 0 0.6rem;
      }
      form {
        display: flex;
        gap: 0.4rem;
        align-items: flex-end;
      }
      form .field {
        flex: 1;
        margin: 0;
      }
    `,
  ];

  @state() private nodes: KnownNode[] = [];
  @state() private name = '';
  private readonly ctl = new NodeController(this, { events: [] });

  override connectedCallback(): void {
    super.connectedCallback();
    void this.list();
  }

  private async list(): Promise<void> {
    const databases = (await indexedDB.databases?.()) ?? [];
    this.nodes = databases
      .map((db) => DB_NAME.exec(db.name ?? ''))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({
        network: m[1] as NetworkName,
        ...(m[2] === undefined ? {} : { pow: Number(m[2]) }),
        nodeId: m[3]!,
      }))
      .sort(
        (a, b) =>
          networkLabel(a).localeCompare(networkLabel(b)) || a.nodeId.localeCompare(b.nodeId),
      );
  }

  private open(event: SubmitEvent): void {
    event.preventDefault();
    const node = this.ctl.node;
    if (node && isNodeId(this.name))
      window.open(nodeHref(node.params.network, this.name, node.params.powBits), '_blank');
  }

  override render() {
    const node = this.ctl.node;
    if (!node) return null;
    const valid = this.name === '' || isNodeId(this.name);
    return html`
      <h2 id="nodes-heading">Nodes in this browser</h2>
      <p class="muted">
        Each node has its own chain, wallet and peer id, and runs in one tab at a time. The plain
        address reopens this browser's last node (unless another tab has it open);
        <code>?node=NAME</code> opens the node called NAME, creating it the first time.
      </p>
      <ul aria-labelledby="nodes-heading">
        ${this.nodes.map(
          (n) =>
            html`<li>
              <a href=${nodeHref(n.network, n.nodeId, n.pow)} target="_blank" rel="noopener"
                >${n.nodeId}</a
              >
              <span class="muted">(${networkLabel(n)})</span>
              ${
                n.nodeId === node.identity.nodeId &&
                n.network === node.params.network &&
                n.pow === node.params.powBits
                  ? html`<strong>this tab</strong>`
                  : null
              }
            </li>`,
        )}
      </ul>
      <form @submit=${this.open}>
        <div class="field">
          <label for="node-name">Open a named node</label>
          <input
            id="node-name"
            .value=${this.name}
            placeholder="alice"
            aria-invalid=${!valid}
            aria-describedby="node-name-hint"
            @input=${(e: Event) => (this.name = (e.target as HTMLInputElement).value)}
          />
        </div>
        <button type="submit" ?disabled=${!valid || this.name === ''}>Open in a new tab</button>
      </form>
      <p id="node-name-hint" class="muted">Letters, digits, _ and -, up to 64 characters.</p>
      <button type="button" class="secondary" @click=${() => this.list()}>Refresh list</button>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tc-node-picker': TcNodePicker;
  }
}
