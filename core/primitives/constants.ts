/** Consensus constants shared by every network (docs/consensus.md explains each). */

/** Base units per coin; amounts are bigint base units, never floats. */
export const COIN = 100_000_000n;
/** No amount, and no sum of amounts, may exceed this. */
export const MAX_MONEY = 21_000_000n * COIN;
/** Coinbase outputs are spendable only after this many blocks (reorg safety). */
export const COINBASE_MATURITY = 10;
/** Largest serialized block, header included. */
export const MAX_BLOCK_BYTES = 1_000_000;
/** A block's time must exceed the median of this many previous blocks' times. */
export const MEDIAN_TIME_SPAN = 11;
/** Side branches whose fork point is more than this many blocks below the tip are pruned. */
export const PRUNE_DEPTH = 6;
/** Coinbase input script length bounds (BIP34 height + extra nonce). */
export const COINBASE_SCRIPT_MIN = 2;
export const COINBASE_SCRIPT_MAX = 100;
/** Lock times below this are block heights, at or above it Unix times (Bitcoin's rule). */
export const LOCKTIME_THRESHOLD = 500_000_000;
/** Serialized size of a block header. */
export const HEADER_BYTES = 80;
/** Smallest possible serialized input and output, used to bound counts before allocating. */
export const MIN_INPUT_BYTES = 32 + 4 + 1 + 1;
export const OUTPUT_BYTES = 8 + 32;
/** Smallest possible transaction (one input, one output). */
export const MIN_TX_BYTES = 4 + 1 + MIN_INPUT_BYTES + 1 + OUTPUT_BYTES + 4;
