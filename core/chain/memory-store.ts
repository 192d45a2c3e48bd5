/** In-memory `ChainStore` for tests and the network simulator. */
import type { Block } from '../primitives/block.js';
import { toHex } from '../primitives/bytes.js';
import type { ChainStore, StoreBatch, StoredEntry } from './store.js';
import type { Coin } from '../consensus/utxo.js';

export class MemoryStore implements ChainStore {
  readonly entries = new Map<string, StoredEntry>();
  readonly blocks = new Map<string, Block>();
  readonly undo = new Map<string, Coin[]>();
  readonly coins = new Map<string, Coin>();
  tip: string | undefined = undefined;
  /** Number of batches written (lets tests see that a change was one atomic write). */
  writes = 0;

  async loadIndex(): Promise<{ entries: StoredEntry[]; tip: string | undefined }> {
    return { entries: [...this.entries.values()].map((e) => ({ ...e })), tip: this.tip };
  }

  async getBlock(id: string): Promise<Block | undefined> {
    return this.blocks.get(id);
  }

  async getUndo(id: string): Promise<Coin[] | undefined> {
    return this.undo.get(id);
  }

  async getCoins(keys: readonly string[]): Promise<(Coin | undefined)[]> {
    return keys.map((key) => this.coins.get(key));
  }

  async coinsByOwner(pubkeyHex: string): Promise<[string, Coin][]> {
    return [...this.coins].filter(([, coin]) => toHex(coin.pubkey) === pubkeyHex);
  }

  async write(batch: StoreBatch): Promise<void> {
    this.writes++;
    for (const entry of batch.putEntries ?? []) this.entries.set(entry.id, { ...entry });
    for (const id of batch.deleteEntries ?? []) this.entries.delete(id);
    for (const { id, block } of batch.putBlocks ?? []) this.blocks.set(id, block);
    for (const id of batch.deleteBlocks ?? []) this.blocks.delete(id);
    for (const { id, coins } of batch.putUndo ?? []) this.undo.set(id, coins);
    for (const id of batch.deleteUndo ?? []) this.undo.delete(id);
    for (const key of batch.deleteCoins ?? []) this.coins.delete(key);
    for (const [key, coin] of batch.addCoins ?? []) this.coins.set(key, coin);
    if (batch.tip !== undefined) this.tip = batch.tip;
  }
}
