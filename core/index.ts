/**
 * Tabcoin's consensus library, the one public entry of core/: pure functions and a few state
 * owners (Chain, Mempool, NodeState) over plain data. No DOM, storage, network, clock or
 * randomness: callers pass time (`now`, seconds) and randomness (BIP340 aux bytes) in.
 *
 * Folders by concern, imports only pointing down (enforced by eslint.config.js):
 *   primitives/ <- consensus/ <- mempool/, mining/, wire/ <- chain/
 * See docs/architecture.md for what each folder owns.
 */
export * from './primitives/index.js';
export * from './consensus/index.js';
export * from './mempool/index.js';
export * from './mining/index.js';
export * from './wire/index.js';
export * from './chain/index.js';
