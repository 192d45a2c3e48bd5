/**
 * client/storage/chain-reset.ts on fake-indexeddb: a tab whose database holds the chain of the
 * network before the 2026-12-02 consensus change (old regtest genesis, blocks, coins, a
 * pending transaction, a wallet with history) opens on the new network without a crash: the
 * chain is cleared, the user is told, the wallet key and seed stay, the bans stay.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  NodeState,
  REGTEST,
  decodeBlock,
  fromHex,
  headerHash,
  headerId,
  type ChainParams,
} from '../../core/index.js';
import { P2P } from '../../client/net/p2p.js';
import { openNodeDb, type NodeDb } from '../../client/storage/db.js';
import { resetForeignChain } from '../../client/storage/chain-reset.js';
import { IdbChainStore } from '../../client/storage/idb-chain-store.js';
import { loadBans, saveBan, saveMempoolTx } from '../../client/storage/node-records.js';
import { indexKeyRanges } from '../../client/wallet/history.js';
import { loadSeedRecord } from '../../client/wallet/seed-record.js';
import { Wallet } from '../../client/wallet/wallet.js';
import { freshDbName } from '../helpers/idb-store.js';
import { NOW, buildBlock, testKey } from '../helpers/regtest.js';
import { payee, randomBytes } from '../helpers/wallet-node.js';

/** The regtest genesis block of the network before 2026-12-02 (recorded bytes, id 3fb734d3…). */
const OLD_REGTEST_GENESIS =
  '0100000000000000000000000000000000000000000000000000000000000000000000' +
  '00a400f856325c773e825d7f450ba06580cf9cca6faa128a76b72b08eaec6065d300df' +
  '006bffff7f2000000000010100000001000000000000000000000000000000000000000' +
  '0000000000000000000000000ffffffff390000000000546162636f696e20323032362d' +
  '31312d32313a2065766572792062726f777365722074616220697320612066756c6c20' +
  '6e6f646501000000000000000050929b74c1a04954b78b4b6035e97a5e078a5a0f28ec' +
  '96d547bfee9ace803ac00000000000';

function oldRegtest(): ChainParams {
  const decoded = decodeBlock(fromHex(OLD_REGTEST_GENESIS));
  if (!decoded.ok) throw new Error(decoded.message);
  const genesis = decoded.value;
  return Object.freeze({
    ...REGTEST,
    genesis,
    genesisId: headerId(genesis.header),
    genesisHash: headerHash(genesis.header),
  });
}

const dbs: NodeDb[] = [];
const wallets: Wallet[] = [];
afterEach(() => {
  for (const w of wallets.splice(0)) w.stop();
  for (const db of dbs.splice(0)) db.close();
});

function p2pFor(state: NodeState, nodeId: string): P2P {
  return new P2P({
    nodeId,
    state,
    env: {
      now: () => NOW * 1000,
      setInterval: () => 0,
      clearInterval: () => undefined,
      random: () => 0.5,
    },
  });
}

async function openWallet(db: NodeDb, state: NodeState, p2p: P2P): Promise<Wallet> {
  const wallet = await Wallet.open({
    db,
    state,
    p2p,
    network: 'regtest',
    random: randomBytes,
    now: () => NOW * 1000,
  });
  wallets.push(wallet);
  return wallet;
}

/** A database as the old release left it: 12 blocks paying the wallet, history, a ban. */
async function oldDatabase(name: string) {
  const old = oldRegtest();
  const db = await openNodeDb(name);
  const state = await NodeState.open(old, new IdbChainStore(db));
  const p2p = p2pFor(state, 'me');
  const wallet = await openWallet(db, state, p2p);
  for (let i = 0; i < 12; i++) {
    const block = buildBlock(state.chain.tip, { payTo: payee(wallet.pubkey) });
    const result = await p2p.submitBlock(block, 'local');
    if (!result.ok) throw new Error(`${result.reason}: ${result.message}`);
  }
  expect((await wallet.history()).length).toBeGreaterThan(0);
  const coinbase = (await state.chain.getBlock(state.chain.tip.id))!.txs[0]!;
  await saveMempoolTx(db, coinbase, NOW); // any transaction: the store must be emptied
  await saveBan(db, 'mallory', NOW * 1000 + 60_000, 'bad-signature');
  const pubkey = wallet.pubkey;
  const seed = await loadSeedRecord(db);
  wallet.stop();
  wallets.splice(wallets.indexOf(wallet), 1);
  p2p.stop();
  db.close();
  return { old, pubkey, seed };
}

describe('a database holding the chain of an older network (another genesis)', () => {
  it('cannot be opened as the new network as-is: the reset is what keeps the tab alive', async () => {
    const name = freshDbName('old-chain');
    await oldDatabase(name);
    const db = await openNodeDb(name);
    dbs.push(db);
    await expect(NodeState.open(REGTEST, new IdbChainStore(db))).rejects.toThrow(
      /another network's chain/,
    );
  });

  it('is cleared with a notice; the node starts at the new genesis; wallet and bans stay', async () => {
    const name = freshDbName('old-chain');
    const { old, pubkey, seed } = await oldDatabase(name);
    const db = await openNodeDb(name);
    dbs.push(db);

    const dropped = await resetForeignChain(db, REGTEST.genesisId, indexKeyRanges());
    expect(dropped).toMatchObject({ oldGenesis: old.genesisId, oldHeight: 12 });
    expect(dropped!.notice).toMatch(
      /older Tabcoin network .*cleared.*wallet keys and backup words are kept/s,
    );
    for (const store of ['entries', 'blocks', 'undo', 'coins', 'mempool'] as const) {
      expect(await db.count(store)).toBe(0);
    }

    const state = await NodeState.open(REGTEST, new IdbChainStore(db));
    expect([state.chain.height, state.chain.tip.id]).toEqual([0, REGTEST.genesisId]);
    expect(await loadSeedRecord(db)).toEqual(seed);
    const p2p = p2pFor(state, 'me');
    const wallet = await openWallet(db, state, p2p);
    expect(wallet.pubkey).toEqual(pubkey);
    expect(await wallet.history()).toEqual([]);
    expect((await wallet.balances()).total).toBe(0n);
    expect((await loadBans(db, NOW * 1000)).map((b) => b.id)).toEqual(['mallory']);

    // The new chain works on the kept wallet, and the next start-up leaves it alone.
    const block = buildBlock(state.chain.tip, { payTo: payee(wallet.pubkey) });
    expect((await p2p.submitBlock(block, 'local')).ok).toBe(true);
    expect((await wallet.balances()).immature).toBeGreaterThan(0n);
    p2p.stop();
    expect(await resetForeignChain(db, REGTEST.genesisId, indexKeyRanges())).toBeUndefined();
    expect(await db.count('entries')).toBe(2);
  });

  it('leaves a new (empty) database and a database of this network untouched', async () => {
    const db = await openNodeDb(freshDbName('fresh'));
    dbs.push(db);
    expect(await resetForeignChain(db, REGTEST.genesisId)).toBeUndefined();
    const state = await NodeState.open(REGTEST, new IdbChainStore(db));
    await state.processBlock(buildBlock(state.chain.tip, { payTo: testKey(1) }), NOW);
    expect(await resetForeignChain(db, REGTEST.genesisId)).toBeUndefined();
    expect(await db.count('blocks')).toBe(2);
  });
});
