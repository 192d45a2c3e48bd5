/**
 * A node's other IndexedDB records: the schema, bans that expire, pending transactions that
 * survive a reload (and go back into a fresh mempool), and small meta values.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { blockSubsidy, NodeState, txidHex } from '../../core/index.js';
import {
  DB_VERSION,
  META_TIP,
  nodeDbName,
  openNodeDb,
  type NodeDb,
} from '../../client/storage/db.js';
import { IdbChainStore } from '../../client/storage/idb-chain-store.js';
import {
  clearMempool,
  getMeta,
  loadBans,
  loadMempool,
  putMeta,
  removeBan,
  removeMempoolTxs,
  saveBan,
  saveMempoolTx,
} from '../../client/storage/node-records.js';
import { freshDbName } from '../helpers/idb-store.js';
import { NOW, mineBlocks, outputOf, params, pay, testKey } from '../helpers/regtest.js';

const alice = testKey(1);
const bob = testKey(2);
const subsidy = blockSubsidy(1, params);

const opened: NodeDb[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

async function openDb(name = freshDbName('records')): Promise<NodeDb> {
  const db = await openNodeDb(name);
  opened.push(db);
  return db;
}

describe('schema', () => {
  it('names one database per node and creates every store', async () => {
    expect(nodeDbName('regtest', 'alice')).toBe('tabcoin-regtest-alice');
    expect(() => nodeDbName('regtest', '')).toThrow(TypeError);
    const db = await openDb(nodeDbName('regtest', 'schema-check'));
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(
      ['bans', 'blocks', 'coins', 'entries', 'mempool', 'meta', 'undo', 'wallet'].sort(),
    );
    expect([...db.transaction('coins').store.indexNames]).toEqual(['owner']);
  });
});

describe('bans', () => {
  it('keeps a ban across a reload until it expires, then drops it', async () => {
    const name = freshDbName('bans');
    const db = await openDb(name);
    await saveBan(db, 'mallory', 1_000, 'bad-txnmrklroot');
    await saveBan(db, 'trudy', 5_000, 'high-hash');
    db.close();

    const reopened = await openDb(name);
    expect(await loadBans(reopened, 500)).toEqual([
      { id: 'mallory', until: 1_000, reason: 'bad-txnmrklroot' },
      { id: 'trudy', until: 5_000, reason: 'high-hash' },
    ]);
    expect(await loadBans(reopened, 1_000)).toEqual([
      { id: 'trudy', until: 5_000, reason: 'high-hash' },
    ]);
    // The expired ban was deleted, not just hidden: an earlier clock does not revive it.
    expect((await loadBans(reopened, 0)).map((b) => b.id)).toEqual(['trudy']);
    expect(await loadBans(reopened, 5_001)).toEqual([]);
  });

  it('replaces a ban on the same peer and lifts one on request', async () => {
    const db = await openDb();
    await saveBan(db, 'mallory', 1_000, 'bad-prevblk');
    await saveBan(db, 'mallory', 9_000, 'bad-cb-amount');
    expect(await loadBans(db, 2_000)).toEqual([
      { id: 'mallory', until: 9_000, reason: 'bad-cb-amount' },
    ]);
    await removeBan(db, 'mallory');
    expect(await loadBans(db, 2_000)).toEqual([]);
    expect(() => saveBan(db, '', 1, 'x')).toThrow(TypeError);
    expect(() => saveBan(db, 'x', Number.NaN, 'x')).toThrow(RangeError);
  });
});

describe('mempool records', () => {
  /** A node with mature coins for alice and a parent → child pair of her payments. */
  async function payments() {
    const store = new IdbChainStore(await openDb());
    const node = await NodeState.open(params, store);
    const rewards = await mineBlocks(node, 11, alice);
    const parent = pay(
      alice,
      [outputOf(rewards[0]!.txs[0]!, 0, 1, true)],
      [{ amount: subsidy - 1_000n, pubkey: alice.pubkey }],
    );
    const child = pay(
      alice,
      [outputOf(parent)],
      [{ amount: subsidy - 2_000n, pubkey: bob.pubkey }],
    );
    return { store, node, parent, child };
  }

  it('round-trips transactions and their times, parents before children', async () => {
    const { parent, child } = await payments();
    const name = freshDbName('pool');
    const db = await openDb(name);
    // The child was stamped earlier (a clock step back): it must still come after its parent.
    await saveMempoolTx(db, child, NOW - 10);
    await saveMempoolTx(db, parent, NOW);
    db.close();

    const pending = await loadMempool(await openDb(name));
    expect(pending.map((p) => txidHex(p.tx))).toEqual([txidHex(parent), txidHex(child)]);
    expect(pending).toEqual([
      { tx: parent, time: NOW },
      { tx: child, time: NOW - 10 },
    ]);
  });

  it('refills a restarted node’s mempool from the saved records', async () => {
    const { store, node, parent, child } = await payments();
    const db = await openDb();
    for (const tx of [parent, child]) {
      expect((await node.acceptTx(tx, NOW)).ok).toBe(true);
      await saveMempoolTx(db, tx, NOW);
    }
    const restarted = await NodeState.open(params, store);
    expect(restarted.mempool.has(txidHex(parent))).toBe(false);
    for (const { tx, time } of await loadMempool(db)) {
      expect((await restarted.acceptTx(tx, time)).ok).toBe(true);
    }
    expect(restarted.mempool.has(txidHex(child))).toBe(true);
  });

  it('forgets removed transactions, clears, and drops records that no longer decode', async () => {
    const { parent, child } = await payments();
    const db = await openDb();
    await saveMempoolTx(db, parent, NOW);
    await saveMempoolTx(db, child, NOW + 1);
    await removeMempoolTxs(db, [txidHex(parent), 'not-a-txid']);
    expect((await loadMempool(db)).map((p) => txidHex(p.tx))).toEqual([txidHex(child)]);

    await db.put('mempool', { txid: 'junk', tx: Uint8Array.of(1, 2, 3), time: NOW });
    expect(await loadMempool(db)).toHaveLength(1);
    expect(await db.get('mempool', 'junk')).toBeUndefined();

    await clearMempool(db);
    expect(await loadMempool(db)).toEqual([]);
  });
});

describe('meta', () => {
  it('stores small values and refuses to touch the chain tip', async () => {
    const db = await openDb();
    expect(await getMeta(db, 'miner.workers')).toBeUndefined();
    await putMeta(db, 'miner.workers', 4);
    await putMeta(db, 'wallet.created', { at: 123n, label: 'main' });
    expect(await getMeta<number>(db, 'miner.workers')).toBe(4);
    expect(await getMeta(db, 'wallet.created')).toEqual({ at: 123n, label: 'main' });
    expect(() => putMeta(db, META_TIP, 'x')).toThrow(RangeError);
  });
});
