/**
 * A write-back cache in front of a `ChainStore` (Bitcoin Core's dbcache, with block bodies,
 * undo data and index entries kept beside the coins): while the node is far behind its best
 * header, the writes of many block connects collect in memory and reach storage together as
 * one atomic `write` (a flush). Reads look in the cache first, so chain state behaves exactly
 * as if every write had gone straight through. Storage only ever holds the state after a whole
 * flush — the tip, coins, undo data and block index of the same moment — so a tab killed
 * mid-batch reopens on the last flushed chain, consistent and a little older.
 */
import { blockSize, type Block } from '../primitives/block.js';
import { toHex } from '../primitives/bytes.js';
import type { Coin } from '../consensus/utxo.js';
import type { ChainStore, StoreBatch, StoredEntry } from './store.js';

export interface WriteCacheOptions {
  /** Flush once the cached writes are estimated to hold this many bytes of memory. */
  maxBytes: number;
  /** Flush once the oldest unflushed write is this old (node clock, seconds). */
  maxAgeSeconds: number;
  /**
   * Keep writes cached only while the best header is at least this many blocks ahead of the
   * tip; closer than that every call commits at once (nothing a user sees waits in memory).
   */
  minGap: number;
  /**
   * Near the tip, leave the flush to the caller instead of committing inside the call: the
   * browser node accepts and relays a new block first and commits it moments later
   * (`Chain.flush`, client/node.ts), as Bitcoin Core keeps a new block's coins in its dbcache.
   * The memory and age bounds still flush inside the call.
   */
  deferTipFlush?: boolean;
}

/** What the browser node uses: 16 MiB, 5 s, 16 blocks (docs/architecture.md, Storage). */
export const DEFAULT_WRITE_CACHE: Readonly<WriteCacheOptions> = Object.freeze({
  maxBytes: 16 * 1024 * 1024,
  maxAgeSeconds: 5,
  minGap: 16,
});

/** Coins kept from storage reads (about 320 B each: 5 MiB). */
export const MAX_READ_COINS = 16_384;

/**
 * Estimated heap bytes a cached record holds (JS objects, strings as UTF-16, typed-array
 * headers), deliberately on the high side so the bound is a ceiling, not a hope.
 */
const ENTRY_BYTES = 512;
const COIN_BYTES = 320;
const DELETE_BYTES = 200;
const UNDO_BYTES = 200;
/**
 * A decoded block holds a typed array per hash, key and signature: measured on V8 (Node 20),
 * 12–14× its wire size (2.4 KB for a 174-byte coinbase-only block).
 */
const BLOCK_OVERHEAD = 14;

/** One generation of cached writes: a value per key, `null` for a deletion. */
class Layer {
  readonly entries = new Map<string, StoredEntry | null>();
  readonly blocks = new Map<string, Block | null>();
  readonly undo = new Map<string, Coin[] | null>();
  readonly coins = new Map<string, Coin | null>();
  /** Owner (hex public key) -> coin keys put in this layer, for `coinsByOwner`. */
  readonly owners = new Map<string, Set<string>>();
  tip: string | undefined = undefined;
  bytes = 0;

  get empty(): boolean {
    return this.bytes === 0;
  }

  /** Apply `batch` in `MemoryStore.write`'s order (a later request wins on one key). */
  apply(batch: StoreBatch): void {
    for (const entry of batch.putEntries ?? []) this.set(this.entries, entry.id, { ...entry });
    for (const id of batch.deleteEntries ?? []) this.set(this.entries, id, null);
    for (const { id, block } of batch.putBlocks ?? []) this.set(this.blocks, id, block);
    for (const id of batch.deleteBlocks ?? []) this.set(this.blocks, id, null);
    for (const { id, coins } of batch.putUndo ?? []) this.set(this.undo, id, coins);
    for (const id of batch.deleteUndo ?? []) this.set(this.undo, id, null);
    for (const key of batch.deleteCoins ?? []) this.set(this.coins, key, null);
    for (const [key, coin] of batch.addCoins ?? []) this.putCoin(key, coin);
    if (batch.tip !== undefined) {
      this.tip = batch.tip;
      this.bytes += DELETE_BYTES;
    }
  }

  private set<V extends Sized>(map: Map<string, V | null>, key: string, value: V | null): void {
    map.set(key, value);
    this.bytes += sizeOf(value);
  }

  private putCoin(key: string, coin: Coin): void {
    this.set(this.coins, key, coin);
    const owner = toHex(coin.pubkey);
    let keys = this.owners.get(owner);
    if (!keys) this.owners.set(owner, (keys = new Set()));
    keys.add(key);
  }

