/** core/primitives/block.ts: header and block codecs and block ids, against real Bitcoin headers. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  blockHash,
  blockMerkle,
  blockSize,
  decodeBlock,
  decodeHeader,
  encodeBlock,
  encodeHeader,
  headerHash,
  headerId,
  type BlockHeader,
} from '../../../core/primitives/block.js';
import { fromHex, hashToHex, hexToHash, toHex } from '../../../core/primitives/bytes.js';
import { HEADER_BYTES, MAX_BLOCK_BYTES, MIN_TX_BYTES } from '../../../core/primitives/constants.js';
import { ByteWriter } from '../../../core/primitives/encoding.js';
import { sha256d } from '../../../core/primitives/hash.js';
import { merkleRoot } from '../../../core/primitives/merkle.js';
import { checkProofOfWork } from '../../../core/consensus/pow.js';
import { txid, wtxid, type Tx } from '../../../core/primitives/tx.js';
import { blockArb, headerArb, txArb } from '../../helpers/arbitraries.js';
import { rejection, value } from '../../helpers/results.js';

interface RealHeader {
  height: number;
  /** Raw 80-byte header. */
  hex: string;
  /** Published block hash (display order). */
  id: string;
  /** Published merkle root (display order). */
  merkle: string;
  /** The block's txids in order (display order), when listed: they must give `merkle`. */
  txids: string[];
  fields: Partial<Pick<BlockHeader, 'version' | 'time' | 'bits' | 'nonce'>>;
}

/**
 * Real Bitcoin mainnet headers. The test proves each hex is genuine: it must hash to the
 * published id (which has ~32-76 leading zero bits) and its txids must give its merkle root.
 */
const REAL: RealHeader[] = [
  {
    height: 0,
    hex: '0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c',
    id: '000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f',
    merkle: '4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b',
    txids: ['4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b'],
    fields: { version: 1, time: 1231006505, bits: 0x1d00ffff, nonce: 2083236893 },
  },
  {
    height: 1,
    hex: '010000006fe28c0ab6f1b372c1a6a246ae63f74f931e8365e15a089c68d6190000000000982051fd1e4ba744bbbe680e1fee14677ba1a3c3540bf7b1cdb606e857233e0e61bc6649ffff001d01e36299',
    id: '00000000839a8e6886ab5951d76f411475428afc90947ee320161bbf18eb6048',
    merkle: '0e3e2357e806b6cdb1f70b54c3a3a17b6714ee1f0e68bebb44a74b1efd512098',
    txids: ['0e3e2357e806b6cdb1f70b54c3a3a17b6714ee1f0e68bebb44a74b1efd512098'],
    fields: { bits: 0x1d00ffff },
  },
  {
    height: 170,
    hex: '0100000055bd840a78798ad0da853f68974f3d183e2bd1db6a842c1feecf222a00000000ff104ccb05421ab93e63f8c3ce5c2c2e9dbb37de2764b3a3175c8166562cac7d51b96a49ffff001d283e9e70',
    id: '00000000d1145790a8694403d4063f323d499e655c83426834d4ce2f8dd4a2ee',
    merkle: '7dac2c5666815c17a3b36427de37bb9d2e2c5ccec3f8633eb91a4205cb4c10ff',
    txids: [
      'b1fea52486ce0c62bb442b530a3f0132b826c74e473d1f2c220bfa78111c5082',
      'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16',
    ],
    fields: { time: 1231731025, nonce: 1889418792 },
  },
  {
    height: 100000,
    hex: '0100000050120119172a610421a6c3011dd330d9df07b63616c2cc1f1cd00200000000006657a9252aacd5c0b2940996ecff952228c3067cc38d4885efb5a4ac4247e9f337221b4d4c86041b0f2b5710',
    id: '000000000003ba27aa200b1cecaad478d2b00432346c3f1f3986da1afd33e506',
    merkle: 'f3e94742aca4b5ef85488dc37c06c3282295ffec960994b2c0d5ac2a25a95766',
    txids: [
      '8c14f0db3df150123e6f3dbbf30f8b955a8249b62ac1d1ff16284aefa3d06d87',
      'fff2525b8931402dd09222c50775608f75787bd2b87e56995a7bdd30f79702c4',
      '6359f0868171b1d194cbee1af2f16ea598ae8fad666d9b012c8ed2b79a236ec4',
      'e9a66845e05d5abc0ad04ec80f774a7e585c6e8db975962d069a522137b80c1d',
    ],
    fields: { bits: 0x1b04864c },
  },
  {
    height: 840000,
    hex: '00e05f2aab948491071265ad552351d0ad625745668da54b0172010000000000000000004f89a5d73bd4d4887f25981fe81892ccafda10c27f52d6f3dd28183a7c411b03b7072366194203177d9863ea',
    id: '0000000000000000000320283a032748cef8227873ff4872689bf23f1cda83a5',
    merkle: '031b417c3a1828ddf3d6527fc210daafcc9218e81f98257f88d4d43bd7a5894f',
    txids: [], // 3050 transactions: only the published merkle root is checked
    fields: { version: 0x2a5fe000, time: 1713571767, bits: 0x17034219 },
  },
];

