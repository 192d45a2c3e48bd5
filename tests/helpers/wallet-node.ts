/**
 * Wallets on in-process regtest nodes: a `Wallet` over a test node's NodeState and P2P with its
 * own fake IndexedDB database, and block mining that pays any public key.
 */
import 'fake-indexeddb/auto';
import { type Block, type Tx } from '../../core/index.js';
import { openNodeDb, type NodeDb } from '../../client/storage/db.js';
import { Wallet } from '../../client/wallet/wallet.js';
import { freshDbName } from './idb-store.js';
import { clock, type TestNode } from './net.js';
import { buildBlock, type TestKey } from './regtest.js';

/** The BIP39 test mnemonic (BIP86 test vectors use it too). */
export const TEST_MNEMONIC =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';

export const randomBytes = (n: number): Uint8Array => crypto.getRandomValues(new Uint8Array(n));

export interface TestWallet {
  wallet: Wallet;
  db: NodeDb;
}

/** Open a wallet on `node` in a fresh (or the given) database. */
export async function openWallet(node: TestNode, db?: NodeDb): Promise<TestWallet> {
  const database = db ?? (await openNodeDb(freshDbName('wallet')));
  const wallet = await Wallet.open({
    db: database,
    state: node.state,
    p2p: node.p2p,
    network: 'regtest',
    random: randomBytes,
    now: () => clock.ms,
  });
  return { wallet, db: database };
}

/** A stand-in key for `buildBlock` when only the public key matters (the coinbase pays it). */
export function payee(pubkey: Uint8Array): TestKey {
  return { pubkey, secret: new Uint8Array(32) };
}

export interface MineOptions {
  /** Put the node's mempool in the first block (parents before children). */
  withMempool?: boolean;
  /** Distinguishes competing branches. */
  extraNonce?: number;
}

/** Mine `count` blocks on `node`'s tip paying `pubkey`, through the node's submit path. */
export async function mineTo(
  node: TestNode,
  pubkey: Uint8Array,
  count: number,
  opts: MineOptions = {},
): Promise<Block[]> {
  const blocks: Block[] = [];
  for (let i = 0; i < count; i++) {
    const txs: Tx[] =
      i === 0 && opts.withMempool ? node.state.mempool.entries().map((e) => e.tx) : [];
    const block = buildBlock(node.state.chain.tip, {
      payTo: payee(pubkey),
      txs,
      extraNonce: opts.extraNonce ?? 0,
    });
    const result = await node.p2p.submitBlock(block, 'local');
    if (!result.ok) throw new Error(`block refused: ${result.reason}: ${result.message}`);
    blocks.push(block);
  }
  return blocks;
}
