/**
 * What this tab has seen since it started, for the event log and the fork tree: a bounded list
 * of accepted and refused data (each refusal with its reason and the peer), peer comings and
 * goings, notices, and the reorgs (which blocks left the active chain). Bursts are merged: a
 * syncing node accepts hundreds of blocks a second, and they become one "blocks 5–104" line.
 * One journal per node, created when the UI starts (`journalFor`).
 */
import { headerId, type ProcessedBlock } from '../../core/index.js';
import { Emitter } from '../events.js';
import { stageWords, type LinkFailure } from '../net/link-attempt.js';
import type { TabNode } from '../node.js';

export type LogKind =
  'accepted' | 'refused' | 'banned' | 'peer' | 'link' | 'reorg' | 'notice' | 'sync';

/** One line for a failed link attempt: the peer, the stage it reached, the likely cause. */
export function linkFailureText(f: LinkFailure): string {
  const how = f.outcome === 'timed-out' ? 'timed out' : 'failed';
  const seconds = (f.elapsedMs / 1000).toFixed(1);
  const side = f.initiator ? 'we dialled' : 'they dialled';
  return `link to ${f.peer} ${how} at ${stageWords(f.stage)} after ${seconds} s (${side}): ${f.cause}`;
}

export interface LogEntry {
  seq: number;
  /** Milliseconds since the epoch. */
  time: number;
  kind: LogKind;
  text: string;
  /** For refusals: the reject reason (kebab-case) and who sent the data. */
  reason?: string;
  from?: string;
  /** Block or transaction id, to open in the explorer. */
  id?: string;
}

export interface Reorg {
  time: number;
  /** Blocks that left the active chain, tip first. */
  disconnected: string[];
  /** Blocks that replaced them, lowest first. */
  connected: string[];
  /** Height of the last block both chains share. */
  forkHeight: number;
}

/**
 * A fork or a reorg this tab saw, kept until the user clears the list (the tree prunes side
 * branches PRUNE_DEPTH blocks behind the tip; this list does not forget them).
 */
export interface ForkRecord {
  /** When it was first seen (ms); updated as a side branch grows. */
  time: number;
  /** 'fork': a competing block that did not (yet) win; 'reorg': the active chain switched. */
  kind: 'fork' | 'reorg';
  /** Height of the last block both branches share. */
  forkHeight: number;
  /** Blocks that lost: the side branch, or the blocks a reorg took off the active chain. */
  lost: string[];
  /** The blocks the active chain has at those heights (what won). */
  won: string[];
}

export const MAX_FORK_RECORDS = 50;
export const MAX_LOG_ENTRIES = 300;
export const MAX_REORGS = 50;
/** Lines one chain change may add for dropped or erased transactions. */
const MAX_LINES_PER_EVENT = 10;
/** Accepted blocks from one source within this time are merged into one line. */
const MERGE_MS = 2_000;
/**
 * A peer's link failing again the same way within this time adds no line (the mesh retries
 * every 30 s; the peers panel shows the latest attempt anyway).
 */
export const LINK_REPEAT_MS = 5 * 60_000;
/** Peers whose last logged link failure is remembered for that. */
const MAX_LINK_MEMORY = 100;

interface BlockRun {
  entry: LogEntry;
  from: string;
  first: number;
  last: number;
  count: number;
}

export class NodeJournal extends Emitter<{ changed: void }> {
  private readonly log: LogEntry[] = [];
  readonly reorgs: Reorg[] = [];
  /** Recent forks and reorgs, newest first, until `clearForks`. */
  readonly forks: ForkRecord[] = [];
  /** Ids of every block a reorg took off the active chain (for the fork tree). */
  readonly reorgedOut = new Set<string>();
  private seq = 0;
  private run: BlockRun | undefined = undefined;
  private readonly lastLinkFailure = new Map<string, { key: string; time: number }>();

