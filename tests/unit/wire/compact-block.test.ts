/**
 * core/wire/compact-block.ts: the short-id key and ids (BIP152's construction over our header
 * codec, recomputed here from its definition), compact forms, and reconstruction with all, some
 * and none of the transactions known, with short ids that collide among our candidates or in
 * the message, and with answers that do or do not prove the sender wrong.
 */
import { describe, expect, it } from 'vitest';
import {
  PartialBlock,
  compactBlockOf,
  encodeHeader,
  sha256,
  shortId,
  shortIdKey,
  shortIdsOf,
  sipKey,
  siphash24,
  wtxid,
  type Block,
  type SipKey,
  type Tx,
} from '../../../core/index.js';
import { buildBlock, outputOf, pay, testKey } from '../../helpers/regtest.js';
import { fundedNode } from '../../helpers/regtest.js';

const owner = testKey(61);

/** A block on a funded chain with `count` ordinary transactions after its coinbase. */
async function blockWith(count: number): Promise<{ block: Block; txs: Tx[] }> {
  const funded = await fundedNode(1, owner);
  const coin = funded.reward(1);
  const each = coin.coin.amount / BigInt(count + 1);
  const fan = pay(
    owner,
    [coin],
    Array.from({ length: count }, () => ({ amount: each, pubkey: owner.pubkey })),
  );
  const txs = Array.from({ length: count }, (_, i) =>
    pay(owner, [outputOf(fan, i, 2)], [{ amount: each - 1000n, pubkey: owner.pubkey }]),
  );
  return { block: buildBlock(funded.node.chain.tip, { payTo: owner, txs }), txs };
}

describe('short ids', () => {
  it('key the SipHash with SHA-256(header || nonce LE) and keep its low 48 bits', async () => {
    const { block, txs } = await blockWith(1);
    const nonce = 0x0102030405060708n;
    const nonceLE = Uint8Array.of(8, 7, 6, 5, 4, 3, 2, 1);
    const digest = sha256(Uint8Array.from([...encodeHeader(block.header), ...nonceLE]));
    const key = sipKey(digest.subarray(0, 16));
    expect(shortIdKey(block.header, nonce)).toEqual(key);
    const full = siphash24(key, wtxid(txs[0]!));
    expect(shortId(key, wtxid(txs[0]!))).toBe(Number(full & 0xffffffffffffn));
  });

  it('change with the nonce', async () => {
    const { block, txs } = await blockWith(1);
    const a = shortId(shortIdKey(block.header, 1n), wtxid(txs[0]!));
    const b = shortId(shortIdKey(block.header, 2n), wtxid(txs[0]!));
    expect(a).not.toBe(b);
  });
});

describe('compactBlockOf', () => {
  it('always prefills the coinbase, and whatever the predicate picks', async () => {
    const { block } = await blockWith(4);
    const compact = compactBlockOf(block, 5n, (_, i) => i === 3);
    expect(compact.prefilled.map((p) => p.index)).toEqual([0, 3]);
    expect(compact.shortIds).toHaveLength(3);
  });

  it('takes the short ids computed once for several peers, and refuses ids of another block', async () => {
    const { block } = await blockWith(4);
    const ids = shortIdsOf(block, 5n);
    const key = shortIdKey(block.header, 5n);
    expect(ids).toEqual(block.txs.map((tx) => shortId(key, wtxid(tx))));
    const once = compactBlockOf(block, 5n, (_, i) => i === 2, ids);
    expect(once).toEqual(compactBlockOf(block, 5n, (_, i) => i === 2));
    expect(once.shortIds).toEqual([ids[1], ids[3], ids[4]]);
    expect(() => compactBlockOf(block, 5n, undefined, ids.slice(1))).toThrow(RangeError);
  });
});

describe('PartialBlock', () => {
  it('rebuilds at once when every transaction is a candidate', async () => {
    const { block, txs } = await blockWith(6);
    const { result } = PartialBlock.start(compactBlockOf(block, 1n), [...txs].reverse());
    expect(result).toEqual({ ok: true, block: { header: block.header, txs: block.txs } });
  });

  it('lists the missing slots when some are known, and completes with them', async () => {
    const { block, txs } = await blockWith(6);
    const { partial, result } = PartialBlock.start(compactBlockOf(block, 1n), txs.slice(2, 5));
    expect(result).toEqual({ ok: true, block: undefined, missing: [1, 2, 6] });
    const done = partial.fill([txs[0]!, txs[1]!, txs[5]!]);
    expect(done.ok && done.block?.txs).toEqual(block.txs);
  });

  it('asks for every slot when nothing is known', async () => {
    const { block, txs } = await blockWith(3);
    const { partial, result } = PartialBlock.start(compactBlockOf(block, 1n), []);
    expect(result).toMatchObject({ missing: [1, 2, 3] });
    expect(partial.fill(txs)).toMatchObject({ ok: true });
  });

  it('two candidates with one short id: the slot is asked for, not guessed', async () => {
    const { block, txs } = await blockWith(3);
    const message = compactBlockOf(block, 1n);
    // A short-id function under which txs[0] and an outsider collide.
    const outsider = (await blockWith(1)).txs[0]!;
    const real = (key: SipKey, id: Uint8Array) => shortId(key, id);
    const colliding = (key: SipKey, id: Uint8Array) =>
      real(key, id === wtxid(outsider) ? wtxid(txs[0]!) : id);
    const { partial, result } = PartialBlock.start(message, [...txs, outsider], colliding);
    expect(result).toMatchObject({ missing: [1] });
    expect(partial.fill([txs[0]!])).toMatchObject({ ok: true });
  });

  it('a wrong candidate under a colliding short id: a failure nobody can be blamed for', async () => {
    const { block, txs } = await blockWith(3);
    const outsider = (await blockWith(1)).txs[0]!;
    const colliding = (key: SipKey, id: Uint8Array) =>
      shortId(key, id === wtxid(outsider) ? wtxid(txs[1]!) : id);
    const { result } = PartialBlock.start(
      compactBlockOf(block, 1n),
      [txs[0]!, outsider, txs[2]!],
      colliding,
    );
    expect(result).toMatchObject({ ok: false, reason: 'compact-merkle-mismatch', provable: false });
  });

  it('two equal short ids in the message cannot be rebuilt (the block is fetched whole)', async () => {
    const { block, txs } = await blockWith(3);
    const message = compactBlockOf(block, 1n);
    message.shortIds[2] = message.shortIds[0]!;
    const { result } = PartialBlock.start(message, txs);
    expect(result).toMatchObject({
      ok: false,
      reason: 'compact-short-id-collision',
      provable: false,
    });
  });

  it('blames the sender only when the mismatch is provably its own', async () => {
    const { block, txs } = await blockWith(3);
    // All transactions from the sender (prefilled), one of them wrong: provable.
    const forged = compactBlockOf(block, 1n, () => true);
    forged.prefilled[2] = { index: 2, tx: txs[2]! };
    expect(PartialBlock.start(forged, []).result).toMatchObject({ ok: false, provable: true });
    // A blocktxn of the wrong length: provable.
    const { partial } = PartialBlock.start(compactBlockOf(block, 1n), []);
    expect(partial.fill(txs.slice(0, 2))).toMatchObject({ reason: 'bad-blocktxn', provable: true });
    // A blocktxn with a wrong transaction while one slot came from our candidates: not provable.
    const mixed = PartialBlock.start(compactBlockOf(block, 1n), [txs[0]!]).partial;
    expect(mixed.fill([txs[2]!, txs[1]!])).toMatchObject({ ok: false, provable: false });
  });
});
