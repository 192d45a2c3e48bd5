/**
 * IdbChainStore on fake-indexeddb: the same answers as MemoryStore, a chain that survives a
 * reload and a reorg, atomic batches under injected faults, and quota errors explained.
 */
import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  Chain,
  MemoryStore,
  NodeState,
  blockSubsidy,
  headerId,
  txidHex,
  type Block,
  type BlockStatus,
  type Coin,
  type StoreBatch,
  type StoredEntry,
} from '../../core/index.js';
import { openNodeDb, type NodeDb, type StoreName } from '../../client/storage/db.js';
import { IdbChainStore } from '../../client/storage/idb-chain-store.js';
import { StorageFullError, storageFailure } from '../../client/storage/storage-errors.js';
import {
  buildBranch,
  freshDbName,
  outpointsOf,
  ownerOf,
  snapshotStore,
} from '../helpers/idb-store.js';
import {
  NOW,
  buildBlock,
  mineBlocks,
  openNode,
  outputOf,
  params,
  pay,
  testKey,
} from '../helpers/regtest.js';

const alice = testKey(1);
const bob = testKey(2);
const carol = testKey(3);
const owners = [alice, bob, carol].map(ownerOf);
const subsidy = blockSubsidy(1, params);

const opened: NodeDb[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

async function openDb(name: string): Promise<NodeDb> {
  const db = await openNodeDb(name);
  opened.push(db);
  return db;
}

/** A store whose writes fail at the request `fault` picks (none while it returns false). */
function faultyStore(db: NodeDb) {
  const control: { fault?: (store: StoreName, index: number) => unknown } = {};
  const store = new IdbChainStore(db, {
    beforeWriteRequest(storeName, index) {
      const error = control.fault?.(storeName, index);
      if (error) throw error;
    },
  });
  return { store, control };
}

const quotaError = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

// A small, fixed world for batches: three real blocks, a few ids, outpoints and owners.
const chainBlocks: Block[] = [params.genesis];
for (let i = 0; i < 2; i++) {
  const parent = chainBlocks[chainBlocks.length - 1]!;
  chainBlocks.push(
    buildBlock({
      id: headerId(parent.header),
      header: parent.header,
      height: i,
      chainWork: 0n,
      sequence: i,
      parent: undefined,
      status: 'valid',
    }),
  );
}
const ids = ['id-a', 'id-b', 'id-c', 'id-d'];
const keys = ['k0:0', 'k0:1', 'k1:0', 'k2:0', 'k2:7'];
const pubkeys = [alice, bob, carol].map((k) => k.pubkey);

// Spread into plain objects: fast-check's records have a null prototype, which toStrictEqual
// would tell apart from the plain objects a store returns.
const coinArb: fc.Arbitrary<Coin> = fc
  .record({
    amount: fc.bigInt({ min: 0n, max: 2n ** 63n }),
    pubkey: fc.constantFrom(...pubkeys),
    height: fc.nat(1_000_000),
    coinbase: fc.boolean(),
  })
  .map((coin) => ({ ...coin }));
const entryArb: fc.Arbitrary<StoredEntry> = fc.record(
  {
    id: fc.constantFrom(...ids),
    header: fc.constantFrom(...chainBlocks.map((b) => b.header)),
    height: fc.nat(1_000_000),
    chainWork: fc.bigInt({ min: 0n, max: 2n ** 200n }),
    status: fc.constantFrom<BlockStatus>('header', 'data', 'valid', 'invalid'),
    sequence: fc.nat(),
    invalidReason: fc.constantFrom('bad-prevblk', 'bad-cb-amount'),
  },
  { requiredKeys: ['id', 'header', 'height', 'chainWork', 'status', 'sequence'] },
);
const idArb = fc.constantFrom(...ids);
const batchArb: fc.Arbitrary<StoreBatch> = fc.record(
  {
    putEntries: fc.array(entryArb, { maxLength: 3 }),
    deleteEntries: fc.array(idArb, { maxLength: 2 }),
    putBlocks: fc.array(fc.record({ id: idArb, block: fc.constantFrom(...chainBlocks) }), {
      maxLength: 2,
    }),
    deleteBlocks: fc.array(idArb, { maxLength: 2 }),
    putUndo: fc.array(fc.record({ id: idArb, coins: fc.array(coinArb, { maxLength: 3 }) }), {
      maxLength: 2,
    }),
    deleteUndo: fc.array(idArb, { maxLength: 2 }),
    addCoins: fc.array(fc.tuple(fc.constantFrom(...keys), coinArb), { maxLength: 4 }),
    deleteCoins: fc.array(fc.constantFrom(...keys), { maxLength: 3 }),
    tip: idArb,
  },
  { requiredKeys: [] },
);

/** A batch touching every store, with overlapping puts and deletes inside it. */
const fullBatch: StoreBatch = {
  putEntries: [
    {
      id: 'id-a',
      header: chainBlocks[1]!.header,
      height: 1,
      chainWork: 7n,
      status: 'valid',
      sequence: 1,
    },
    {
      id: 'id-b',
      header: chainBlocks[2]!.header,
      height: 2,
      chainWork: 2n ** 90n,
      status: 'invalid',
      sequence: 2,
      invalidReason: 'bad-prevblk',
    },
  ],
  deleteEntries: ['id-b', 'id-z'],
  putBlocks: [
    { id: 'id-a', block: chainBlocks[1]! },
    { id: 'id-b', block: chainBlocks[2]! },
  ],
  deleteBlocks: ['id-b'],
  putUndo: [{ id: 'id-a', coins: [{ amount: 5n, pubkey: bob.pubkey, height: 1, coinbase: true }] }],
  deleteUndo: ['id-z'],
  deleteCoins: ['k0:0', 'k1:0'],
  addCoins: [
    ['k0:0', { amount: 1n, pubkey: alice.pubkey, height: 3, coinbase: false }],
    ['k0:1', { amount: 2n ** 62n, pubkey: alice.pubkey, height: 4, coinbase: true }],
    ['k2:0', { amount: 9n, pubkey: carol.pubkey, height: 5, coinbase: false }],
  ],
  tip: 'id-a',
};

describe('IdbChainStore answers exactly like MemoryStore', () => {
  it('after a batch whose puts and deletes overlap in every store', async () => {
    const memory = new MemoryStore();
    const idb = new IdbChainStore(await openDb(freshDbName()));
    for (const store of [memory, idb]) {
      await store.write({
        addCoins: [['k1:0', { amount: 3n, pubkey: bob.pubkey, height: 1, coinbase: false }]],
      });
      await store.write(fullBatch);
    }
    const idbView = await snapshotStore(idb, ids, keys, owners);
    expect(idbView).toStrictEqual(await snapshotStore(memory, ids, keys, owners));
    // Spot checks that the comparison is not vacuous.
    expect(idbView.tip).toBe('id-a');
    expect(idbView.entries).toHaveLength(1);
    expect(await idb.getCoins(['k1:0', 'k0:0'])).toEqual([undefined, fullBatch.addCoins![0]![1]]);
    expect((await idb.coinsByOwner(ownerOf(alice))).map(([k]) => k)).toEqual(['k0:0', 'k0:1']);
  });

  it('after any sequence of batches (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(batchArb, { maxLength: 6 }), async (batches) => {
        const memory = new MemoryStore();
        const db = await openNodeDb(freshDbName('prop'));
        try {
          const idb = new IdbChainStore(db);
          for (const batch of batches) {
            await memory.write(batch);
            await idb.write(batch);
          }
          expect(await snapshotStore(idb, ids, keys, owners)).toStrictEqual(
            await snapshotStore(memory, ids, keys, owners),
          );
        } finally {
          db.close();
        }
      }),
      { numRuns: 60 },
    );
  });

  it('starts empty: no entries and no tip', async () => {
    const idb = new IdbChainStore(await openDb(freshDbName()));
    expect(await idb.loadIndex()).toEqual({ entries: [], tip: undefined });
    expect(await idb.getBlock('id-a')).toBeUndefined();
    expect(await idb.getCoins([])).toEqual([]);
  });
});

