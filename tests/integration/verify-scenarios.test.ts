/**
 * The scenario suites again, with every node verifying block signatures in a worker pool
 * (client/verify/) before the serial connect: each scenario asserts the same accept/reject and
 * the same reason as in its own file, so the parallel path must agree with the serial one on
 * every kind of valid and invalid block. The totals prove the pool did the verifying.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeVerifyWorker } from '../../client/verify/node-verify-worker.js';
import { Preverifier } from '../../client/verify/preverifier.js';
import { VerifyPool } from '../../client/verify/verify-pool.js';
import { setNodeWrapper } from '../helpers/regtest.js';
import type { NodeState } from '../../core/index.js';

let pool: VerifyPool | undefined;
const preverifiers: Preverifier[] = [];

/** `node`, with blocks going through a preverifier on the shared pool. */
function parallel(node: NodeState): NodeState {
  const preverifier = new Preverifier(node.chain, pool);
  preverifiers.push(preverifier);
  const serial = node.processBlock.bind(node);
  node.processBlock = (block, now) => preverifier.inOrder(block, () => serial(block, now));
  return node;
}

beforeAll(async () => {
  pool = await VerifyPool.start(createNodeVerifyWorker, 2, 'fastest');
  setNodeWrapper(parallel);
});

afterAll(() => {
  setNodeWrapper(undefined);
  pool?.close();
});

describe('chain scenarios, signatures verified in parallel', async () => {
  await import('../unit/chain/chain-scenarios.test.js');
});
describe('chain, signatures verified in parallel', async () => {
  await import('../unit/chain/chain.test.js');
});
describe('body tampering, signatures verified in parallel', async () => {
  await import('../unit/chain/body-tampering.test.js');
});
describe('mempool across blocks, signatures verified in parallel', async () => {
  await import('../unit/mempool/mempool.test.js');
});

describe('the parallel path ran', () => {
  it('the pool verified signatures and found the invalid ones', () => {
    expect(pool?.verifier).toBe('libsecp256k1-wasm');
    const total = (k: 'valid' | 'notValid' | 'blocks') =>
      preverifiers.reduce((sum, p) => sum + p.totals[k], 0);
    expect(total('blocks')).toBeGreaterThan(0);
    expect(total('valid')).toBeGreaterThan(0);
    expect(total('notValid')).toBeGreaterThan(0);
  });
});