  constructor(
    node: TabNode,
    private readonly now: () => number = Date.now,
  ) {
    super();
    const self = node.identity.nodeId;
    for (const text of node.startNotices ?? []) this.add('notice', text);
    const who = (from: string) =>
      from === 'local' ? 'this tab' : from === self ? 'this tab' : from;
    node.on('block-accepted', (b) => {
      if (b.status !== 'active') {
        // The height from the chain's index when the event has none (never "block -1").
        const height = b.height >= 0 ? b.height : node.state.chain.getEntry(b.id)?.height;
        const status = b.status.replace(/-/g, ' ');
        this.add(
          'accepted',
          `block ${height === undefined ? '' : `${height} `}${b.id.slice(0, 12)}… (${status}) from ${who(b.from)}`,
          { id: b.id, from: b.from },
        );
        this.noteFork(node, b.id);
        return;
      }
      this.addBlock(b.id, b.height, b.from, who(b.from));
    });
    node.on('tx-accepted', (t) =>
      this.add('accepted', `tx ${t.id.slice(0, 12)}… entered the mempool from ${who(t.from)}`, {
        id: t.id,
        from: t.from,
      }),
    );
    node.on('refused', (r) =>
      this.add(
        'refused',
        `refused ${r.kind}${r.id ? ` ${r.id.slice(0, 12)}…` : ''} from ${who(r.from)}: ${r.reason} — ${r.message}`,
        {
          reason: r.reason,
          from: r.from,
          id: r.id,
        },
      ),
    );
    node.on('banned', (b) =>
      this.add(
        'banned',
        `banned ${b.id} until ${new Date(b.until).toLocaleTimeString()}: ${b.reason}`,
        { from: b.id, reason: b.reason.split(':')[0] },
      ),
    );
    node.on('peer-reject', (r) =>
      this.add('refused', `peer ${r.from} refused our ${r.message}: ${r.reason} — ${r.detail}`, {
        reason: r.reason,
        from: r.from,
      }),
    );
    node.on('peer-connected', (p) =>
      this.add('peer', `peer ${p.id} connected (${p.inbound ? 'inbound' : 'outbound'})`, {
        from: p.id,
      }),
    );
    node.on('peer-disconnected', (p) =>
      this.add('peer', `peer ${p.id} left: ${p.reason}`, { from: p.id }),
    );
    node.on('link-failed', (f) => this.addLinkFailure(f));
    node.on('link-route', ({ peer, route }) =>
      this.add(
        'peer',
        route === 'relayed'
          ? `link to ${peer} is relayed through a TURN server`
          : `link to ${peer} is direct (no relay)`,
        { from: peer },
      ),
    );
    node.on('notice', (text) => this.add('notice', text));
    node.on('tracker', (t) => this.add('notice', `tracker: ${t.message}`));
    node.on('chain-changed', (result) => {
      for (const entry of result.mempool.conflicts.slice(0, MAX_LINES_PER_EVENT))
        this.add(
          'reorg',
          `double spend: pending tx ${entry.id.slice(0, 12)}… dropped, a block spends the same coins`,
          { id: entry.id },
        );
      if (result.change.disconnected.length > 0) this.addReorg(node, result);
    });
  }

  private addReorg(node: TabNode, result: ProcessedBlock): void {
    const { disconnected, connected } = result.change;
    const gone = disconnected.map((b) => headerId(b.header));
    const tip = node.state.chain.tip;
    const reorg: Reorg = {
      time: this.now(),
      disconnected: gone,
      connected: connected.map((b) => headerId(b.header)),
      forkHeight: tip.height - connected.length,
    };
    this.reorgs.unshift(reorg);
    this.reorgs.length = Math.min(this.reorgs.length, MAX_REORGS);
    // A fork listed as lost that has now won is told by the reorg record instead.
    const chain = node.state.chain;
    const won = (f: ForkRecord) => {
      const first = chain.getEntry(f.lost[0]!);
      return f.kind === 'fork' && first !== undefined && chain.isActive(first);
    };
    for (let i = this.forks.length - 1; i >= 0; i--)
      if (won(this.forks[i]!)) this.forks.splice(i, 1);
    this.recordFork({
      time: reorg.time,
      kind: 'reorg',
      forkHeight: reorg.forkHeight,
      lost: [...gone].reverse(),
      won: reorg.connected,
    });
    for (const id of gone) this.reorgedOut.add(id);
    this.run = undefined;
    this.add(
      'reorg',
      `reorg: ${gone.length} block(s) above height ${reorg.forkHeight} replaced by ${connected.length}; new tip ${tip.id.slice(0, 12)}…`,
      { id: tip.id },
    );
    // Payments confirmed in the blocks that left, neither in the new chain nor valid any more:
    // the new chain spent their coins otherwise (a double spend).
    for (const id of result.mempool.replaced.slice(0, MAX_LINES_PER_EVENT))
      this.add(
        'reorg',
        `double spend: tx ${id.slice(0, 12)}… was confirmed, left the chain in the reorg and cannot come back (its coins are spent on the new chain)`,
        { id },
      );
  }

