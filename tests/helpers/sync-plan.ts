/**
 * Random block trees for the write-cache tests: a trunk and forks off any earlier block, with
 * spends of mature coinbases (so coins and undo data are not trivial) and, on request, a
 * block whose coinbase claims too much (so invalid branches are marked and their bodies
 * deleted). Delivered headers first, then bodies slightly out of order, as a sync does.
 */
import fc from 'fast-check';
import {
  COINBASE_MATURITY,
  MemoryStore,
  headerId,
  type Block,
  type BlockEntry,
  type BlockHeader,
  type NodeState,
  genesisEntry,
} from '../../core/index.js';
import { SUBSIDY, alice, bob, buildBlock, outputOf, params, pay } from './regtest.js';
import { childEntry } from './tall-chain.js';

export interface Fork {
  /** Picks the parent among the blocks built so far (genesis included). */
  at: number;
  length: number;
  /** Index in the branch of a block that claims one unit too much (invalid), if any. */
  bad: number | undefined;
}

export interface SyncPlan {
  trunk: number;
  forks: Fork[];
  /** Swaps of neighbouring deliveries (bodies arriving out of order). */
  swaps: number[];
}

export const planArb: fc.Arbitrary<SyncPlan> = fc.record({
  trunk: fc.integer({ min: 4, max: 24 }),
  forks: fc.array(
    fc.record({
      at: fc.nat(),
      length: fc.integer({ min: 1, max: 14 }),
      bad: fc.option(fc.nat({ max: 20 }), { nil: undefined }),
    }),
    { maxLength: 3 },
  ),
  swaps: fc.array(fc.nat(), { maxLength: 12 }),
});

export type Step = { kind: 'headers'; headers: BlockHeader[] } | { kind: 'block'; block: Block };

interface Built {
  entry: BlockEntry;
  block: Block | undefined;
}

/** Blocks are memoised by parent and tag, so plans that share a prefix share its signing. */
const memo = new Map<string, Block>();

function childOf(parent: Built, tag: number, bad: boolean, byId: Map<string, Built>): Block {
  const key = `${parent.entry.id}/${tag}/${bad}`;
  const known = memo.get(key);
  if (known) return known;
  const height = parent.entry.height + 1;
  const txs = [];
  if (height > COINBASE_MATURITY + 1) {
    // Spend the coinbase of the ancestor that just matured on this branch.
    let anc = parent;
    while (anc.entry.height > height - COINBASE_MATURITY - 1) anc = byId.get(anc.entry.parent!.id)!;
    if (anc.block) {
      const coin = outputOf(anc.block.txs[0]!, 0, anc.entry.height, true);
      txs.push(pay(alice, [coin], [{ amount: SUBSIDY - 1_000n, pubkey: bob.pubkey }]));
    }
  }
  const block = buildBlock(parent.entry, {
    payTo: alice,
    extraNonce: tag,
    txs,
    reward: bad ? SUBSIDY + 1_000n + 1n : undefined,
  });
  memo.set(key, block);
  return block;
}

/** The steps of `plan`: each branch's headers, then its bodies (with neighbour swaps). */
export function planSteps(plan: SyncPlan): Step[] {
  const genesis: Built = { entry: genesisEntry(params), block: undefined };
  const byId = new Map([[genesis.entry.id, genesis]]);
  const built: Built[] = [genesis];
  const steps: Step[] = [];
  const branches: Fork[] = [{ at: 0, length: plan.trunk, bad: undefined }, ...plan.forks];
  branches.forEach((fork, tag) => {
    let parent = built[fork.at % built.length]!;
    const blocks: Block[] = [];
    for (let i = 0; i < fork.length; i++) {
      const block = childOf(parent, tag, fork.bad === i, byId);
      const next = { entry: childEntry(parent.entry, block), block };
      byId.set(next.entry.id, next);
      built.push(next);
      blocks.push(block);
      parent = next;
    }
    steps.push({ kind: 'headers', headers: blocks.map((b) => b.header) });
    const order = blocks.map((block) => ({ kind: 'block' as const, block }));
    for (const s of plan.swaps) {
      const i = s % order.length;
      if (i + 1 < order.length) [order[i], order[i + 1]] = [order[i + 1]!, order[i]!];
    }
    steps.push(...order);
  });
  return steps;
}

/** What a step did, in a comparable form. */
export async function runStep(node: NodeState, step: Step, now: number): Promise<unknown> {
  if (step.kind === 'headers') {
    const out = await node.chain.acceptHeaders(step.headers, now);
    return { accepted: out.accepted.map((e) => e.id), rejection: out.rejection?.reason };
  }
  const out = await node.processBlock(step.block, now);
  const ids = (blocks: readonly Block[]) => blocks.map((b) => headerId(b.header));
  return {
    ok: out.ok,
    reason: out.ok ? out.status : out.reason,
    connected: ids(out.change.connected),
    disconnected: ids(out.change.disconnected),
    pruned: ids(out.change.pruned),
    invalid: out.change.invalid,
    returned: out.mempool.returned.map((e) => e.id),
    mempool: node.mempool.size,
  };
}

/** A copy of a MemoryStore's records (what a killed tab leaves on disk). */
export function copyStore(store: MemoryStore): MemoryStore {
  const copy = new MemoryStore();
  for (const [k, v] of store.entries) copy.entries.set(k, { ...v });
  for (const [k, v] of store.blocks) copy.blocks.set(k, v);
  for (const [k, v] of store.undo) copy.undo.set(k, v);
  for (const [k, v] of store.coins) copy.coins.set(k, v);
  copy.tip = store.tip;
  return copy;
}

/** Every block of `steps`. */
export function blocksOf(steps: readonly Step[]): Block[] {
  return steps.flatMap((s) => (s.kind === 'block' ? [s.block] : []));
}

/** The active chain of `node`, lowest first, without genesis. */
export function activeIds(node: NodeState): string[] {
  const ids: string[] = [];
  for (let h = 1; h <= node.chain.height; h++) ids.push(node.chain.entryAt(h)!.id);
  return ids;
}
