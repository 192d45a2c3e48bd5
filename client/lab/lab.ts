/**
 * The attack lab: makes this tab send one kind of invalid data to all its peers, once or
 * repeatedly, so everyone can watch honest tabs refuse it (and ban the sender where the rule
 * is consensus). The data bypasses this tab's own validation on purpose.
 */
import {
  checkProofOfWork,
  encodeBlock,
  encodeHeader,
  type Block,
  type BlockHeader,
  type NodeState,
} from '../../core/index.js';
import { Emitter } from '../events.js';
import type { P2P } from '../net/p2p.js';
import { attackSpec, type AttackKind } from './attacks.js';
import { craftAttack, findCoins, LabError, type CraftContext } from './craft.js';
import { craftBigBlock, floodTarget } from './craft-hostile.js';
import { rejoinUnderNewIds, type SybilDialer } from './rejoin.js';
import { doubleSpendWithHiddenChain, type HiddenChainResult } from './hidden-chain.js';

export interface LabNode {
  state: NodeState;
  p2p: P2P;
  pubkey: Uint8Array;
  /** The tab's secret key (throws if the wallet is locked). */
  secretKey(): Uint8Array;
  /** Open a link to `remoteId` under another node id (for "rejoin under new ids"). */
  sybil?: SybilDialer;
}

export interface LabEvents extends Record<string, unknown> {
  sent: { kind: AttackKind; peers: number; messages: number };
  /** "Rejoin under new ids": links the fresh ids got, out of those tried. */
  rejoined: { tried: number; admitted: number };
  failed: { kind: AttackKind | 'hidden-chain'; message: string };
}

/** Nonces tried per slice before yielding to the page. */
const SOLVE_SLICE = 20_000;

export class AttackLab extends Emitter<LabEvents> {
  private readonly repeating = new Map<AttackKind, ReturnType<typeof setInterval>>();
  /** The honest block kept back by the last header-poisoning attack. */
  withheld: Block | undefined = undefined;

  constructor(
    private readonly node: LabNode,
    private readonly clock: () => number = Date.now,
  ) {
    super();
  }

