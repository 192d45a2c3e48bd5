/**
 * The classroom view's model: turns the status table (what every reachable node reported) and
 * this node's own block tree into what the projector shows. Claims are checked against the
 * headers this node knows, so a lying node cannot make the view show a block it does not have:
 * a tip this node does not know is "unverified", a known tip with another height is "false".
 * Also tracks how each recent block spread (who had it when, on this node's clock) and forks
 * as they appear and resolve. Pure: the clock is passed in; no DOM.
 */
import { hashToHex, type BlockEntry } from '../../../core/index.js';
import type { StatusEntry } from '../../net/status-table.js';

/** How far back a tip's branch is followed to place it relative to the active chain. */
const MAX_WALK = 64;
/** Recent blocks whose spread is shown. */
export const MAX_SPREADS = 5;
/** Anonymous nodes numbered before the numbering starts again. */
const MAX_ANON_NUMBERS = 4096;
/** Fork records kept (resolved ones drop off first). */
export const MAX_FORKS = 6;

/** The part of the chain the model reads. */
export interface ChainView {
  readonly tip: BlockEntry;
  getEntry(id: string): BlockEntry | undefined;
  isActive(entry: BlockEntry): boolean;
  entryAt(height: number): BlockEntry | undefined;
}

export type Claim = 'verified' | 'unverified' | 'false';

export interface ClassroomNode {
  id: string;
  label: string;
  anonymous: boolean;
  self: boolean;
  /** Verified height when the claim checks out, else the claimed one. */
  height: number;
  claimedHeight: number;
  tip: string;
  claim: Claim;
  /** Where its tip lies relative to this node's active chain. */
  branch: 'main' | 'fork' | 'unknown';
  mining: boolean;
  hashrate: number;
  peerCount: number;
  links: string[];
  distance: number;
  ageMs: number;
}

export interface SpreadStep {
  node: string;
  label: string;
  /** Milliseconds after the first node had it. */
  offsetMs: number;
}

export interface BlockSpread {
  id: string;
  height: number;
  /** When the first node had it (this node's clock, ms). */
  firstAt: number;
  steps: SpreadStep[];
}

export interface ForkBranch {
  /** First block of the branch after the fork point. */
  root: string;
  tip: string;
  height: number;
  nodes: string[];
}

export interface ForkRecord {
  /** The last block both branches share. */
  forkPoint: string;
  height: number;
  seenAt: number;
  branches: ForkBranch[];
  resolvedAt?: number;
  /** Root of the branch that won (the active chain's) once resolved. */
  winner?: string;
}

export interface ClassroomSnapshot {
  nodes: ClassroomNode[];
  links: [string, string][];
  spreads: BlockSpread[];
  forks: ForkRecord[];
}

/** Names are shown as text; control and format characters (bidi overrides) are dropped. */
const sanitize = (name: string) => name.replace(/\p{C}/gu, '').trim();

export class ClassroomModel {
  private readonly anonNumbers = new Map<string, number>();
  private readonly arrivals = new Map<string, { height: number; at: Map<string, number> }>();
  private readonly forks = new Map<string, ForkRecord>();

  constructor(
    readonly selfId: string,
    private readonly now: () => number,
  ) {}

  update(entries: readonly StatusEntry[], chain: ChainView): ClassroomSnapshot {
    const nodes = entries.map((entry) => this.node(entry, chain));
    const labels = new Map(nodes.map((n) => [n.id, n.label]));
    for (const entry of entries) this.recordArrivals(entry, chain);
    return {
      nodes,
      links: linksAmong(nodes),
      spreads: this.spreads(labels),
      forks: this.trackForks(nodes, chain),
    };
  }

  private label(entry: StatusEntry): string {
    const { report } = entry;
    if (!report.anonymous) return sanitize(report.name) || report.origin;
    let n = this.anonNumbers.get(report.origin);
    // Numbers stay stable for the session; a flood of invented origins cannot grow this forever.
    if (n === undefined && this.anonNumbers.size >= MAX_ANON_NUMBERS) this.anonNumbers.clear();
    if (n === undefined) this.anonNumbers.set(report.origin, (n = this.anonNumbers.size + 1));
    return `anonymous ${n}`;
  }

  private node(entry: StatusEntry, chain: ChainView): ClassroomNode {
    const { report } = entry;
    const tip = hashToHex(report.tip);
    const known = chain.getEntry(tip);
    const claim: Claim = !known
      ? 'unverified'
      : known.status === 'invalid' || known.height !== report.height
        ? 'false'
        : 'verified';
    return {
      id: report.origin,
      label: this.label(entry),
      anonymous: report.anonymous,
      self: report.origin === this.selfId,
      height: claim === 'verified' ? known!.height : report.height,
      claimedHeight: report.height,
      tip,
      claim,
      branch: claim === 'verified' ? placeOf(known!, chain).branch : 'unknown',
      mining: report.mining,
      hashrate: report.hashrate,
      peerCount: report.peerCount,
      links: report.links,
      distance: entry.distance,
      ageMs: Math.max(0, this.now() - entry.madeAt),
    };
  }

  /** Arrival times of blocks this node knows; claims about unknown blocks are ignored. */
  private recordArrivals(entry: StatusEntry, chain: ChainView): void {
    for (const arrival of entry.report.arrivals) {
      const id = hashToHex(arrival.block);
      const known = chain.getEntry(id);
      if (!known || known.status === 'invalid') continue;
      let record = this.arrivals.get(id);
      if (!record) this.arrivals.set(id, (record = { height: known.height, at: new Map() }));
      if (!record.at.has(entry.report.origin)) {
        record.at.set(entry.report.origin, entry.madeAt - arrival.agoMs);
      }
    }
  }

