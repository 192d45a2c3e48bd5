/**
 * Next-blocks explainer benchmark (figures, not pass/fail): the cost of projecting a full
 * mempool into the next 4 blocks (what `tc-next-blocks` does at most once per frame) against
 * one template selection (`selectTransactions`, what every block template does) over the same
 * mempool, in the same run; both against the 50 ms long-task budget.
 */
import { projectBlocks, selectTransactions, templateTxBytes } from '../../core/index.js';
import { NOW, alice, bob, nodeWithCoins, outputOf, pay } from '../helpers/regtest.js';
import { median } from './timing.js';

export async function benchExplain(count = 6_000): Promise<void> {
  const { node, fanout } = await nodeWithCoins(count);
  for (let i = 0; i < count; i++) {
    const fee = BigInt(200 + ((i * 7919) % 5_000));
    const tx = pay(
      alice,
      [outputOf(fanout, i)],
      [{ amount: 100_000_000n - fee, pubkey: bob.pubkey }],
    );
    const accepted = await node.acceptTx(tx, NOW);
    if (!accepted.ok) throw new Error(`bench tx refused: ${accepted.reason}`);
  }
  const pool = node.mempool;
  // Blocks of a quarter of the pool, so 4 projected blocks take all of it.
  const maxBytes = Math.ceil(pool.bytes / 4) + (1e6 - templateTxBytes(1e6));
  median(3, () => projectBlocks(pool, 4, maxBytes)); // warm-up
  const one = median(9, () => selectTransactions(pool, templateTxBytes(maxBytes)));
  const four = median(9, () => projectBlocks(pool, 4, maxBytes));
  console.log(
    `\nexplain: ${pool.size} pending txs (${pool.bytes} bytes): one template selection ` +
      `${one.toFixed(1)} ms, 4 projected blocks ${four.toFixed(1)} ms ` +
      `(${(four / one).toFixed(2)}× the selection; budget 50 ms)`,
  );
}