describe('real Bitcoin headers', () => {
  describe.each(REAL)('block $height', ({ hex, id, merkle, txids, fields }) => {
    const raw = fromHex(hex);
    const header = value(decodeHeader(raw));

    it('decodes to the published fields and re-encodes to the same 80 bytes', () => {
      expect(raw.length).toBe(HEADER_BYTES);
      expect(header).toMatchObject(fields);
      expect(toHex(encodeHeader(header))).toBe(hex);
    });

    it('hashes to the published block id', () => {
      expect(blockHash(raw)).toBe(id);
      expect(headerId(header)).toBe(id);
      expect(hashToHex(headerHash(header))).toBe(id);
    });

    it('meets its own proof of work, and fails it with one nonce bit flipped', () => {
      expect(checkProofOfWork(raw)).toBe(true);
      for (const bit of [0, 13, 31]) {
        const tampered = Uint8Array.from(raw);
        tampered[76 + (bit >> 3)]! ^= 1 << (bit & 7);
        expect(checkProofOfWork(tampered)).toBe(false);
      }
    });

    it('commits to its transactions through the merkle root', () => {
      expect(hashToHex(header.merkleRoot)).toBe(merkle);
      if (txids.length > 0) {
        expect(hashToHex(merkleRoot(txids.map((t) => hexToHash(t))))).toBe(merkle);
      }
    });
  });

  it('chain: block 1 builds on the genesis block', () => {
    const genesis = value(decodeHeader(fromHex(REAL[0]!.hex)));
    const block1 = value(decodeHeader(fromHex(REAL[1]!.hex)));
    expect(block1.prevHash).toEqual(headerHash(genesis));
    expect(genesis.prevHash).toEqual(new Uint8Array(32));
  });

  it('refuses to hash anything but 80 bytes', () => {
    expect(() => blockHash(new Uint8Array(79))).toThrow(RangeError);
    expect(() => blockHash(new Uint8Array(81))).toThrow(RangeError);
  });
});

describe('header codec', () => {
  it('round-trips any header through exactly 80 bytes', () => {
    fc.assert(
      fc.property(headerArb, (header) => {
        const bytes = encodeHeader(header);
        expect(bytes.length).toBe(HEADER_BYTES);
        expect(decodeHeader(bytes)).toEqual({ ok: true, value: header });
        expect(blockHash(bytes)).toBe(headerId(header));
      }),
    );
  });

  it('rejects every proper prefix as truncated and a longer input as trailing', () => {
    const raw = fromHex(REAL[0]!.hex);
    for (let n = 0; n < HEADER_BYTES; n++) {
      expect(rejection(decodeHeader(raw.subarray(0, n))).reason).toBe('bad-encoding-truncated');
    }
    expect(rejection(decodeHeader(new Uint8Array([...raw, 0]))).reason).toBe(
      'bad-encoding-trailing',
    );
  });
});

