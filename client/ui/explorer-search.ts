/**
 * The explorer's search and block loading (no DOM). A query is read as a height, a block hash,
 * a txid, or an address / raw public key, and looked up in what this tab actually holds:
 * - block hash / height: every block header in memory (all branches; heights on the active chain);
 * - txid: the mempool, this wallet's history, and the transactions of the last
 *   `RECENT_BLOCKS_SEARCHED` blocks of the active chain (older transactions are not indexed);
 * - address: the UTXO set (unspent outputs to that key) and the mempool.
 */
import {
  AddressError,
  isValidPublicKey,
  fromHex,
  parseRecipient,
  toHex,
  txidHex,
  type Block,
  type Coin,
  type MempoolEntry,
  type Tx,
} from '../../core/index.js';
import type { TabNode } from '../node.js';

/** How many recent active-chain blocks a txid search reads. */
export const RECENT_BLOCKS_SEARCHED = 100;
/** What a search looks in, said under the search box. */
export const SEARCH_SCOPE =
  `Searches block hashes (every header this tab holds), heights (active chain), txids (mempool, ` +
  `this wallet's history and the last ${RECENT_BLOCKS_SEARCHED} blocks) and addresses ` +
  `(unspent outputs and pending transactions).`;

export type SearchResult =
  | { kind: 'block'; id: string }
  | { kind: 'tx'; txid: string; tx: Tx; blockId?: string; pending?: MempoolEntry }
  | {
      kind: 'address';
      query: string;
      pubkeyHex: string;
      coins: [string, Coin][];
      total: bigint;
      pending: { id: string; amount: bigint }[];
    }
  | { kind: 'none'; message: string };

const BODY_CACHE_SIZE = 128;
const bodies = new Map<string, Block>();

/** A block body by id (IndexedDB, with a small in-memory cache); undefined if not stored. */
export async function loadBlock(node: TabNode, id: string): Promise<Block | undefined> {
  const cached = bodies.get(id);
  if (cached) return cached;
  const block = await node.state.chain.getBlock(id);
  if (block) {
    bodies.set(id, block);
    if (bodies.size > BODY_CACHE_SIZE) bodies.delete(bodies.keys().next().value!);
  }
  return block;
}

/** Find a transaction by display txid in the mempool, the wallet history or recent blocks. */
export async function findTx(node: TabNode, id: string): Promise<SearchResult | undefined> {
  const pending = node.state.mempool.get(id);
  if (pending) return { kind: 'tx', txid: id, tx: pending.tx, pending };
  const chain = node.state.chain;
  const heights: number[] = [];
  const known = (await node.wallet.history()).find((h) => h.txid === id);
  if (known?.height !== undefined) heights.push(known.height);
  for (let h = chain.height; h > 0 && h > chain.height - RECENT_BLOCKS_SEARCHED; h--)
    heights.push(h);
  for (const height of heights) {
    const entry = chain.entryAt(height);
    const block = entry && (await loadBlock(node, entry.id));
    const tx = block?.txs.find((t) => txidHex(t) === id);
    if (entry && tx) return { kind: 'tx', txid: id, tx, blockId: entry.id };
  }
  return undefined;
}

async function findAddress(
  node: TabNode,
  query: string,
  pubkey: Uint8Array,
): Promise<SearchResult> {
  const pubkeyHex = toHex(pubkey);
  const coins = await node.state.chain.coinsByOwner(pubkeyHex);
  const total = coins.reduce((sum, [, coin]) => sum + coin.amount, 0n);
  const pending = node.state.mempool
    .entries()
    .map((e) => ({
      id: e.id,
      amount: e.tx.outputs
        .filter((o) => toHex(o.pubkey) === pubkeyHex)
        .reduce((s, o) => s + o.amount, 0n),
    }))
    .filter((p) => p.amount > 0n);
  return { kind: 'address', query, pubkeyHex, coins, total, pending };
}

/** Interpret `query` and look it up (see the file header for where). */
export async function search(node: TabNode, query: string): Promise<SearchResult> {
  const text = query.trim();
  const chain = node.state.chain;
  if (text === '') return { kind: 'none', message: 'Type a block hash, height, txid or address.' };
  if (/^\d{1,10}$/.test(text)) {
    const entry = chain.entryAt(Number(text));
    return entry
      ? { kind: 'block', id: entry.id }
      : {
          kind: 'none',
          message: `No block at height ${text}: the active chain is ${chain.height} blocks high.`,
        };
  }
  if (/^[0-9a-fA-F]{64}$/.test(text)) {
    const id = text.toLowerCase();
    if (chain.getEntry(id)) return { kind: 'block', id };
    const tx = await findTx(node, id);
    if (tx) return tx;
    const key = fromHex(id);
    if (isValidPublicKey(key)) return findAddress(node, text, key);
    return {
      kind: 'none',
      message: `No block or transaction ${id.slice(0, 16)}… here (not a public key either).`,
    };
  }
  try {
    return await findAddress(node, text, parseRecipient(text, node.params.network));
  } catch (err) {
    if (err instanceof AddressError) return { kind: 'none', message: err.message };
    throw err;
  }
}
