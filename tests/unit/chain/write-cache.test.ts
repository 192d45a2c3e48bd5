/**
 * The write cache (core/chain/write-cache.ts): a node that batches its writes gives the same
 * answers as one that writes every change at once, over random trees of blocks with reorgs
 * across batch boundaries; storage left by a node killed at any step reopens on a consistent
 * chain (tip, whole UTXO set, undo data and block index of one moment) and syncs on.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MemoryStore,
  NodeState,
  type StoreBatch,
  type WriteCacheOptions,
} from '../../../core/index.js';
import { NOW, alice, bob, params } from '../../helpers/regtest.js';
import {
  activeIds,
  blocksOf,
  copyStore,
  planArb,
  planSteps,
  runStep,
} from '../../helpers/sync-plan.js';
import { outpointsOf, ownerOf } from '../../helpers/idb-store.js';

const owners = [alice, bob].map(ownerOf);

async function owned(node: NodeState, owner: string): Promise<[string, unknown][]> {
  return (await node.chain.coinsByOwner(owner)).sort(([a], [b]) => a.localeCompare(b));
}

/** The stored chain of `store` is what replaying its active blocks from genesis gives. */
async function expectConsistent(store: MemoryStore): Promise<NodeState> {
  const node = await NodeState.open(params, store);
  const reference = new MemoryStore();
  const replay = await NodeState.open(params, reference);
  for (const id of activeIds(node)) {
    const block = await node.chain.getBlock(id);
    expect(block, `active block ${id} has its body`).toBeDefined();
    const out = await replay.processBlock(block!, NOW);
    expect(out.ok && out.status).toBe('active');
    expect(store.undo.get(id), `undo data of ${id}`).toEqual(reference.undo.get(id));
    expect(store.entries.get(id)?.status).toBe('valid');
  }
  expect(store.tip).toBe(reference.tip);
  expect(new Map(store.coins)).toEqual(new Map(reference.coins));
  return node;
}

describe('write cache', () => {
  it('batched and unbatched nodes agree on every step of random syncs with reorgs, and a node killed at any step reopens consistent and syncs on', async () => {
    await fc.assert(
      fc.asyncProperty(
        planArb,
        fc.integer({ min: 0, max: 40_000 }),
        fc.integer({ min: 1, max: 12 }),
        fc.nat(),
        async (plan, maxBytes, minGap, crashPick) => {
          const steps = planSteps(plan);
          const options: WriteCacheOptions = { maxBytes, minGap, maxAgeSeconds: 1e9 };
          const plainStore = new MemoryStore();
          const plain = await NodeState.open(params, plainStore);
          const backing = new MemoryStore();
          const batched = await NodeState.open(params, backing, { writeCache: options });
          const keys = outpointsOf(blocksOf(steps));
          const crashAt = crashPick % (steps.length + 1);
          let killed: MemoryStore | undefined;
          for (const [i, step] of steps.entries()) {
            if (i === crashAt) killed = copyStore(backing);
            expect(await runStep(batched, step, NOW)).toEqual(await runStep(plain, step, NOW));
            expect(batched.chain.tip.id).toBe(plain.chain.tip.id);
            // The memory bound: after a call, what stays cached is under maxBytes (or nothing).
            expect(batched.chain.cache!.bytes).toBeLessThanOrEqual(Math.max(0, maxBytes - 1));
            expect(await batched.chain.getCoins(keys)).toEqual(await plain.chain.getCoins(keys));
            for (const owner of owners) {
              expect(await owned(batched, owner)).toEqual(await owned(plain, owner));
            }
          }
          // Flushed, the batched node's storage is record for record the unbatched one's.
          await batched.chain.flush();
          expect(backing).toMatchObject({
            entries: plainStore.entries,
            blocks: plainStore.blocks,
            undo: plainStore.undo,
            coins: plainStore.coins,
            tip: plainStore.tip,
          });
          expect(backing.writes).toBeLessThanOrEqual(plainStore.writes);
          // The tab killed before step `crashAt`: what it left reopens consistent, and the
          // same deliveries again bring it to the same chain.
          const reopened = await expectConsistent(killed ?? copyStore(backing));
          for (const step of steps) await runStep(reopened, step, NOW);
          expect(reopened.chain.tip.id).toBe(plain.chain.tip.id);
          expect(await reopened.chain.getCoins(keys)).toEqual(await plain.chain.getCoins(keys));
        },
      ),
      { numRuns: 40, seed: 17 },
    );
  }, 120_000);

  it('a reorg that disconnects blocks of an unflushed batch matches the unbatched node, and storage keeps the last flushed chain meanwhile', async () => {
    const options: WriteCacheOptions = { maxBytes: 1e9, minGap: 4, maxAgeSeconds: 1e9 };
    const plan = { trunk: 20, forks: [{ at: 6, length: 22, bad: undefined }], swaps: [] };
    const steps = planSteps(plan);
    const plainStore = new MemoryStore();
    const plain = await NodeState.open(params, plainStore);
    const backing = new MemoryStore();
    const batched = await NodeState.open(params, backing, { writeCache: options });
    const flushedTip = backing.tip;
    const [trunkHeaders, ...rest] = steps;
    const trunkBlocks = rest.slice(0, 12); // 12 of the trunk's 20 blocks: 8 behind, batching
    const fork = rest.slice(20);
    for (const step of [trunkHeaders!, ...trunkBlocks]) {
      expect(await runStep(batched, step, NOW)).toEqual(await runStep(plain, step, NOW));
    }
    expect(batched.chain.height).toBe(12);
    expect(backing.tip).toBe(flushedTip); // nothing flushed yet
    expect(backing.writes).toBe(1); // the genesis block, when the store was new
    expect(batched.chain.cache!.bytes).toBeGreaterThan(0);
    let disconnected = 0;
    for (const step of fork) {
      const out = await runStep(batched, step, NOW);
      expect(out).toEqual(await runStep(plain, step, NOW));
      disconnected += (out as { disconnected?: string[] }).disconnected?.length ?? 0;
    }
    expect(disconnected).toBe(6); // trunk blocks 7..12, connected but never flushed
    expect(batched.chain.tip.id).toBe(plain.chain.tip.id);
    expect(backing.tip).toBe(plain.chain.tip.id); // caught up: flushed
    expect(backing).toMatchObject({ coins: plainStore.coins, undo: plainStore.undo });
    expect(backing.entries).toEqual(plainStore.entries);
  });

  it('flushes on the time bound while far behind', async () => {
    const steps = planSteps({ trunk: 12, forks: [], swaps: [] });
    const backing = new MemoryStore();
    const node = await NodeState.open(params, backing, {
      writeCache: { maxBytes: 1e9, minGap: 4, maxAgeSeconds: 5 },
    });
    await runStep(node, steps[0]!, NOW);
    await runStep(node, steps[1]!, NOW);
    await runStep(node, steps[2]!, NOW + 4);
    expect(backing.tip).toBe(params.genesisId);
    await runStep(node, steps[3]!, NOW + 5); // the oldest cached write is now 5 s old
    expect(backing.tip).toBe(node.chain.tip.id);
    expect(node.chain.height).toBe(3);
  });
});

