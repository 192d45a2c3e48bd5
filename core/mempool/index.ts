/**
 * Mempool: unconfirmed transactions (conflicts, chains, fee-rate order, size cap, expiry), the
 * block template a miner works on, and the wallet primitives that build and sign payments from
 * a UTXO view plus the mempool. Policy, not consensus. May import: primitives, consensus.
 */
export * from './mempool.js';
export * from './template.js';
export * from './wallet.js';
