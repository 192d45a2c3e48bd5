/**
 * Sync cost against chain length (figures, not pass/fail; issue 17): a fresh node syncs 1,000,
 * 5,000 and 20,000 empty regtest blocks in process, headers first (2,000 a message) and then
 * every body in order, as the network delivers them. Storage is IdbChainStore on
 * fake-indexeddb (the browser node's code on an in-memory IndexedDB) and MemoryStore as a
 * reference, each with the write cache (batched) and without it (one write per connect, as
 * before issue 17), all in the same run. Targets: per-block time within ±25% across the three
 * lengths (max/min <= 1.25), and the batched/unbatched ratio. `SYNC_BENCH_SIZES=1000,5000`
 * picks other lengths.
 */
import 'fake-indexeddb/auto';
import {
  DEFAULT_WRITE_CACHE,
  MAX_HEADERS_RESULTS,
  MemoryStore,
  NodeState,
  type Block,
  type ChainStore,
} from '../../core/index.js';
import { deleteNodeDb, openNodeDb, type NodeDb } from '../../client/storage/db.js';
import { IdbChainStore } from '../../client/storage/idb-chain-store.js';
import { NOW, params } from '../helpers/regtest.js';
import { emptyChain } from '../helpers/tall-chain.js';

const WARM_UP = 500;
const SIZES = (process.env.SYNC_BENCH_SIZES ?? '1000,5000,20000').split(',').map(Number);

interface Mode {
  name: string;
  batched: boolean;
  open(): Promise<{ store: ChainStore; close(): Promise<void> }>;
}

let dbCount = 0;
const idb = (batched: boolean): Mode => ({
  name: `IndexedDB (fake-indexeddb) ${batched ? 'batched' : 'unbatched'}`,
  batched,
  async open() {
    const name = `tabcoin-sync-bench-${++dbCount}`;
    const db: NodeDb = await openNodeDb(name);
    return {
      store: new IdbChainStore(db),
      async close() {
        db.close();
        await deleteNodeDb(name);
      },
    };
  },
});
const memory = (batched: boolean): Mode => ({
  name: `MemoryStore ${batched ? 'batched' : 'unbatched'}`,
  batched,
  async open() {
    return { store: new MemoryStore(), close: async () => undefined };
  },
});

interface PerBlock {
  /** Wall-clock ms per block: what a user waits (includes IndexedDB's waits between tasks). */
  wall: number;
  /**
   * CPU ms per block, user + system of this process (fake-indexeddb runs in it too): unlike
   * wall time, it does not count what other processes on a shared machine took.
   */
  cpu: number;
}

/** Time per block for a fresh node of `mode` to sync `blocks`. */
async function syncMs(mode: Mode, blocks: readonly Block[]): Promise<PerBlock> {
  const { store, close } = await mode.open();
  const node = await NodeState.open(params, store, {
    writeCache: mode.batched ? DEFAULT_WRITE_CACHE : undefined,
  });
  const cpu = process.cpuUsage();
  const start = performance.now();
  // The node clock moves with the wall clock, so the write cache's time bound is real.
  const now = () => NOW + Math.floor((performance.now() - start) / 1000);
  for (let i = 0; i < blocks.length; i += MAX_HEADERS_RESULTS) {
    const headers = blocks.slice(i, i + MAX_HEADERS_RESULTS).map((b) => b.header);
    const out = await node.chain.acceptHeaders(headers, now());
    if (out.rejection) throw new Error(`bench headers refused: ${out.rejection.reason}`);
  }
  for (const block of blocks) {
    const out = await node.processBlock(block, now());
    if (!out.ok || out.status !== 'active') throw new Error('bench block did not connect');
  }
  await node.chain.flush();
  const used = process.cpuUsage(cpu);
  const wall = (performance.now() - start) / blocks.length;
  const perBlock = { wall, cpu: (used.user + used.system) / 1000 / blocks.length };
  if (node.chain.height !== blocks.length) throw new Error('bench sync incomplete');
  await close();
  return perBlock;
}

export async function benchSyncCost(sizes = SIZES): Promise<void> {
  const chain = emptyChain(Math.max(...sizes));
  const modes = [idb(false), idb(true), memory(false), memory(true)];
  const results = new Map<string, PerBlock[]>();
  console.log(`sync cost per block, fresh node, empty blocks (${sizes.join(' / ')} blocks):`);
  const show = (times: number[]) => {
    const spread = Math.max(...times) / Math.min(...times);
    return `${times.map((t) => t.toFixed(3)).join(' / ')} ms, max/min ${spread.toFixed(2)}`;
  };
  for (const mode of modes) {
    await syncMs(mode, chain.slice(0, WARM_UP)); // JIT and allocator warm-up, not counted
    const times: PerBlock[] = [];
    for (const size of sizes) times.push(await syncMs(mode, chain.slice(0, size)));
    results.set(mode.name, times);
    console.log(`  ${mode.name}:`);
    console.log(`    wall ${show(times.map((t) => t.wall))} (target max/min <= 1.25)`);
    console.log(`    CPU  ${show(times.map((t) => t.cpu))} (target max/min <= 1.25)`);
  }
  for (const kind of ['IndexedDB (fake-indexeddb)', 'MemoryStore']) {
    const before = results.get(`${kind} unbatched`)!;
    const after = results.get(`${kind} batched`)!;
    const ratio = (pick: (t: PerBlock) => number) =>
      sizes.map((_, i) => (pick(before[i]!) / pick(after[i]!)).toFixed(2)).join(' / ');
    console.log(
      `  ${kind}: unbatched/batched per block, wall ${ratio((t) => t.wall)}, CPU ${ratio((t) => t.cpu)}`,
    );
  }
}
