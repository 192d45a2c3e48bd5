/**
 * The write cache at the tip (core/chain/write-cache.ts): with `deferTipFlush` a new block is
 * connected in memory and reaches storage on `Chain.flush` (the browser node's write-behind),
 * the memory and age bounds still flush inside the call; and coins read from storage are kept
 * (a read cache) without ever answering a coin that a write has since spent.
 */
import { describe, expect, it } from 'vitest';
import {
  CachedStore,
  MemoryStore,
  NodeState,
  type Coin,
  type WriteCacheOptions,
} from '../../../core/index.js';
import { NOW, alice, buildBlock, params } from '../../helpers/regtest.js';
import { copyStore } from '../../helpers/sync-plan.js';

const AT_TIP: WriteCacheOptions = {
  maxBytes: 1e9,
  maxAgeSeconds: 1e9,
  minGap: 16,
  deferTipFlush: true,
};

describe('write cache at the tip', () => {
  it('connects a new block in memory and commits it on flush, consistent in storage before and after', async () => {
    const backing = new MemoryStore();
    const node = await NodeState.open(params, backing, { writeCache: AT_TIP });
    const storedTip = backing.tip;
    const block = buildBlock(node.chain.tip, { payTo: alice });
    const out = await node.processBlock(block, NOW);
    expect(out.ok && out.status).toBe('active');
    expect(node.chain.height).toBe(1);
    expect(backing.tip).toBe(storedTip); // not written yet: the caller flushes
    expect(backing.coins.size).toBe(0);
    // What a tab killed now reopens on: the block before, consistent.
    const reopened = await NodeState.open(params, copyStore(backing));
    expect(reopened.chain.height).toBe(0);
    await node.chain.flush();
    expect(backing.tip).toBe(node.chain.tip.id);
    expect(backing.coins.size).toBe(1);
  });

  it('still flushes inside the call on the memory and the age bounds', async () => {
    const small = new MemoryStore();
    const bySize = await NodeState.open(params, small, {
      writeCache: { ...AT_TIP, maxBytes: 100 },
    });
    await bySize.processBlock(buildBlock(bySize.chain.tip, { payTo: alice }), NOW);
    expect(small.tip).toBe(bySize.chain.tip.id);
    const slow = new MemoryStore();
    const byAge = await NodeState.open(params, slow, {
      writeCache: { ...AT_TIP, maxAgeSeconds: 5 },
    });
    await byAge.processBlock(buildBlock(byAge.chain.tip, { payTo: alice }), NOW);
    expect(slow.tip).not.toBe(byAge.chain.tip.id);
    await byAge.processBlock(buildBlock(byAge.chain.tip, { payTo: alice, time: NOW }), NOW + 5);
    expect(slow.tip).toBe(byAge.chain.tip.id);
  });

  it('without deferTipFlush every call at the tip commits at once', async () => {
    const backing = new MemoryStore();
    const node = await NodeState.open(params, backing, {
      writeCache: { ...AT_TIP, deferTipFlush: false },
    });
    await node.processBlock(buildBlock(node.chain.tip, { payTo: alice }), NOW);
    expect(backing.tip).toBe(node.chain.tip.id);
  });
});

describe('a page closing while a flush is under way', () => {
  it('writes that flush and the newer writes again in one more transaction: it reopens on the newest block', async () => {
    // Writes run one after another, as IndexedDB runs readwrite transactions on one store.
    const backing = new MemoryStore();
    const apply = backing.write.bind(backing);
    let queue: Promise<unknown> = Promise.resolve();
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let writes = 0;
    backing.write = (batch) => {
      const n = ++writes;
      const run = queue.then(async () => {
        if (n === 2) await gate; // the flush under way when the page closes
        return apply(batch);
      });
      queue = run.catch(() => undefined);
      return run;
    };
    const node = await NodeState.open(params, backing, { writeCache: AT_TIP });
    expect(writes).toBe(1); // the genesis block
    await node.processBlock(buildBlock(node.chain.tip, { payTo: alice }), NOW);
    node.chain.cache!.startFlush(); // a flush of block 1, held at the gate
    await node.processBlock(buildBlock(node.chain.tip, { payTo: alice }), NOW);
    node.chain.cache!.startFlush(); // the page closes now
    expect(writes).toBe(3);
    open();
    await queue;
    await node.chain.flush();
    const reopened = await NodeState.open(params, copyStore(backing));
    expect(reopened.chain.height).toBe(2);
    expect(reopened.chain.tip.id).toBe(node.chain.tip.id);
  });
});

describe('coins read from storage', () => {
  const coin: Coin = { amount: 5n, pubkey: alice.pubkey, height: 1, coinbase: false };

  function countingStore() {
    const backing = new MemoryStore();
    backing.coins.set('k', coin);
    let reads = 0;
    let gate: Promise<void> | undefined;
    const getCoins = backing.getCoins.bind(backing);
    backing.getCoins = async (keys) => {
      reads++;
      const answer = await getCoins(keys);
      await gate;
      return answer;
    };
    return {
      backing,
      reads: () => reads,
      hold(): () => void {
        let open!: () => void;
        gate = new Promise((resolve) => (open = resolve));
        return () => open();
      },
    };
  }

  it('are answered from memory the second time, and not after a write spends them', async () => {
    const { backing, reads } = countingStore();
    const cache = new CachedStore(backing, AT_TIP);
    expect(await cache.getCoins(['k'])).toEqual([coin]);
    expect(await cache.getCoins(['k'])).toEqual([coin]);
    expect(reads()).toBe(1);
    await cache.write({ deleteCoins: ['k'] });
    await cache.flush();
    expect(await cache.getCoins(['k'])).toEqual([undefined]);
    expect(reads()).toBe(2); // spent: asked storage again, which no longer has it
  });

  it('do not keep a read that a write overlapped (it may predate the spend)', async () => {
    const { backing, hold } = countingStore();
    const cache = new CachedStore(backing, AT_TIP);
    const release = hold();
    const read = cache.getCoins(['k']); // storage answers the coin, then waits
    await cache.write({ deleteCoins: ['k'] });
    await cache.flush();
    release();
    expect(await read).toEqual([coin]); // the answer of its moment
    expect(await cache.getCoins(['k'])).toEqual([undefined]); // but not kept
  });

  it('keep at most MAX_READ_COINS, oldest out', async () => {
    const backing = new MemoryStore();
    const cache = new CachedStore(backing, AT_TIP);
    const keys = Array.from({ length: 16_385 }, (_, i) => `c${i}`);
    for (const key of keys) backing.coins.set(key, coin);
    await cache.getCoins(keys);
    backing.coins.clear();
    const again = await cache.getCoins([keys[0]!, keys[1]!, keys.at(-1)!]);
    expect(again).toEqual([undefined, coin, coin]);
  });
});
