/**
 * Primitives: the data Tabcoin is made of and its one canonical encoding — bytes and hex,
 * CompactSize and little-endian fields, typed results, SHA-256d and tagged hashes, merkle roots,
 * BIP340 keys and signatures, bech32m addresses, transactions, headers and blocks, the coinbase.
 * Nothing here knows a rule of the chain. May import: nothing of core (only @noble/*, @scure/*).
 */
export * from './bytes.js';
export * from './encoding.js';
export * from './result.js';
export * from './constants.js';
export * from './hash.js';
export * from './siphash.js';
export * from './merkle.js';
export * from './keys.js';
export * from './sign.js';
export * from './address.js';
export * from './tx.js';
export * from './block.js';
export * from './coinbase.js';