  /** Take `newer`'s writes on top of this layer's (a failed flush retried with what followed). */
  absorb(newer: Layer): void {
    for (const [id, e] of newer.entries) this.entries.set(id, e);
    for (const [id, b] of newer.blocks) this.blocks.set(id, b);
    for (const [id, u] of newer.undo) this.undo.set(id, u);
    for (const [key, c] of newer.coins) this.coins.set(key, c);
    for (const [owner, keys] of newer.owners) {
      const mine = this.owners.get(owner);
      if (mine) for (const key of keys) mine.add(key);
      else this.owners.set(owner, new Set(keys));
    }
    this.tip = newer.tip ?? this.tip;
    this.bytes += newer.bytes;
  }

  /** The layer as one store batch (keys are distinct, so request order does not matter). */
  toBatch(): StoreBatch {
    const puts = <V>(map: Map<string, V | null>) =>
      [...map].filter((kv): kv is [string, V] => kv[1] !== null);
    const deletes = <V>(map: Map<string, V | null>) =>
      [...map].filter(([, v]) => v === null).map(([k]) => k);
    const batch: StoreBatch = {
      putEntries: puts(this.entries).map(([, e]) => e),
      deleteEntries: deletes(this.entries),
      putBlocks: puts(this.blocks).map(([id, block]) => ({ id, block })),
      deleteBlocks: deletes(this.blocks),
      putUndo: puts(this.undo).map(([id, coins]) => ({ id, coins })),
      deleteUndo: deletes(this.undo),
      addCoins: puts(this.coins),
      deleteCoins: deletes(this.coins),
    };
    if (this.tip !== undefined) batch.tip = this.tip;
    return batch;
  }
}

type Sized = StoredEntry | Block | Coin[] | Coin;

function sizeOf(value: Sized | null): number {
  if (value === null) return DELETE_BYTES;
  if (Array.isArray(value)) return UNDO_BYTES + value.length * COIN_BYTES;
  if ('txs' in value) return ENTRY_BYTES + BLOCK_OVERHEAD * blockSize(value);
  if ('header' in value) return ENTRY_BYTES;
  return COIN_BYTES;
}

/**
 * A `ChainStore` that keeps writes in memory until `flush`. At most one flush runs at a time;
 * writes made meanwhile go to a new layer, and a flush that fails puts its layer back (under
 * the newer writes) so the next flush retries all of it. `settle` and `ready` carry the
 * batching policy that `Chain` applies around each call.
 */
export class CachedStore implements ChainStore {
  private dirty = new Layer();
  /** The layer being written by the flush under way. */
  private flushing: Layer | undefined = undefined;
  private inFlight: Promise<void> | undefined = undefined;
  /** Node-clock second of the oldest unflushed write (the time bound). */
  private since: number | undefined = undefined;
  /** The error of the last flush, until one succeeds. */
  failure: unknown = undefined;
  /** Flushes that reached storage. */
  flushes = 0;
  /**
   * Coins read from storage (a read cache, as Bitcoin Core's coins cache holds what the
   * mempool looked up): a block of mempool transactions then connects without reading storage.
   * At most `MAX_READ_COINS`, oldest out; a write to a key drops it here (the layers hold it).
   */
  private readonly readCoins = new Map<string, Coin>();
  /** Writes so far: a read that a write overlapped is not kept (it may predate the write). */
  private writes = 0;

  constructor(
    readonly backing: ChainStore,
    readonly options: WriteCacheOptions = DEFAULT_WRITE_CACHE,
  ) {}

  /** Estimated memory held by writes not yet in storage (including a flush under way). */
  get bytes(): number {
    return this.dirty.bytes + (this.flushing?.bytes ?? 0);
  }

  /** Layers newest first: reads take the first that knows a key, then storage. */
  private layers(): Layer[] {
    return this.flushing ? [this.dirty, this.flushing] : [this.dirty];
  }

  private find<V>(
    pick: (layer: Layer) => Map<string, V | null>,
    key: string,
  ): V | null | undefined {
    for (const layer of this.layers()) {
      const value = pick(layer).get(key);
      if (value !== undefined) return value;
    }
    return undefined;
  }

  async loadIndex(): Promise<{ entries: StoredEntry[]; tip: string | undefined }> {
    const layers = this.layers().reverse();
    const stored = await this.backing.loadIndex();
    const entries = new Map(stored.entries.map((e) => [e.id, e]));
    let tip = stored.tip;
    for (const layer of layers) {
      for (const [id, e] of layer.entries) {
        if (e) entries.set(id, { ...e });
        else entries.delete(id);
      }
      tip = layer.tip ?? tip;
    }
    return { entries: [...entries.values()], tip };
  }

  async getBlock(id: string): Promise<Block | undefined> {
    const cached = this.find((l) => l.blocks, id);
    return cached === undefined ? this.backing.getBlock(id) : (cached ?? undefined);
  }

  async getUndo(id: string): Promise<Coin[] | undefined> {
    const cached = this.find((l) => l.undo, id);
    return cached === undefined ? this.backing.getUndo(id) : (cached ?? undefined);
  }

