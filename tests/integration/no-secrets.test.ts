/**
 * No wire message ever carries private key material: a session of mining, syncing and paying
 * is recorded frame by frame, and no frame contains a secret key (or any 16-byte window of one).
 */
import { describe, expect, it } from 'vitest';
import { COINBASE_MATURITY, blockSubsidy, toHex } from '../../core/index.js';
import { memoryLinkPair } from '../../client/net/memory-link.js';
import { buildBlock, outputOf, params, pay, testKey } from '../helpers/regtest.js';
import { makeNode, stopAll } from '../helpers/net.js';

const alice = testKey(1);
const bob = testKey(2);

describe('wire privacy', () => {
  it('never sends a secret key, or any part of one, to a peer', async () => {
    const a = await makeNode('a');
    const b = await makeNode('b');
    const frames: Uint8Array[] = [];
    const [ab, ba] = memoryLinkPair('a', 'b');
    for (const linkEnd of [ab, ba]) {
      const send = linkEnd.send.bind(linkEnd);
      linkEnd.send = (frame: Uint8Array) => {
        frames.push(frame.slice());
        send(frame);
      };
    }
    a.p2p.addLink(ab);
    b.p2p.addLink(ba);
    const rewards = [];
    for (let i = 0; i < COINBASE_MATURITY + 2; i++) {
      const block = buildBlock(a.state.chain.tip, { payTo: alice });
      await a.p2p.submitBlock(block, 'local');
      rewards.push(block);
    }
    await expect.poll(() => b.state.chain.height).toBe(COINBASE_MATURITY + 2);
    const tx = pay(
      alice,
      [outputOf(rewards[0]!.txs[0]!, 0, 1, true)],
      [{ amount: blockSubsidy(1, params) - 1000n, pubkey: bob.pubkey }],
    );
    expect(await a.p2p.submitTx(tx, 'local')).toBeUndefined();
    await expect.poll(() => b.state.mempool.size).toBe(1);

    expect(frames.length).toBeGreaterThan(10);
    const wire = frames.map(toHex).join('|');
    for (const key of [alice, bob]) {
      const secret = toHex(key.secret);
      for (let i = 0; i + 32 <= secret.length; i += 2) {
        expect(wire.includes(secret.slice(i, i + 32)), `secret window at byte ${i / 2}`).toBe(
          false,
        );
      }
      expect(wire).toContain(toHex(key.pubkey).slice(0, 32)); // public keys do travel (sanity)
    }
    stopAll([a, b]);
  });
});