describe('block codec', () => {
  it('round-trips any block, and blockSize is its encoded length', () => {
    fc.assert(
      fc.property(blockArb, (block) => {
        const bytes = encodeBlock(block);
        expect(blockSize(block)).toBe(bytes.length);
        expect(decodeBlock(bytes)).toEqual({ ok: true, value: block });
      }),
    );
  });

  it('rejects every proper prefix of a block as truncated, without throwing', () => {
    fc.assert(
      fc.property(blockArb, (block) => {
        const bytes = encodeBlock(block);
        for (let n = 0; n < bytes.length; n++) {
          expect(rejection(decodeBlock(bytes.subarray(0, n))).reason).toBe(
            'bad-encoding-truncated',
          );
        }
      }),
      { numRuns: 20 },
    );
  });

  it('rejects trailing garbage', () => {
    fc.assert(
      fc.property(blockArb, fc.uint8Array({ minLength: 1, maxLength: 10 }), (block, extra) => {
        const bytes = new Uint8Array([...encodeBlock(block), ...extra]);
        return rejection(decodeBlock(bytes)).reason === 'bad-encoding-trailing';
      }),
    );
  });

  const header = new Uint8Array(HEADER_BYTES);
  const maxTxs = Math.floor(MAX_BLOCK_BYTES / MIN_TX_BYTES);

  it('refuses a transaction count over the limit before reading any transaction', () => {
    for (const count of [maxTxs + 1, 0xffffffff]) {
      const bytes = new ByteWriter().bytes(header).varint(count).finish();
      const r = rejection(decodeBlock(bytes));
      expect(r.reason).toBe('bad-encoding-oversized');
      expect(r.message).toContain(`exceeds the limit of ${maxTxs}`);
    }
    const atLimit = new ByteWriter().bytes(header).varint(maxTxs).finish();
    expect(rejection(decodeBlock(atLimit)).reason).toBe('bad-encoding-truncated');
  });

  it('refuses a non-canonical transaction count', () => {
    const bytes = new ByteWriter().bytes(header).u8(0xfd).bytes(Uint8Array.of(0, 0)).finish();
    expect(rejection(decodeBlock(bytes)).reason).toBe('bad-encoding-non-canonical');
  });

  it('refuses input over MAX_BLOCK_BYTES before parsing it', () => {
    const r = rejection(decodeBlock(new Uint8Array(MAX_BLOCK_BYTES + 1)));
    expect(r.reason).toBe('bad-blk-length');
    expect(r.category).toBe('consensus');
  });
});

describe('blockMerkle', () => {
  it('commits to wtxids, so changing a signature changes the root but not the txid', () => {
    fc.assert(
      fc.property(fc.array(txArb, { minLength: 1, maxLength: 5 }), fc.nat(), (txs, seed) => {
        fc.pre(txs.some((tx) => tx.inputs.length > 0));
        const i = txs.findIndex((tx) => tx.inputs.length > 0);
        const tx = txs[i]!;
        const resigned: Tx = {
          ...tx,
          inputs: tx.inputs.map((input, j) =>
            j === 0 ? { ...input, witness: Uint8Array.of(seed & 0xff, ...input.witness) } : input,
          ),
        };
        const changed = txs.map((t, j) => (j === i ? resigned : t));
        expect(blockMerkle(txs).root).toEqual(merkleRoot(txs.map(wtxid)));
        expect(toHex(txid(resigned))).toBe(toHex(txid(tx)));
        expect(toHex(blockMerkle(changed).root)).not.toBe(toHex(blockMerkle(txs).root));
      }),
      { numRuns: 50 },
    );
  });

  it('hashes a list once, and again when the list or a root handed out changes', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(txArb, { minLength: 3, maxLength: 6, selector: (t) => toHex(wtxid(t)) }),
        (txs) => {
          const expected = merkleRoot(txs.map(wtxid));
          const first = blockMerkle(txs);
          expect(first.root).toEqual(expected);
          first.root.fill(0); // a caller scribbling on its copy changes nothing cached
          expect(blockMerkle(txs).root).toEqual(expected);
          // The same array, changed after its root was taken: the root follows the change.
          const list = [...txs];
          blockMerkle(list);
          list.pop();
          expect(blockMerkle(list).root).toEqual(merkleRoot(list.map(wtxid)));
          list.reverse();
          expect(blockMerkle(list).root).toEqual(merkleRoot(list.map(wtxid)));
          list.push(list[list.length - 1]!);
          expect(blockMerkle(list).mutated).toBe(list.length % 2 === 0);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('reports a duplicated last transaction as mutated', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(txArb, { minLength: 3, maxLength: 3, selector: (t) => toHex(wtxid(t)) }),
        (txs) => {
          const forged = [...txs, txs[2]!];
          expect(toHex(blockMerkle(forged).root)).toBe(toHex(blockMerkle(txs).root));
          expect(blockMerkle(txs).mutated).toBe(false);
          expect(blockMerkle(forged).mutated).toBe(true);
        },
      ),
      { numRuns: 20 },
    );
  });
});

describe('headerHash', () => {
  it('is sha256d of the encoded header, for any header', () => {
    fc.assert(
      fc.property(headerArb, (h) => toHex(headerHash(h)) === toHex(sha256d(encodeHeader(h)))),
    );
  });

  it('gives different ids to headers differing only in nonce', () => {
    const genesis = value(decodeHeader(fromHex(REAL[0]!.hex)));
    expect(headerId({ ...genesis, nonce: genesis.nonce + 1 })).not.toBe(headerId(genesis));
  });
});