  private addLinkFailure(f: LinkFailure): void {
    const key = `${f.stage}|${f.cause}`;
    const last = this.lastLinkFailure.get(f.peer);
    const now = this.now();
    if (last && last.key === key && now - last.time < LINK_REPEAT_MS) return;
    this.lastLinkFailure.delete(f.peer);
    this.lastLinkFailure.set(f.peer, { key, time: now });
    if (this.lastLinkFailure.size > MAX_LINK_MEMORY)
      this.lastLinkFailure.delete(this.lastLinkFailure.keys().next().value!);
    this.add('link', linkFailureText(f), { from: f.peer });
  }

  /** Forget the fork history (the user cleared it). */
  clearForks(): void {
    this.forks.length = 0;
    this.emit('changed', undefined);
  }

  /** A side-branch block arrived: a new fork, or one more block on a fork already listed. */
  private noteFork(node: TabNode, id: string): void {
    const chain = node.state.chain;
    const entry = chain.getEntry(id);
    if (!entry?.parent) return;
    const extended = this.forks.find(
      (f) => f.kind === 'fork' && f.lost.at(-1) === entry.parent!.id,
    );
    const winner = chain.entryAt(entry.height)?.id;
    if (extended) {
      extended.lost.push(id);
      if (winner) extended.won.push(winner);
      extended.time = this.now();
    } else {
      let base = entry.parent;
      const lost = [id];
      while (base.parent && !chain.isActive(base)) {
        lost.unshift(base.id);
        base = base.parent;
      }
      const won = lost.map((_, i) => chain.entryAt(base.height + 1 + i)?.id).filter(isString);
      this.recordFork({ time: this.now(), kind: 'fork', forkHeight: base.height, lost, won });
    }
    this.emit('changed', undefined);
  }

  private recordFork(record: ForkRecord): void {
    this.forks.unshift(record);
    this.forks.length = Math.min(this.forks.length, MAX_FORK_RECORDS);
  }

  /** Entries, newest first (at most MAX_LOG_ENTRIES). */
  entries(): readonly LogEntry[] {
    return this.log;
  }

  private add(kind: LogKind, text: string, extra: Partial<LogEntry> = {}): LogEntry {
    const entry: LogEntry = { seq: this.seq++, time: this.now(), kind, text, ...extra };
    this.log.unshift(entry);
    if (this.log.length > MAX_LOG_ENTRIES) this.log.length = MAX_LOG_ENTRIES;
    if (kind !== 'accepted') this.run = undefined;
    this.emit('changed', undefined);
    return entry;
  }

  /** An active block: its own line, or merged into the running line of its source's burst. */
  private addBlock(id: string, height: number, from: string, who: string): void {
    const run = this.run;
    const now = this.now();
    if (
      run &&
      run.from === from &&
      run.last + 1 === height &&
      now - run.entry.time < MERGE_MS &&
      this.log[0] === run.entry
    ) {
      run.last = height;
      run.count++;
      run.entry.text = `blocks ${run.first}–${height} (${run.count}) from ${who}`;
      run.entry.id = id;
      run.entry.time = now;
      this.emit('changed', undefined);
      return;
    }
    const entry = this.add('accepted', `block ${height} ${id.slice(0, 12)}… from ${who}`, {
      id,
      from,
    });
    this.run = { entry, from, first: height, last: height, count: 1 };
  }
}

const journals = new WeakMap<TabNode, NodeJournal>();

/** The journal of `node`, started on first use (tc-app asks first, as soon as the node runs). */
export function journalFor(node: TabNode): NodeJournal {
  let journal = journals.get(node);
  if (!journal) journals.set(node, (journal = new NodeJournal(node)));
  return journal;
}

function isString(value: string | undefined): value is string {
  return value !== undefined;
}
