/**
 * Consensus: the rules every node of a network must agree on — network parameters and genesis
 * blocks, difficulty retarget and proof of work, context-free transaction and block checks,
 * contextual checks against a UTXO view, connecting and disconnecting a block with undo data,
 * and the signature cache. May import: primitives.
 */
export * from './params.js';
export * from './genesis.js';
export * from './difficulty.js';
export * from './pow.js';
export * from './sig-cache.js';
export * from './sig-checks.js';
export * from './utxo.js';
export * from './tx-checks.js';
export * from './block-checks.js';
export * from './connect.js';
