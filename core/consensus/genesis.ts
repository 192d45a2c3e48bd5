/**
 * Genesis blocks. Each network's first block is fixed: built from these constants and checked
 * by tests to hash as recorded and meet its own proof of work. Like Bitcoin's, the genesis
 * coinbase is never added to the UTXO set; its single output pays 0 to the BIP341 "NUMS" key,
 * which nobody has a secret key for.
 */
import { fromHex } from '../primitives/bytes.js';
import { blockMerkle, type Block } from '../primitives/block.js';
import { createCoinbase } from '../primitives/coinbase.js';

/** BIP341's nothing-up-my-sleeve x-only point H (no known discrete log). */
export const NUMS_PUBKEY = fromHex(
  '50929b74c1a04954b78b4b6035e97a5e078a5a0f28ec96d547bfee9ace803ac0',
);

/**
 * The genesis coinbase's tag. Changed (with GENESIS_TIME) whenever consensus changes in a way
 * old nodes cannot follow, so the new network has new genesis ids and old tabs never link to
 * it: 2026-12-02, signatures commit to the genesis hash (docs/consensus.md).
 */
export const GENESIS_MESSAGE = 'Tabcoin 2026-12-02: signatures commit to their network';

/** Both genesis blocks' time: 2026-12-02 00:00:00 UTC. */
export const GENESIS_TIME = 1796169600;

export interface GenesisSpec {
  time: number;
  bits: number;
  nonce: number;
  /** The coinbase tag; default GENESIS_MESSAGE (regtestParams adds its difficulty to it). */
  message?: string;
}

export function buildGenesis({ time, bits, nonce, message = GENESIS_MESSAGE }: GenesisSpec): Block {
  const coinbase = createCoinbase({
    height: 0,
    outputs: [{ amount: 0n, pubkey: NUMS_PUBKEY }],
    tag: new TextEncoder().encode(message),
  });
  return {
    header: {
      version: 1,
      prevHash: new Uint8Array(32),
      merkleRoot: blockMerkle([coinbase]).root,
      time,
      bits,
      nonce,
    },
    txs: [coinbase],
  };
}
