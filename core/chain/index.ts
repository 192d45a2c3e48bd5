/**
 * Chain: a node's view of the block tree and its state — the block index with chainwork and
 * status, fork choice by most work, orphan blocks, reorgs with undo data, pruning of stale
 * branches, the storage port (`ChainStore`) and its in-memory implementation, and `NodeState`,
 * which owns chain + mempool together. May import: primitives, consensus, mempool.
 */
export * from './store.js';
export * from './memory-store.js';
export * from './header-entry.js';
export * from './block-index.js';
export * from './block-tree.js';
export * from './fork-choice.js';
export * from './orphan-blocks.js';
export * from './chain-outcome.js';
export * from './chain-options.js';
export * from './chain.js';
export * from './node-state.js';
export * from './write-cache.js';