  private spreads(labels: ReadonlyMap<string, string>): BlockSpread[] {
    const all = [...this.arrivals].map(([id, { height, at }]) => ({
      id,
      height,
      firstAt: Math.min(...at.values()),
      at,
    }));
    all.sort((a, b) => b.firstAt - a.firstAt || b.height - a.height);
    for (const old of all.slice(MAX_SPREADS)) this.arrivals.delete(old.id);
    return all.slice(0, MAX_SPREADS).map(({ id, height, firstAt, at }) => ({
      id,
      height,
      firstAt,
      steps: [...at]
        .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
        .map(([node, time]) => ({
          node,
          label: labels.get(node) ?? node,
          offsetMs: Math.round(time - firstAt),
        })),
    }));
  }

  /** Open a record for each fork point with nodes on both sides; close it when none are. */
  private trackForks(nodes: readonly ClassroomNode[], chain: ChainView): ForkRecord[] {
    const now = this.now();
    const open = new Map<string, Map<string, ForkBranch>>();
    for (const node of nodes) {
      if (node.branch !== 'fork') continue;
      const place = placeOf(chain.getEntry(node.tip)!, chain);
      if (!place.forkPoint || !place.root) continue;
      const branches = open.get(place.forkPoint.id) ?? new Map<string, ForkBranch>();
      open.set(place.forkPoint.id, branches);
      addToBranch(branches, place.root.id, node);
    }
    for (const [pointId, branches] of open) {
      const point = chain.getEntry(pointId)!;
      const mainRoot = chain.entryAt(point.height + 1);
      if (mainRoot) {
        for (const node of nodes) {
          if (node.branch === 'main' && node.claim === 'verified' && node.height > point.height)
            addToBranch(branches, mainRoot.id, node);
        }
      }
      const record = this.forks.get(pointId);
      if (!record || record.resolvedAt !== undefined) {
        this.forks.set(pointId, {
          forkPoint: pointId,
          height: point.height,
          seenAt: now,
          branches: [...branches.values()],
        });
      } else {
        record.branches = mergeBranches(record.branches, [...branches.values()]);
      }
    }
    for (const record of this.forks.values()) {
      if (record.resolvedAt !== undefined || open.has(record.forkPoint)) continue;
      record.resolvedAt = now;
      record.winner = chain.entryAt(record.height + 1)?.id;
    }
    const records = [...this.forks.values()].sort((a, b) => b.seenAt - a.seenAt);
    for (const old of records.slice(MAX_FORKS)) {
      if (old.resolvedAt !== undefined) this.forks.delete(old.forkPoint);
    }
    return records.slice(0, MAX_FORKS);
  }
}

/**
 * Where a known tip lies: on the active chain (behind its tip, or ahead of it on the same
 * line), or on a branch that left it at `forkPoint` with `root` as its first block.
 */
function placeOf(
  tip: BlockEntry,
  chain: ChainView,
): { branch: ClassroomNode['branch']; forkPoint?: BlockEntry; root?: BlockEntry } {
  let entry: BlockEntry | undefined = tip;
  let child: BlockEntry | undefined;
  for (let steps = 0; entry && steps <= MAX_WALK; steps++) {
    if (chain.isActive(entry)) {
      if (entry === tip || entry.id === chain.tip.id) return { branch: 'main' };
      return { branch: 'fork', forkPoint: entry, root: child };
    }
    child = entry;
    entry = entry.parent;
  }
  return { branch: 'unknown' };
}

function addToBranch(branches: Map<string, ForkBranch>, root: string, node: ClassroomNode): void {
  const branch = branches.get(root);
  if (!branch) {
    branches.set(root, { root, tip: node.tip, height: node.height, nodes: [node.label] });
    return;
  }
  if (!branch.nodes.includes(node.label)) branch.nodes.push(node.label);
  if (node.height > branch.height) Object.assign(branch, { tip: node.tip, height: node.height });
}

/** Branches seen so far and now: a node that switched sides is listed on both. */
function mergeBranches(before: ForkBranch[], now: ForkBranch[]): ForkBranch[] {
  const byRoot = new Map(before.map((b) => [b.root, { ...b, nodes: [...b.nodes] }]));
  for (const branch of now) {
    const held = byRoot.get(branch.root);
    if (!held) byRoot.set(branch.root, branch);
    else {
      for (const node of branch.nodes) if (!held.nodes.includes(node)) held.nodes.push(node);
      if (branch.height > held.height)
        Object.assign(held, { tip: branch.tip, height: branch.height });
    }
  }
  return [...byRoot.values()];
}

/** Undirected links between visible nodes, each once. */
function linksAmong(nodes: readonly ClassroomNode[]): [string, string][] {
  const visible = new Set(nodes.map((n) => n.id));
  const seen = new Set<string>();
  const links: [string, string][] = [];
  for (const node of nodes) {
    for (const other of node.links) {
      if (!visible.has(other) || other === node.id) continue;
      const [a, b] = node.id < other ? [node.id, other] : [other, node.id];
      const key = `${a} ${b}`;
      if (seen.has(key)) continue;
      seen.add(key);
      links.push([a, b]);
    }
  }
  return links;
}
