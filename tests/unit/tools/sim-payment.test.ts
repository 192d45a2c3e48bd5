import { describe, expect, it } from 'vitest';
import { REGTEST, txSize } from '../../../core/index.js';
import { Prng } from '../../../tools/sim/prng.js';
import { amountAfterFee, buildPreChain, payment } from '../../../tools/sim/wallets.js';

describe('simulated payments', () => {
  it('pay the fee out of the inputs, and refuse dust that cannot pay it', async () => {
    const random = new Prng(3);
    const pre = await buildPreChain(REGTEST, 4, REGTEST.genesis.header.time + 60, random);
    const coin = pre.coins[0]!;
    const owners = [1, 2];
    const left = amountAfterFee([coin], owners, 5n, pre.wallets);
    const tx = payment([coin], owners, 5n, pre.wallets, random, REGTEST.genesisHash);
    const paid = tx.outputs.reduce((s, o) => s + o.amount, 0n);
    expect(paid).toBe(left);
    expect(coin.amount - paid).toBe(5n * BigInt(txSize(tx)));
    expect(tx.outputs.every((o) => o.amount > 0n)).toBe(true);
    // Worn down to less than its fee: no payment with a negative output, a clear error.
    const dust = { ...coin, amount: 5n * BigInt(txSize(tx)) - 1n };
    expect(amountAfterFee([dust], owners, 5n, pre.wallets)).toBe(-1n);
    expect(() => payment([dust], owners, 5n, pre.wallets, random, REGTEST.genesisHash)).toThrow(
      /inputs are 1 short of the fee for 2 outputs/,
    );
  });
});
