/**
 * The write cache over IndexedDB (fake-indexeddb): a tab killed in the middle of a batched
 * sync — with cached writes never flushed, or during a flush — reopens on a consistent chain
 * (tip, coins, undo data and block index of the last flushed batch) and syncs on from there;
 * a write too large for one task is queued in chunks and still lands whole or not at all.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  Chain,
  MemoryStore,
  NodeState,
  type ChainStore,
  type Coin,
  type StoreBatch,
  type WriteCacheOptions,
} from '../../core/index.js';
import { openNodeDb, type NodeDb, type StoreName } from '../../client/storage/db.js';
import { IdbChainStore, WRITE_CHUNK } from '../../client/storage/idb-chain-store.js';
import { freshDbName, outpointsOf, ownerOf } from '../helpers/idb-store.js';
import { NOW, alice, bob, params } from '../helpers/regtest.js';
import { activeIds, blocksOf, planSteps, runStep, type Step } from '../helpers/sync-plan.js';

const opened: NodeDb[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

async function openDb(name: string): Promise<NodeDb> {
  const db = await openNodeDb(name);
  opened.push(db);
  return db;
}

// A trunk of 40 blocks (spends from height 12 on) and a heavier fork off block 30 that the
// sync meets last, so the kill can land before, inside or after a reorg.
const steps: Step[] = planSteps({
  trunk: 40,
  forks: [{ at: 31, length: 14, bad: undefined }],
  swaps: [3, 17, 30],
});
const keys = outpointsOf(blocksOf(steps));
const owners = [alice, bob].map(ownerOf);
// About three blocks per batch, and never at once for the whole run: the batches are real.
const CACHE: WriteCacheOptions = { maxBytes: 20_000, minGap: 2, maxAgeSeconds: 1e9 };

/** The stored chain reopened from `store` equals a replay of its active blocks from genesis. */
async function expectConsistent(store: ChainStore): Promise<Chain> {
  const chain = await Chain.open(params, store);
  const replay = await NodeState.open(params, new MemoryStore());
  for (const id of activeIds({ chain } as NodeState)) {
    const block = await chain.getBlock(id);
    expect(block, `active block ${id} has its body`).toBeDefined();
    const out = await replay.processBlock(block!, NOW);
    expect(out.ok && out.status).toBe('active');
    expect(await chain.getUndo(id)).toEqual(await replay.chain.getUndo(id));
    expect(chain.getEntry(id)?.status).toBe('valid');
  }
  expect(chain.tip.id).toBe(replay.chain.tip.id);
  expect(await chain.getCoins(keys)).toEqual(await replay.chain.getCoins(keys));
  for (const owner of owners) {
    const sorted = async (c: Chain | NodeState['chain']) =>
      (await c.coinsByOwner(owner)).sort(([a], [b]) => a.localeCompare(b));
    expect(await sorted(chain)).toEqual(await sorted(replay.chain));
  }
  return chain;
}

async function reference(): Promise<NodeState> {
  const node = await NodeState.open(params, new MemoryStore());
  for (const step of steps) await runStep(node, step, NOW);
  return node;
}

describe('batched sync on IndexedDB, tab killed', () => {
  it('with cached writes never flushed, at any step: reopens on the last flushed batch and syncs on', async () => {
    const expected = await reference();
    let lostBlocks = 0;
    for (let kill = 1; kill < steps.length; kill += 3) {
      const name = freshDbName('killed-batch');
      const db = await openDb(name);
      const node = await NodeState.open(params, new IdbChainStore(db), { writeCache: CACHE });
      for (const step of steps.slice(0, kill)) await runStep(node, step, NOW);
      const height = node.chain.height;
      db.close(); // the tab is gone: what was cached is lost with it
      const chain = await expectConsistent(new IdbChainStore(await openDb(name)));
      expect(chain.height).toBeLessThanOrEqual(Math.max(height, 1));
      lostBlocks += height - chain.height;
      const resumed = await NodeState.open(params, new IdbChainStore(await openDb(name)), {
        writeCache: CACHE,
      });
      for (const step of steps) await runStep(resumed, step, NOW);
      expect(resumed.chain.tip.id).toBe(expected.chain.tip.id);
      expect(await resumed.chain.getCoins(keys)).toEqual(await expected.chain.getCoins(keys));
    }
    expect(lostBlocks).toBeGreaterThan(0); // some kills did land inside a batch
  });

  it('during a flush, at any request of its transaction: storage keeps the previous batch', async () => {
    const expected = await reference();
    for (const at of [0, 2, 4, 6]) {
      const name = freshDbName('killed-flush');
      const db = await openDb(name);
      const control: { fault?: (store: StoreName, index: number) => boolean } = {};
      const store = new IdbChainStore(db, {
        beforeWriteRequest(storeName, index) {
          if (control.fault?.(storeName, index)) throw new Error(`tab killed at request ${at}`);
        },
      });
      const node = await NodeState.open(params, store, { writeCache: CACHE });
      const half = steps.length >> 1;
      for (const step of steps.slice(0, half)) await runStep(node, step, NOW);
      const flushedTip = (await store.loadIndex()).tip; // read-only: the live node owns the db
      expect(flushedTip).not.toBe(node.chain.tip.id); // the flush would move the stored tip
      control.fault = (_s, index) => index === at;
      await expect(node.chain.flush()).rejects.toThrow(`tab killed at request ${at}`);
      db.close();
      const after = await expectConsistent(new IdbChainStore(await openDb(name)));
      expect(after.tip.id).toBe(flushedTip);
      const resumed = await NodeState.open(params, new IdbChainStore(await openDb(name)), {
        writeCache: CACHE,
      });
      for (const step of steps) await runStep(resumed, step, NOW);
      expect(resumed.chain.tip.id).toBe(expected.chain.tip.id);
    }
  });
});

describe('a large write on IndexedDB', () => {
  it('is queued in chunks of WRITE_CHUNK requests and still lands whole or not at all', async () => {
    const db = await openDb(freshDbName('chunks'));
    const control: { fault?: number } = {};
    const seen: number[] = []; // request indexes as queued; -1 where other work ran
    const store = new IdbChainStore(db, {
      beforeWriteRequest(_store, index) {
        seen.push(index);
        if (index === control.fault) throw new Error(`killed at request ${index}`);
      },
    });
    const coin = (i: number) => ({
      amount: BigInt(i),
      pubkey: alice.pubkey,
      height: 1,
      coinbase: false,
    });
    const count = WRITE_CHUNK * 2 + 100;
    const batch: StoreBatch = {
      addCoins: Array.from({ length: count }, (_, i) => [`${i}:0`, coin(i)] as [string, Coin]),
      tip: 'after',
    };
    control.fault = WRITE_CHUNK * 2 + 50; // in the third chunk: two chunks are queued already
    await expect(store.write(batch)).rejects.toThrow(`killed at request ${control.fault}`);
    expect(await store.getCoins(['0:0', `${WRITE_CHUNK}:0`])).toEqual([undefined, undefined]);
    expect((await store.loadIndex()).tip).toBeUndefined();
    control.fault = undefined;
    seen.length = 0;
    // Other work gets its turn after the first chunk is queued, not after the whole batch.
    setImmediate(() => seen.push(-1));
    await store.write(batch);
    expect(seen.indexOf(-1)).toBe(WRITE_CHUNK);
    expect(seen).toHaveLength(count + 2);
    const keys = Array.from({ length: count }, (_, i) => `${i}:0`);
    expect(await store.getCoins(keys)).toEqual(keys.map((_, i) => coin(i)));
    expect((await store.loadIndex()).tip).toBe('after');
  });
});
