/**
 * Header poisoning over the wire (issue 12): a node knows an honest block's header (headers
 * first), an attacker sends that header with a tampered body. The attacker is banned; the
 * honest peer that then serves the real block is not, and the node follows the honest chain.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_MONEY, headerId, type Block, type Tx } from '../../core/index.js';
import { buildBlock, mineBlocks, testKey } from '../helpers/regtest.js';
import { childEntry } from '../helpers/tall-chain.js';
import { clock, link, makeNode, stopAll, type TestNode } from '../helpers/net.js';

const now = () => Math.floor(clock.ms / 1000);

const nodes: TestNode[] = [];
afterEach(() => stopAll(nodes.splice(0)));

async function node(name: string): Promise<TestNode> {
  const n = await makeNode(name);
  nodes.push(n);
  return n;
}

const tamperings: Record<string, (txs: readonly Tx[]) => Tx[]> = {
  'no transactions': () => [],
  'coinbase twice': (txs) => [txs[0]!, txs[0]!, ...txs.slice(1)],
  'output over the money limit': (txs) => [
    { ...txs[0]!, outputs: [{ ...txs[0]!.outputs[0]!, amount: MAX_MONEY + 1n }] },
  ],
};

describe('header poisoning with a tampered body', () => {
  for (const [name, tamper] of Object.entries(tamperings)) {
    it(`${name}: the attacker is banned, the honest peer is not, the honest chain wins`, async () => {
      const [victim, honest, attacker] = [await node('v'), await node('h'), await node('evil')];
      await mineBlocks(honest.state, 3, testKey(1));
      const real = buildBlock(honest.state.chain.tip, { payTo: testKey(1) });
      const child = buildBlock(childEntry(honest.state.chain.tip, real), { payTo: testKey(1) });
      for (const block of [real, child]) await honest.state.processBlock(block, now());
      // The victim has every header (headers-first) but no body yet.
      const headers: Block['header'][] = [];
      for (let h = 1; h <= honest.state.chain.height; h++) {
        headers.push(honest.state.chain.entryAt(h)!.header);
      }
      const known = await victim.state.chain.acceptHeaders(headers, now());
      expect(known.rejection).toBeUndefined();
      const bans: string[] = [];
      victim.p2p.on('banned', (ban) => bans.push(`${ban.id}: ${ban.reason}`));
      link(attacker, victim);
      await expect.poll(() => attacker.p2p.peers.get('v')?.state).toBe('ready');
      attacker.p2p.peers.get('v')!.send({
        type: 'block',
        block: { header: real.header, txs: tamper(real.txs) },
      });
      await expect.poll(() => bans.length).toBe(1);
      expect(bans[0]).toMatch(/^evil: /);
      expect(victim.state.chain.getEntry(headerId(real.header))?.status).toBe('header');
      link(honest, victim);
      await expect.poll(() => victim.state.chain.tip.id).toBe(headerId(child.header));
      expect(bans).toHaveLength(1);
      expect(victim.p2p.peers.get('h')?.state).toBe('ready');
    });
  }
});
