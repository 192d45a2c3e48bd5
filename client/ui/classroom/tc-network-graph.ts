/**
 * The live graph of who is linked to whom: d3-force lays the nodes out (positions persist by
 * node id across updates, so the picture moves only where the network changed) and Lit draws
 * them as SVG. A filled node has the best verified height seen; a hollow one is behind, so a
 * new block is seen filling the graph as it spreads. Fork: orange; unverified claim: grey
 * dashed; mining: a double ring; this node: a thick outline.
 */
import {
  forceCenter,
  forceCollide,
  forceLink,
  forceManyBody,
  forceSimulation,
  type Simulation,
  type SimulationLinkDatum,
  type SimulationNodeDatum,
} from 'd3-force';
import { LitElement, css, html, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ClassroomNode } from './classroom-model.js';

const WIDTH = 800;
const HEIGHT = 520;

interface GraphNode extends SimulationNodeDatum {
  id: string;
  node: ClassroomNode;
}

type GraphLink = SimulationLinkDatum<GraphNode>;

@customElement('tc-network-graph')
export class TcNetworkGraph extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    svg {
      width: 100%;
      height: auto;
      max-height: 70vh;
      display: block;
    }
    line {
      stroke: var(--tc-border);
      stroke-width: 1.5;
    }
    circle {
      stroke: var(--tc-accent);
      stroke-width: 2;
      fill: var(--tc-panel);
    }
    .best circle.dot {
      fill: var(--tc-accent);
    }
    .fork circle {
      stroke: var(--tc-side);
    }
    .fork.best circle.dot,
    .fork circle.dot {
      fill: var(--tc-side);
    }
    .unverified circle {
      stroke: var(--tc-muted);
      stroke-dasharray: 3 3;
      fill: var(--tc-panel);
    }
    .self circle.dot {
      stroke-width: 4;
      stroke: var(--tc-fg);
    }
    circle.ring {
      fill: none;
      stroke-width: 1.5;
    }
    text {
      fill: var(--tc-fg);
      font:
        12px system-ui,
        sans-serif;
      text-anchor: middle;
      paint-order: stroke;
      stroke: var(--tc-panel);
      stroke-width: 3px;
    }
  `;

  @property({ attribute: false }) nodes: ClassroomNode[] = [];
  @property({ attribute: false }) links: [string, string][] = [];

  private readonly byId = new Map<string, GraphNode>();
  private graphLinks: GraphLink[] = [];
  private readonly simulation: Simulation<GraphNode, GraphLink> = forceSimulation<GraphNode>()
    .force('charge', forceManyBody<GraphNode>().strength(-420))
    .force(
      'link',
      forceLink<GraphNode, GraphLink>()
        .id((d) => d.id)
        .distance(120),
    )
    .force('center', forceCenter(WIDTH / 2, HEIGHT / 2))
    .force('collide', forceCollide<GraphNode>(40))
    .on('tick', () => this.requestUpdate())
    .stop();

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.simulation.stop();
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (!changed.has('nodes') && !changed.has('links')) return;
    const keep = new Set(this.nodes.map((n) => n.id));
    let structure = false;
    for (const id of [...this.byId.keys()]) {
      if (!keep.has(id)) {
        this.byId.delete(id);
        structure = true;
      }
    }
    for (const node of this.nodes) {
      const held = this.byId.get(node.id);
      if (held) held.node = node;
      else {
        // New nodes start near the centre, spread on a small circle so they do not overlap.
        const angle = this.byId.size * 2.4;
        this.byId.set(node.id, {
          id: node.id,
          node,
          x: WIDTH / 2 + 40 * Math.cos(angle),
          y: HEIGHT / 2 + 40 * Math.sin(angle),
        });
        structure = true;
      }
    }
    // d3 replaces each link's ids by its node objects: keep the links while they are the same.
    const fresh: GraphLink[] = this.links.map(([source, target]) => ({ source, target }));
    if (fresh.map(linkKey).join('|') !== this.graphLinks.map(linkKey).join('|')) {
      this.graphLinks = fresh;
      structure = true;
    }
    if (!structure) return;
    this.simulation.nodes([...this.byId.values()]);
    this.simulation
      .force<ReturnType<typeof forceLink<GraphNode, GraphLink>>>('link')!
      .links(this.graphLinks);
    this.simulation.alpha(0.5).restart();
  }

  override render() {
    const best = Math.max(
      0,
      ...this.nodes.filter((n) => n.claim === 'verified').map((n) => n.height),
    );
    const nodes = [...this.byId.values()];
    return html`<svg
      viewBox=${fitView(nodes)}
      role="img"
      aria-label="Network graph: ${nodes.length} nodes, ${this.graphLinks.length} links"
    >
      ${this.graphLinks.map((link) => {
        const a = link.source as GraphNode;
        const b = link.target as GraphNode;
        return typeof a === 'object' && typeof b === 'object'
          ? svg`<line x1=${a.x ?? 0} y1=${a.y ?? 0} x2=${b.x ?? 0} y2=${b.y ?? 0}></line>`
          : null;
      })}
      ${nodes.map(({ node, x = 0, y = 0 }) => {
        const classes = [
          node.claim === 'verified' ? '' : 'unverified',
          node.branch === 'fork' ? 'fork' : '',
          node.claim === 'verified' && node.height === best ? 'best' : '',
          node.self ? 'self' : '',
        ].join(' ');
        return svg`<g class=${classes} transform="translate(${x.toFixed(1)} ${y.toFixed(1)})">
          ${node.mining ? svg`<circle class="ring" r="17"></circle>` : null}
          <circle class="dot" r="12"></circle>
          <text y="30">${node.label}</text>
          <text y="4">${node.height}</text>
        </g>`;
      })}
    </svg>`;
  }
}

/** A viewBox around the nodes (labels included), so the drawing fills its box at any size. */
function fitView(nodes: readonly GraphNode[]): string {
  if (nodes.length === 0) return `0 0 ${WIDTH} ${HEIGHT}`;
  const xs = nodes.map((n) => n.x ?? 0);
  const ys = nodes.map((n) => n.y ?? 0);
  const [x0, x1] = [Math.min(...xs) - 70, Math.max(...xs) + 70];
  const [y0, y1] = [Math.min(...ys) - 30, Math.max(...ys) + 45];
  // A minimum size, so that two or three nodes are not drawn huge.
  const width = Math.max(x1 - x0, 480);
  const height = Math.max(y1 - y0, width / 2, 280);
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  return [cx - width / 2, cy - height / 2, width, height].map((v) => v.toFixed(0)).join(' ');
}

function linkKey(link: GraphLink): string {
  const id = (end: GraphLink['source']) => (typeof end === 'object' ? end.id : String(end));
  return `${id(link.source)} ${id(link.target)}`;
}

declare global {
  interface HTMLElementTagNameMap {
    'tc-network-graph': TcNetworkGraph;
  }
}