  async getCoins(keys: readonly string[]): Promise<(Coin | undefined)[]> {
    const out: (Coin | undefined)[] = new Array<Coin | undefined>(keys.length);
    const missing: string[] = [];
    const at: number[] = [];
    keys.forEach((key, i) => {
      const cached = this.find((l) => l.coins, key);
      if (cached === undefined) {
        missing.push(key);
        at.push(i);
      } else out[i] = cached ?? undefined;
    });
    if (missing.length === 0) return out;
    const unread: string[] = [];
    const unreadAt: number[] = [];
    missing.forEach((key, j) => {
      const coin = this.readCoins.get(key);
      if (coin) out[at[j]!] = coin;
      else {
        unread.push(key);
        unreadAt.push(at[j]!);
      }
    });
    if (unread.length === 0) return out;
    const writesBefore = this.writes;
    const stored = await this.backing.getCoins(unread);
    const keep = this.writes === writesBefore;
    stored.forEach((coin, j) => {
      out[unreadAt[j]!] = coin;
      if (coin && keep) this.rememberCoin(unread[j]!, coin);
    });
    return out;
  }

  async coinsByOwner(pubkeyHex: string): Promise<[string, Coin][]> {
    // Layers taken before the read: whatever a flush finishes meanwhile, applying them again
    // on top of storage gives the same coins.
    const layers = this.layers().reverse();
    const result = new Map(await this.backing.coinsByOwner(pubkeyHex));
    for (const layer of layers) {
      for (const key of result.keys()) if (layer.coins.get(key) === null) result.delete(key);
      for (const key of layer.owners.get(pubkeyHex) ?? []) {
        const coin = layer.coins.get(key);
        if (coin) result.set(key, coin);
      }
    }
    return [...result];
  }

  /** Cache `batch` (kept whole: a flush writes all of it or none of it). */
  write(batch: StoreBatch): Promise<void> {
    this.writes++;
    for (const key of batch.deleteCoins ?? []) this.readCoins.delete(key);
    for (const [key] of batch.addCoins ?? []) this.readCoins.delete(key);
    this.dirty.apply(batch);
    return Promise.resolve();
  }

  private rememberCoin(key: string, coin: Coin): void {
    this.readCoins.set(key, coin);
    if (this.readCoins.size > MAX_READ_COINS)
      this.readCoins.delete(this.readCoins.keys().next().value!);
  }

  /** Write everything cached to storage (after any flush under way); throws if it fails. */
  async flush(): Promise<void> {
    while (this.inFlight) await this.inFlight.catch(() => undefined);
    if (this.dirty.empty) return;
    await this.begin();
  }

  /**
   * Start writing everything cached now, synchronously: for a page about to close its
   * database, which takes no new transaction after. With a flush under way, its layer and the
   * newer one go together in a second transaction (IndexedDB runs it after the first; writing
   * a value twice is harmless, and if the first fails this one still holds all of it).
   */
  startFlush(): void {
    if (this.dirty.empty) return;
    if (!this.inFlight) {
      this.begin().catch(() => undefined); // the failure stays in `failure` for `ready`
      return;
    }
    const both = new Layer();
    both.absorb(this.flushing!);
    both.absorb(this.dirty);
    this.backing.write(both.toBatch()).catch(() => undefined); // closing: no one to tell
  }

  private begin(): Promise<void> {
    const layer = this.dirty;
    this.dirty = new Layer();
    this.flushing = layer;
    const since = this.since;
    this.since = undefined;
    let write: Promise<void>;
    try {
      write = this.backing.write(layer.toBatch());
    } catch (error) {
      write = Promise.reject(error);
    }
    this.inFlight = write.then(
      () => {
        this.flushing = undefined;
        this.inFlight = undefined;
        this.failure = undefined;
        this.flushes++;
      },
      (error: unknown) => {
        layer.absorb(this.dirty);
        this.dirty = layer;
        this.flushing = undefined;
        this.inFlight = undefined;
        this.since = since;
        this.failure = error;
        throw error;
      },
    );
    return this.inFlight;
  }

  /**
   * Before a chain call: a batch whose flush failed is retried first, and the call refused if
   * it fails again, so memory never grows by more than one call past a storage failure.
   */
  async ready(): Promise<void> {
    if (this.failure !== undefined) await this.flush();
  }

  /**
   * After a chain call at node-clock second `now`, with the best header `behind` blocks ahead
   * of the tip: flush when near the tip, or when the batch reached its memory or time bound.
   */
  async settle(now: number, behind: number): Promise<void> {
    if (this.dirty.empty) return;
    this.since ??= now;
    const { minGap, maxBytes, maxAgeSeconds } = this.options;
    if (this.bytes >= maxBytes || now - this.since >= maxAgeSeconds) await this.flush();
    else if (behind < minGap && !this.options.deferTipFlush) await this.flush();
  }
}
