/**
 * Tabcoin's consensus library: pure functions and a few state owners (Chain, Mempool,
 * NodeState) over plain data. No DOM, storage, network, clock or randomness: callers pass
 * time (`now`, seconds) and randomness (BIP340 aux bytes) in.
 */
export * from './address.js';
export * from './block-checks.js';
export * from './block-index.js';
export * from './block-tree.js';
export * from './block.js';
export * from './bytes.js';
export * from './chain-outcome.js';
export * from './chain.js';
export * from './coinbase.js';
export * from './connect.js';
export * from './constants.js';
export * from './difficulty.js';
export * from './encoding.js';
export * from './genesis.js';
export * from './hash.js';
export * from './header-entry.js';
export * from './keys.js';
export * from './memory-store.js';
export * from './mempool.js';
export * from './merkle.js';
export * from './node-state.js';
export * from './orphan-blocks.js';
export * from './params.js';
export * from './pow.js';
export * from './result.js';
export * from './sig-cache.js';
export * from './sign.js';
export * from './store.js';
export * from './template.js';
export * from './tx-checks.js';
export * from './tx.js';
export * from './utxo.js';
export * from './wallet.js';
export * from './fork-choice.js';
export * from './signal.js';
export { bestKernelKind, createMiningKernel, mineRange } from './mine-range.js';
export { NONCE_SPACE, targetTopWord, type KernelKind, type MiningKernel } from './mine-kernel.js';
export { createJsKernel } from './mine-js-kernel.js';
export { createWasmKernel, wasmKernelUnavailable } from './mine-wasm-kernel.js';
export * from './wire-types.js';
export * from './wire.js';
export * from './wire-frames.js';
