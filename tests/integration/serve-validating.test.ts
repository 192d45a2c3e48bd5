/**
 * Serving a block that is being validated (client/net/serve.ts, `whileValidating`): a getdata
 * for a block whose body arrived and whose validation is under way waits for the verdict, so
 * it is answered with the block (not `notfound`), as if the node handled one message at a
 * time; a getdata for a block that then fails is answered `notfound`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { headerHash, headerId } from '../../core/index.js';
import { buildBlock } from '../helpers/regtest.js';
import { makeNode, rawPeer, receivedOf, stopAll, type TestNode } from '../helpers/net.js';
import { owner, waitFor } from '../helpers/compact.js';

const nodes: TestNode[] = [];
afterEach(() => stopAll(nodes.splice(0)));

async function holdValidation(node: TestNode) {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const state = node.state;
  const process = state.processBlock.bind(state);
  let started = 0;
  state.processBlock = async (block, now) => {
    started++;
    await held;
    return process(block, now);
  };
  return { release, started: () => started };
}

describe('a getdata for a block under validation', () => {
  it('is answered with the block once it is valid, not notfound', async () => {
    const node = await makeNode('server');
    nodes.push(node);
    const asker = rawPeer(node, 'asker');
    await asker.ready;
    const hold = await holdValidation(node);
    const block = buildBlock(node.state.chain.tip, { payTo: owner });
    const submitted = node.p2p.submitBlock(block, 'local');
    await waitFor('validating', () => hold.started() === 1);
    asker.peer.send({
      type: 'getdata',
      items: [{ kind: 'block', hash: headerHash(block.header) }],
    });
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 1));
    expect(receivedOf(asker, 'notfound')).toEqual([]);
    expect(receivedOf(asker, 'block')).toEqual([]);
    hold.release();
    expect((await submitted).ok).toBe(true);
    await waitFor('block served', () => receivedOf(asker, 'block').length === 1);
    expect(headerId(receivedOf(asker, 'block')[0]!.block.header)).toBe(headerId(block.header));
    expect(receivedOf(asker, 'notfound')).toEqual([]);
  });

  it('is answered notfound when the block turns out invalid', async () => {
    const node = await makeNode('server');
    nodes.push(node);
    const asker = rawPeer(node, 'asker');
    await asker.ready;
    const hold = await holdValidation(node);
    const good = buildBlock(node.state.chain.tip, { payTo: owner });
    const bad = { ...good, txs: [good.txs[0]!, good.txs[0]!] }; // two coinbases: bad merkle
    const submitted = node.p2p.submitBlock(bad, 'local');
    await waitFor('validating', () => hold.started() === 1);
    asker.peer.send({ type: 'getdata', items: [{ kind: 'block', hash: headerHash(bad.header) }] });
    hold.release();
    expect((await submitted).ok).toBe(false);
    await waitFor('notfound', () => receivedOf(asker, 'notfound').length === 1);
    expect(receivedOf(asker, 'block')).toEqual([]);
  });
});