  private async solve(header: BlockHeader): Promise<BlockHeader> {
    for (let start = 0; start < 2 ** 32; start += SOLVE_SLICE) {
      for (let nonce = start; nonce < start + SOLVE_SLICE; nonce++) {
        const candidate = { ...header, nonce };
        if (checkProofOfWork(encodeHeader(candidate))) return candidate;
      }
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    throw new LabError('no nonce found');
  }

  /** Craft `kind` from the current chain and send it to every ready peer. */
  async launch(kind: AttackKind): Promise<number> {
    try {
      if (kind === 'rejoin-new-ids') return await this.rejoin();
      if (kind === 'getdata-flood') await this.ensureBigBlock();
      const crafted = await craftAttack(kind, this.context());
      if (crafted.withheld) this.withheld = crafted.withheld;
      const peers = [...this.node.p2p.peers.values()].filter((p) => p.state === 'ready');
      for (const peer of peers) {
        for (const message of crafted.messages) peer.send(message);
        for (const frame of crafted.frames) peer.link.send(frame);
        for (const text of crafted.texts) {
          if (!peer.link.sendText) throw new LabError('this link cannot send text messages');
          peer.link.sendText(text);
        }
      }
      this.emit('sent', {
        kind,
        peers: peers.length,
        messages: crafted.messages.length + crafted.frames.length + crafted.texts.length,
      });
      return peers.length;
    } catch (err) {
      const message =
        err instanceof LabError
          ? err.message
          : `could not craft ${attackSpec(kind).title}: ${(err as Error).message}`;
      this.emit('failed', { kind, message });
      return 0;
    }
  }

  /**
   * Send a block crafted elsewhere (the block dialog's "tamper with history") to every ready
   * peer, as it is: like every lab attack it bypasses this tab's own validation.
   */
  sendBlock(block: Block): number {
    const peers = [...this.node.p2p.peers.values()].filter((p) => p.state === 'ready');
    for (const peer of peers) peer.send({ type: 'block', block });
    this.emit('sent', { kind: 'history-rewrite', peers: peers.length, messages: 1 });
    return peers.length;
  }

  /** The withheld honest block, encoded (to relay it from another tab). */
  withheldBytes(): Uint8Array | undefined {
    return this.withheld && encodeBlock(this.withheld);
  }

  /**
   * A getdata flood asks for a big block: mine one (valid, relayed like any other) if the chain
   * has none, and wait until every peer has downloaded it.
   */
  private async ensureBigBlock(): Promise<void> {
    if (await floodTarget(this.context())) return;
    const peers = [...this.node.p2p.peers.values()].filter((p) => p.state === 'ready');
    const sentBefore = peers.map((p) => p.bytesOut);
    const big = await craftBigBlock(this.context());
    const result = await this.node.p2p.submitBlock(big, 'local');
    if (!result.ok) throw new LabError(`the big block was refused: ${result.reason}`);
    for (let waited = 0; waited < 400; waited++) {
      if (peers.every((p, i) => p.state !== 'ready' || p.bytesOut - sentBefore[i]! >= 600_000))
        return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new LabError('peers did not download the big block within 20 s');
  }

  /** Get banned, then come back under fresh ids: see rejoin.ts. */
  private async rejoin(): Promise<number> {
    if (!this.node.sybil) throw new LabError('this node cannot open links under other ids');
    const result = await rejoinUnderNewIds(this.node.p2p, this.node.state, this.node.sybil);
    this.emit('sent', { kind: 'rejoin-new-ids', peers: result.victims, messages: result.tried });
    this.emit('rejoined', { tried: result.tried, admitted: result.admitted });
    return result.victims;
  }

  private context(): CraftContext {
    return {
      state: this.node.state,
      secret: this.node.secretKey(),
      pubkey: this.node.pubkey,
      now: Math.floor(this.clock() / 1000),
      randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)),
      solve: (header) => this.solve(header),
    };
  }

  /**
   * Mine blocks paying the lab's key until it owns a mature coin (the attacks marked
   * `needsCoins` spend it). The blocks are valid and relayed like any other.
   */
  async prepare(): Promise<number> {
    let mined = 0;
    while (
      (await findCoins(this.node.state, { mature: true, owner: this.node.pubkey })).length === 0
    ) {
      const now = Math.floor(this.clock() / 1000);
      const template = await this.node.state.template(this.node.pubkey, now, mined);
      const block = { ...template.block, header: await this.solve(template.block.header) };
      const result = await this.node.p2p.submitBlock(block, 'local');
      if (!result.ok) throw new LabError(`a preparation block was refused: ${result.reason}`);
      mined++;
    }
    return mined;
  }

  /** The 51% lesson: pay `merchant`, then erase the payment with a heavier private chain. */
  async hiddenChain(merchant: Uint8Array): Promise<HiddenChainResult | undefined> {
    try {
      return await doubleSpendWithHiddenChain(this.context(), this.node.p2p, merchant);
    } catch (err) {
      this.emit('failed', { kind: 'hidden-chain', message: (err as Error).message });
      return undefined;
    }
  }

  /** Send `kind` every `intervalMs` until `stop(kind)`. */
  repeat(kind: AttackKind, intervalMs = 3000): void {
    if (this.repeating.has(kind)) return;
    void this.launch(kind);
    this.repeating.set(
      kind,
      setInterval(() => void this.launch(kind), intervalMs),
    );
  }

  stop(kind: AttackKind): void {
    clearInterval(this.repeating.get(kind));
    this.repeating.delete(kind);
  }

  isRepeating(kind: AttackKind): boolean {
    return this.repeating.has(kind);
  }

  stopAll(): void {
    for (const kind of [...this.repeating.keys()]) this.stop(kind);
  }
}