describe('a chain kept in IndexedDB', () => {
  it('mines 20 blocks, reorganises to a heavier branch, and reopens to the same tip, height and coins', async () => {
    const name = freshDbName('chain');
    const db = await openNodeDb(name);
    const idbStore = new IdbChainStore(db);
    const node = await NodeState.open(params, idbStore);
    const { node: mirror, store: memory } = await openNode();

    const rewards = await mineBlocks(node, 20, alice);
    for (const b of rewards) expect((await mirror.processBlock(b, NOW)).ok).toBe(true);
    const reward = (h: number) => outputOf(rewards[h - 1]!.txs[0]!, 0, h, true);
    const t1 = pay(alice, [reward(1)], [{ amount: subsidy - 1000n, pubkey: bob.pubkey }]);
    const t2 = pay(alice, [reward(2)], [{ amount: subsidy - 1000n, pubkey: carol.pubkey }]);
    const fork = node.chain.tip;
    const a = buildBranch(fork, 2, 1, alice, [t1]);
    const b = buildBranch(fork, 3, 2, carol, [t2]);
    for (const block of [...a, ...b]) {
      const [got, want] = [
        await node.processBlock(block, NOW),
        await mirror.processBlock(block, NOW),
      ];
      expect(got.ok && got.status).toBe(want.ok && want.status);
    }
    expect(node.chain.tip.id).toBe(headerId(b[2]!.header));
    expect(node.mempool.has(txidHex(t1))).toBe(true); // the losing branch's payment is back

    const all = [params.genesis, ...rewards, ...a, ...b];
    const allIds = all.map((blk) => headerId(blk.header));
    const allKeys = outpointsOf(all);
    const live = await snapshotStore(idbStore, allIds, allKeys, owners);
    expect(live).toStrictEqual(await snapshotStore(memory, allIds, allKeys, owners));
    expect(await idbStore.getUndo(headerId(a[0]!.header))).toBeUndefined();
    db.close();

    const reopenedDb = await openDb(name);
    const reopenedStore = new IdbChainStore(reopenedDb);
    const chain = await Chain.open(params, reopenedStore);
    expect(chain.tip.id).toBe(headerId(b[2]!.header));
    expect(chain.height).toBe(23);
    expect([...chain.entries()].length).toBe([...mirror.chain.entries()].length);
    expect(chain.getEntry(headerId(a[1]!.header))?.status).toBe('valid'); // side branch kept
    expect(await snapshotStore(reopenedStore, allIds, allKeys, owners)).toStrictEqual(live);
    expect((await chain.coinsByOwner(ownerOf(carol))).length).toBe(4); // 3 rewards + t2
    expect(await chain.coinsByOwner(ownerOf(bob))).toEqual([]);

    // The reopened chain goes on: the next block connects on top of the reloaded tip.
    const next = buildBlock(chain.tip, { payTo: bob });
    expect((await chain.processBlock(next, NOW)).ok).toBe(true);
    expect(chain.height).toBe(24);
  });
});

