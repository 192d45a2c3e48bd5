/**
 * Finds the genesis nonces recorded in core/consensus/params.ts (run once when the genesis spec changes):
 * `npx tsx tools/mine-genesis.ts`. Uses node:crypto because it is a one-off offline search.
 */
import { createHash } from 'node:crypto';
import { encodeHeader, headerId } from '../core/primitives/block.js';
import { bitsToTarget } from '../core/consensus/difficulty.js';
import { buildGenesis, GENESIS_TIME } from '../core/consensus/genesis.js';
import { bytesToBigIntLE } from '../core/primitives/bytes.js';
import { MAIN_GENESIS_BITS } from '../core/consensus/params.js';

function mine(label: string, time: number, bits: number): void {
  const target = bitsToTarget(bits);
  const header = encodeHeader(buildGenesis({ time, bits, nonce: 0 }).header);
  const view = new DataView(header.buffer);
  for (let nonce = 0; nonce <= 0xffffffff; nonce++) {
    view.setUint32(76, nonce, true);
    const first = createHash('sha256').update(header).digest();
    const hash = createHash('sha256').update(first).digest();
    if (bytesToBigIntLE(hash) <= target) {
      const id = headerId(buildGenesis({ time, bits, nonce }).header);
      console.log(`${label}: time ${time} bits 0x${bits.toString(16)} nonce ${nonce} hash ${id}`);
      return;
    }
  }
  throw new Error(`${label}: no nonce found`);
}

mine('main', GENESIS_TIME, MAIN_GENESIS_BITS);
mine('regtest', GENESIS_TIME, 0x207fffff);
