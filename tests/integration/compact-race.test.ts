/**
 * Compact blocks racing (client/net/compact-relay.ts): up to three high-bandwidth peers push
 * the same block, so a copy often arrives while another is being validated; it waits for that
 * verdict instead of being rebuilt and validated again, and costs its honest sender nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { compactBlockOf, headerId } from '../../core/index.js';
import { buildBlock } from '../helpers/regtest.js';
import { makeNode, stopAll, type TestNode } from '../helpers/net.js';
import { fundSpends, holdTxs, owner, speakingPeer, waitFor } from '../helpers/compact.js';

const nodes: TestNode[] = [];
afterEach(() => stopAll(nodes.splice(0)));

describe('compact blocks from several high-bandwidth peers', () => {
  it('a second copy of a compact block that arrives while the first is validated is neither rebuilt nor validated again', async () => {
    const victim = await makeNode('victim');
    nodes.push(victim);
    const txs = await fundSpends(victim, 4);
    const first = await speakingPeer(victim, 'first', 2);
    const second = await speakingPeer(victim, 'second', 2);
    await holdTxs(victim, txs);
    const block = buildBlock(victim.state.chain.tip, { payTo: owner, txs });
    // Hold the first copy's validation until the second copy has arrived.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const state = victim.state;
    const process = state.processBlock.bind(state);
    let validations = 0;
    state.processBlock = async (b, now) => {
      validations++;
      await held;
      return process(b, now);
    };
    first.peer.send(compactBlockOf(block, 1n));
    await waitFor('first copy validating', () => validations === 1);
    second.peer.send(compactBlockOf(block, 2n));
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 1));
    release();
    await waitFor('accepted', () => victim.state.chain.tip.id === headerId(block.header));
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 1));
    expect(validations).toBe(1);
    expect(second.of('getdata')).toEqual([]);
    expect(second.of('getblocktxn')).toEqual([]);
    expect(victim.p2p.peers.get('second')?.misbehaviour).toBe(0);
  });
});