/** A MemoryStore whose next write fails, or waits for `release` before it applies. */
class FlakyStore extends MemoryStore {
  fail = 0;
  private gate: Promise<void> | undefined;
  release: () => void = () => undefined;

  hold(): void {
    this.gate = new Promise((resolve) => (this.release = resolve));
  }

  override async write(batch: StoreBatch): Promise<void> {
    const gate = this.gate;
    this.gate = undefined;
    await gate;
    if (this.fail > 0) {
      this.fail--;
      throw new Error('disk unavailable');
    }
    return super.write(batch);
  }
}

describe('write cache when storage fails', () => {
  it('keeps a batch whose flush failed, refuses further calls while it cannot be written, and writes it all once storage works', async () => {
    const steps = planSteps({ trunk: 14, forks: [], swaps: [] });
    const plainStore = new MemoryStore();
    const plain = await NodeState.open(params, plainStore);
    const backing = new FlakyStore();
    const node = await NodeState.open(params, backing, {
      writeCache: { maxBytes: 1e9, minGap: 4, maxAgeSeconds: 1e9 },
    });
    for (const step of steps.slice(0, 11)) {
      await runStep(node, step, NOW);
      await runStep(plain, step, NOW);
    }
    const flushed = backing.tip;
    backing.fail = 2;
    // Block 11 leaves the node 3 behind: the flush is due, and fails.
    await expect(runStep(node, steps[11]!, NOW)).rejects.toThrow('disk unavailable');
    await runStep(plain, steps[11]!, NOW);
    expect(backing.tip).toBe(flushed);
    expect(node.chain.cache!.failure).toBeInstanceOf(Error);
    // The retry before the next block fails too: that block is refused before it is touched.
    const tip = node.chain.tip;
    await expect(runStep(node, steps[12]!, NOW)).rejects.toThrow('disk unavailable');
    expect(node.chain.tip).toBe(tip);
    // Storage works again: the block comes again (as a peer would send it) and all is written.
    for (const step of steps.slice(12)) {
      expect(await runStep(node, step, NOW)).toEqual(await runStep(plain, step, NOW));
    }
    expect(node.chain.cache!.failure).toBeUndefined();
    expect(backing.tip).toBe(plain.chain.tip.id);
    expect(backing).toMatchObject({
      entries: plainStore.entries,
      blocks: plainStore.blocks,
      undo: plainStore.undo,
      coins: plainStore.coins,
    });
  });

  it('a flush that fails while newer writes arrive keeps both, newer on top', async () => {
    const steps = planSteps({ trunk: 16, forks: [], swaps: [] });
    const plainStore = new MemoryStore();
    const plain = await NodeState.open(params, plainStore);
    const backing = new FlakyStore();
    const node = await NodeState.open(params, backing, {
      writeCache: { maxBytes: 1e9, minGap: 4, maxAgeSeconds: 1e9 },
    });
    for (const step of steps.slice(0, 8)) {
      await runStep(node, step, NOW);
      await runStep(plain, step, NOW);
    }
    const flushed = backing.tip;
    const flushes = node.chain.cache!.flushes;
    backing.hold();
    backing.fail = 1;
    node.chain.cache!.startFlush(); // as on page hide; its write waits at the gate
    for (const step of steps.slice(8, 10)) {
      expect(await runStep(node, step, NOW)).toEqual(await runStep(plain, step, NOW));
    }
    backing.release();
    await expect(node.chain.flush()).resolves.toBeUndefined(); // the retry writes everything
    expect(backing.tip).toBe(node.chain.tip.id);
    expect(node.chain.cache!.flushes).toBe(flushes + 1);
    expect(backing.tip).not.toBe(flushed);
    for (const step of steps.slice(10)) {
      await runStep(node, step, NOW);
      await runStep(plain, step, NOW);
    }
    expect(backing).toMatchObject({
      entries: plainStore.entries,
      blocks: plainStore.blocks,
      undo: plainStore.undo,
      coins: plainStore.coins,
      tip: plainStore.tip,
    });
  });
});
