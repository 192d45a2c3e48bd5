/**
 * Dropping stale side branches from storage: the entries `BlockTree.prune` gave up (more than
 * PRUNE_DEPTH blocks behind the tip), their bodies and undo data, in one write. The bodies are
 * read first and reported in `change.pruned`, so the mempool can take back their transactions.
 */
import { hasData, type BlockEntry } from './block-index.js';
import type { TipChange } from './chain-outcome.js';
import type { ChainStore } from './store.js';

export async function deletePruned(
  store: ChainStore,
  doomed: readonly BlockEntry[],
  change: TipChange,
): Promise<void> {
  if (doomed.length === 0) return;
  for (const entry of doomed.filter((e) => hasData(e))) {
    const block = await store.getBlock(entry.id);
    if (block) change.pruned.push(block);
  }
  const ids = doomed.map((e) => e.id);
  await store.write({ deleteEntries: ids, deleteBlocks: ids, deleteUndo: ids });
}