describe('atomic writes', () => {
  it('leaves storage untouched when a batch fails at any of its requests, and stays usable', async () => {
    const { store, control } = faultyStore(await openDb(freshDbName()));
    await store.write({
      addCoins: [['k1:0', { amount: 3n, pubkey: bob.pubkey, height: 1, coinbase: false }]],
      tip: 'id-c',
    });
    const before = await snapshotStore(store, ids, keys, owners);
    const requests = 2 + 2 + 2 + 1 + 1 + 1 + 2 + 3 + 1; // every request fullBatch makes
    for (let at = 0; at < requests; at++) {
      control.fault = (_s, i) => i === at && new Error(`tab killed at request ${at}`);
      await expect(store.write(fullBatch)).rejects.toThrow(`tab killed at request ${at}`);
      expect(await snapshotStore(store, ids, keys, owners)).toStrictEqual(before);
    }
    control.fault = undefined;
    await store.write(fullBatch);
    expect((await store.loadIndex()).tip).toBe('id-a');
  });

  it('propagates an IndexedDB error that is not about quota, writing nothing', async () => {
    const store = new IdbChainStore(await openDb(freshDbName()));
    const bad: StoreBatch = {
      tip: 'id-a',
      putBlocks: [{ id: null as unknown as string, block: params.genesis }],
    };
    await expect(store.write(bad)).rejects.toMatchObject({ name: 'DataError' });
    expect(await store.loadIndex()).toEqual({ entries: [], tip: undefined });
  });

  it('a connect interrupted mid-batch reloads to the previous tip and recovers when the block comes again', async () => {
    const name = freshDbName('killed');
    const { store, control } = faultyStore(await openDb(name));
    const node = await NodeState.open(params, store);
    const { node: mirror, store: memory } = await openNode();
    const rewards = await mineBlocks(node, 12, alice);
    for (const blk of rewards) await mirror.processBlock(blk, NOW);
    const tip = node.chain.tip;
    const spend = pay(
      alice,
      [outputOf(rewards[0]!.txs[0]!, 0, 1, true)],
      [{ amount: subsidy - 500n, pubkey: bob.pubkey }],
    );
    const [block, child] = buildBranch(tip, 2, 3, carol, [spend]);

    // The connect batch writes the entry and undo first, then coins: fail at the first coin.
    control.fault = (storeName) => storeName === 'coins' && new Error('tab killed');
    await expect(node.processBlock(block!, NOW)).rejects.toThrow('tab killed');
    control.fault = undefined;

    const keys = outpointsOf([...rewards, block!]);
    const reopened = await Chain.open(params, new IdbChainStore(await openDb(name)));
    expect(reopened.tip.id).toBe(tip.id);
    // A block that extends the tip is stored together with its connect, so the killed write
    // took it too: the node simply gets it again from a peer.
    expect(reopened.getEntry(headerId(block!.header))).toBeUndefined();
    expect(await reopened.getCoins(keys)).toEqual(await memory.getCoins(keys));

    expect((await reopened.processBlock(block!, NOW)).ok).toBe(true);
    expect((await reopened.processBlock(child!, NOW)).ok).toBe(true);
    for (const blk of [block!, child!]) await mirror.processBlock(blk, NOW);
    expect(reopened.tip.id).toBe(mirror.chain.tip.id);
    const allKeys = outpointsOf([...rewards, block!, child!]);
    expect(await reopened.getCoins(allKeys)).toEqual(await memory.getCoins(allKeys));
    expect(await reopened.coinsByOwner(ownerOf(bob))).toHaveLength(1);
  });
});

