/**
 * Hostile-peer benchmarks (figures, not pass/fail): what one cheap invalid block and one
 * ordinary block cost at growing chain heights, and what refusing a zero-fee 500-input
 * transaction costs. Targets (issue 12): an invalid block flat in height and under 50 ms at
 * 40,000 blocks; refusing the zero-fee transaction under 10 ms with no signature verified.
 * Chains are built in memory (regtest, MemoryStore): the block index is written straight into
 * the store, then the node opens it as a tab reopening its database would. Times are CPU time
 * of this process, so a loaded machine inflates them less than wall time.
 */
import { NOW, alice, buildBlock, nodeWithCoins, outputOf, pay } from '../helpers/regtest.js';
import { childEntry, nodeAtHeight } from '../helpers/tall-chain.js';

/**
 * CPU milliseconds this process spent since `start` (user + system): unlike wall time, it
 * does not count the time other processes on a shared machine held the cores.
 */
function ms(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/**
 * Mean CPU time of `reps` calls of `run`, each of which must be refused (CPU time is counted
 * in scheduler ticks, so one short call alone cannot be timed; a run of them can). Blocks are
 * built inside `run`: mining a regtest header takes microseconds.
 */
async function meanMs(
  reps: number,
  run: (i: number) => Promise<{ ok: boolean; reason?: string }>,
): Promise<{ ms: number; reason: string }> {
  let reason = '';
  const start = process.cpuUsage();
  for (let i = 0; i < reps; i++) {
    const result = await run(i);
    if (result.ok) throw new Error('invalid data accepted by the bench');
    reason = result.reason ?? '';
  }
  return { ms: ms(start) / reps, reason };
}

const WARM_UP = 5;

export async function benchHeights(
  heights = [5_000, 20_000, 40_000],
  blocks = 100,
  reps = 20,
): Promise<void> {
  console.log('processing cost against chain height (CPU ms; in memory, regtest):');
  for (const height of heights) {
    const node = await nodeAtHeight(height);
    const time = NOW - 100_000;
    // Valid blocks on the tip, mined before the clock starts; the first few warm up untimed.
    const valid = [];
    let parent = node.chain.tip;
    for (let i = 0; i < WARM_UP + blocks; i++) {
      const block = buildBlock(parent, { time: parent.header.time + 1 });
      valid.push(block);
      parent = childEntry(parent, block);
    }
    let start = process.cpuUsage();
    for (const [i, block] of valid.entries()) {
      if (i === WARM_UP) start = process.cpuUsage();
      const result = await node.processBlock(block, time);
      if (!result.ok || result.status !== 'active') throw new Error('bench block refused');
    }
    const perBlock = ms(start) / blocks;
    // Cheap invalid blocks forking from genesis (wrong BIP34 height): each is marked invalid.
    const genesis = node.chain.entryAt(0)!;
    const oldFork = await meanMs(reps, (i) =>
      node.processBlock(buildBlock(genesis, { coinbaseHeight: 2, extraNonce: 100 + i }), time),
    );
    // Invalid blocks on the tip (each briefly becomes the best header).
    const tip = node.chain.tip;
    const onTip = await meanMs(reps, (i) =>
      node.processBlock(buildBlock(tip, { coinbaseHeight: 1, extraNonce: 200 + i }), time),
    );
    console.log(
      `  height ${height.toLocaleString('en')}: valid block ${perBlock.toFixed(2)} ms each ` +
        `(mean of ${blocks}); invalid block forking from genesis ${oldFork.ms.toFixed(2)} ms, ` +
        `on the tip ${onTip.ms.toFixed(2)} ms (mean of ${reps}; target < 50 ms, flat)`,
    );
  }
}

export async function benchZeroFeeSpam(inputs = 500, rounds = 10): Promise<void> {
  const { node, fanout } = await nodeWithCoins(inputs);
  const coins = Array.from({ length: inputs }, (_, i) => outputOf(fanout, i));
  const total = coins.reduce((sum, c) => sum + c.coin.amount, 0n);
  // Distinct transactions with distinct signatures (as a flood would send): none is cached.
  const txs = Array.from({ length: rounds }, (_, i) =>
    pay(
      alice,
      coins,
      [
        { amount: total - BigInt(i + 1), pubkey: alice.pubkey },
        { amount: BigInt(i + 1), pubkey: alice.pubkey },
      ],
      true,
    ),
  );
  let verifies = 0;
  const verify = node.chain.sigCache.verify.bind(node.chain.sigCache);
  node.chain.sigCache.verify = (...args) => {
    verifies++;
    return verify(...args);
  };
  let i = 0;
  const refused = await meanMs(rounds, () => node.acceptTx(txs[i++]!, NOW));
  console.log(
    `refuse a zero-fee ${inputs}-input transaction: ${refused.ms.toFixed(2)} ms CPU ` +
      `(mean of ${rounds} distinct), ${verifies / rounds} signatures verified each, ` +
      `reason ${refused.reason} (target < 10 ms)`,
  );
}
