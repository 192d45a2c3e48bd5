/**
 * Node stores that keep one copy of each block body and its undo data for the whole run.
 *
 * Every node decodes its own copy of each block it receives, and a `MemoryStore` would keep
 * that copy for the rest of the run: N nodes × every block of the run, most of the simulator's
 * memory at 500 nodes (it ran out of a 4 GB heap at about 21 simulated minutes). A block id
 * commits to the block's bytes and to its parent, so every node that stores a given id stores
 * equal data: the block, and the coins it spends (its undo data). `SharedStore` keeps the first
 * copy it sees and drops the others; what the node reads back is equal to what it wrote, so the
 * node's behaviour, and the run's result, do not change. Coins are not shared: their number
 * stays about the same through a run (payments recycle them).
 */
import { MemoryStore, type Block, type Coin, type StoreBatch } from '../../core/index.js';

/** The run's one copy of each block body and undo list, by block id. */
export class SharedBodies {
  readonly blocks = new Map<string, Block>();
  readonly undo = new Map<string, Coin[]>();
}

function intern<T>(pool: Map<string, T>, id: string, value: T): T {
  const kept = pool.get(id);
  if (kept !== undefined) return kept;
  pool.set(id, value);
  return value;
}

export class SharedStore extends MemoryStore {
  constructor(private readonly shared: SharedBodies) {
    super();
  }

  override write(batch: StoreBatch): Promise<void> {
    const { blocks, undo } = this.shared;
    return super.write({
      ...batch,
      ...(batch.putBlocks && {
        putBlocks: batch.putBlocks.map(({ id, block }) => ({
          id,
          block: intern(blocks, id, block),
        })),
      }),
      ...(batch.putUndo && {
        putUndo: batch.putUndo.map(({ id, coins }) => ({ id, coins: intern(undo, id, coins) })),
      }),
    });
  }
}