describe('storage quota', () => {
  it('reports a QuotaExceededError as StorageFullError with a clear message, writing nothing', async () => {
    const { store, control } = faultyStore(await openDb(freshDbName()));
    control.fault = (_s, i) => i === 5 && quotaError();
    const failure = await store.write(fullBatch).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StorageFullError);
    expect((failure as Error).message).toMatch(
      /^This browser refused to store more data for Tabcoin \(storage quota\)\. Free space or clear old nodes/,
    );
    expect((failure as Error).cause).toMatchObject({ name: 'QuotaExceededError' });
    expect(await store.loadIndex()).toEqual({ entries: [], tip: undefined });
    control.fault = undefined;
    await store.write(fullBatch); // usable once space is back
    expect((await store.loadIndex()).tip).toBe('id-a');
  });

  it('a chain that hits the quota while connecting keeps its tip, and reloads consistently', async () => {
    const name = freshDbName('quota');
    const { store, control } = faultyStore(await openDb(name));
    const node = await NodeState.open(params, store);
    await mineBlocks(node, 3, alice);
    const tip = node.chain.tip;
    control.fault = (storeName) => storeName === 'undo' && quotaError();
    await expect(node.processBlock(buildBlock(tip, { payTo: bob }), NOW)).rejects.toBeInstanceOf(
      StorageFullError,
    );
    expect(node.chain.tip).toBe(tip);
    const reopened = await Chain.open(params, new IdbChainStore(await openDb(name)));
    expect(reopened.tip.id).toBe(tip.id);
    expect(await reopened.coinsByOwner(ownerOf(bob))).toEqual([]);
  });

  it('recognises a quota failure reported as the transaction error, behind knock-on AbortErrors', () => {
    const abort = new DOMException('aborted', 'AbortError');
    expect(storageFailure([undefined, quotaError(), abort, abort])).toBeInstanceOf(
      StorageFullError,
    );
    const constraint = new DOMException('exists', 'ConstraintError');
    expect(storageFailure([undefined, null, abort, constraint])).toBe(constraint);
  });
});
