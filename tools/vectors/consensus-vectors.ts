/**
 * Vectors for the small consensus codecs and rules: CompactSize varints, addresses, compact
 * bits and work, LWMA difficulty steps, and both genesis blocks. Every expected value is what
 * the code computes now; the fixed inputs are chosen here (tools/gen-vectors.ts writes them).
 */
import {
  AddressError,
  ByteWriter,
  GENESIS_MESSAGE,
  MAIN,
  NETWORKS,
  REGTEST,
  bitsToTarget,
  blockMerkle,
  decodeAddress,
  decodeAll,
  encodeAddress,
  encodeBlock,
  encodeHeader,
  encodeTx,
  fromHex,
  nextBitsLwma,
  targetToBits,
  toHex,
  txidHex,
  workFromBits,
  wtxid,
  hashToHex,
  type ChainParams,
  type TimedBits,
} from '../../core/index.js';
import { bech32, bech32m } from '@scure/base';
import { Prng } from '../sim/prng.js';
import { KEYS } from './fixtures.js';
import { headerJson, txJson, type Json } from './to-json.js';

const target64 = (target: bigint) => target.toString(16).padStart(64, '0');

export function encodingVectors(): Json {
  const values = [0, 1, 0xfc, 0xfd, 0xffff, 0x10000, 0xffffffff, 0x100000000];
  const invalid = ['', 'fd', 'fdfc00', 'feffff0000', 'ffffffffff00000000', 'fe0100'];
  invalid.push('ff0000000000002000', '0100');
  return {
    description:
      'CompactSize varints as every count and length is encoded: shortest form only. ' +
      'invalid: decoding the hex as exactly one varint fails with reason.',
    compactSize: values.map((value) => ({
      value,
      hex: toHex(new ByteWriter(9).varint(value).finish()),
    })),
    invalid: invalid.map((hex) => {
      const result = decodeAll(fromHex(hex), 'varint', (r) => r.varint());
      if (result.ok) throw new Error(`varint ${hex} decodes`);
      return { hex, reason: result.reason };
    }),
  };
}

function addressError(address: string): string {
  try {
    decodeAddress(address);
  } catch (err) {
    if (err instanceof AddressError) return err.code;
    throw err;
  }
  throw new Error(`address ${address} decodes`);
}

export function addressVectors(): Json {
  const valid = KEYS.flatMap((key) =>
    (['main', 'regtest'] as const).map((network) => ({
      network,
      pubkey: toHex(key.pubkey),
      address: encodeAddress(key.pubkey, network),
    })),
  );
  const key = KEYS[0]!.pubkey;
  const good = encodeAddress(key, 'main');
  const flip = good.slice(0, -1) + (good.endsWith('q') ? 'p' : 'q');
  const offCurve = new Uint8Array(32);
  offCurve[31] = 5; // x = 5 is not the x coordinate of a secp256k1 point
  const words = (bytes: Uint8Array) => bech32m.toWords(bytes);
  const cases: [string, string][] = [
    ['last character changed (typo)', flip],
    ['bech32 (BIP173) checksum instead of bech32m', bech32.encode('tc', words(key))],
    ['mixed case', good.slice(0, 6) + good.slice(6).toUpperCase()],
    ['unknown prefix bc', bech32m.encode('bc', words(key))],
    ['31-byte payload', bech32m.encode('tc', words(key.subarray(0, 31)))],
    ['33-byte payload', bech32m.encode('tc', words(new Uint8Array([...key, 0])))],
    ['32 bytes but not a curve point', bech32m.encode('tc', words(offCurve))],
    ['character b (not in the bech32 alphabet)', good.slice(0, 4) + 'b' + good.slice(5)],
    ['empty', ''],
  ];
  return {
    description:
      'Addresses: bech32m (BIP350 checksum) with human-readable part tc (main) or tcrt ' +
      '(regtest) over exactly the 32 bytes of the x-only public key, converted to 5-bit ' +
      'groups with padding; no witness version. invalid.error is the AddressError code.',
    valid: [
      ...valid,
      { network: 'main', pubkey: toHex(key), address: good.toUpperCase(), note: 'all upper case' },
    ],
    invalid: cases.map(([name, address]) => ({ name, address, error: addressError(address) })),
  };
}

export function compactBitsVectors(): Json {
  const bits = [
    0x1d00ffff,
    MAIN.powLimitBits,
    MAIN.genesis.header.bits,
    REGTEST.powLimitBits,
    0x03123456,
    0x02008000,
    0x01003456,
    0x04923456,
    0x00000000,
    0x05000000,
    0xff123456,
    0x22000001,
  ];
  const targets = [
    MAIN.powLimit,
    (1n << 256n) / 10_000_000n,
    0x80n,
    0x1234560000n,
    0n,
    (1n << 255n) - 1n,
  ];
  return {
    description:
      'Compact bits (Bitcoin nBits): target = mantissa (low 23 bits) * 256^(exponent - 3); a ' +
      'set sign bit (0x00800000) with a non-zero mantissa, or a target of 2^256 or more, ' +
      'decodes to 0 (no block can meet it). target is 64 hex digits, most significant first. ' +
      'work = floor(2^256 / (target + 1)), 0 for target 0. encode: the shortest compact ' +
      'form of a target (precision lost below 3 bytes).',
    decode: bits.map((b) => ({
      bits: b,
      target: target64(bitsToTarget(b)),
      work: workFromBits(b).toString(),
    })),
    encode: targets.map((target) => ({ target: target64(target), bits: targetToBits(target) })),
  };
}

function lwmaCase(name: string, params: ChainParams, blocks: TimedBits[]): Json {
  const retarget = {
    targetSpacing: params.targetSpacing,
    window: params.retargetWindow,
    powLimit: params.powLimit,
  };
  return { name, blocks: blocks.map((b) => ({ ...b })), nextBits: nextBitsLwma(blocks, retarget) };
}

export function difficultyVectors(): Json {
  const g = MAIN.genesis.header;
  const series = (n: number, spacing: number, bits = g.bits): TimedBits[] =>
    Array.from({ length: n }, (_, i) => ({ time: g.time + i * spacing, bits }));
  const jumbled = series(31, 10).map((b, i) => ({ ...b, time: b.time + (i % 3 === 0 ? 25 : -7) }));
  // A chain where every block carries the bits the rule gives it, with random solve times.
  const random = new Prng(13);
  const chain: TimedBits[] = [{ time: g.time, bits: g.bits }];
  for (let i = 0; i < 60; i++) {
    const window = chain.slice(-(MAIN.retargetWindow + 1));
    const bits = nextBitsLwma(window, {
      targetSpacing: MAIN.targetSpacing,
      window: MAIN.retargetWindow,
      powLimit: MAIN.powLimit,
    });
    const solve = Math.max(1, Math.round(random.exponential(1 / MAIN.targetSpacing)));
    chain.push({ time: chain[chain.length - 1]!.time + solve, bits });
  }
  return {
    description:
      "LWMA-1 on main: blocks are the parent's window (oldest first, the new block's parent " +
      'last, at most retargetWindow + 1 = 31 entries); nextBits is what the next block must ' +
      'carry. params as in genesis.json (targetSpacing 10, retargetWindow 30, powLimitBits). ' +
      'chain: genesis then 60 blocks, each carrying the bits the rule gives it: for i >= 1, ' +
      'chain[i].bits = nextBits(chain[max(0, i - 31) .. i - 1]).',
    params: {
      targetSpacing: MAIN.targetSpacing,
      retargetWindow: MAIN.retargetWindow,
      powLimitBits: MAIN.powLimitBits,
    },
    cases: [
      lwmaCase('genesis only: keep its bits', MAIN, series(1, 10)),
      lwmaCase('2 blocks, 10 s apart', MAIN, series(2, 10)),
      lwmaCase('31 blocks exactly on time', MAIN, series(31, 10)),
      lwmaCase('31 blocks 1 s apart: at most 10x harder', MAIN, series(31, 1)),
      lwmaCase('31 blocks 100 s apart: solve times capped at 60 s', MAIN, series(31, 100)),
      lwmaCase('times out of order: made monotonic (+1 s)', MAIN, jumbled),
      lwmaCase('5 blocks only: the window is what there is', MAIN, series(5, 20)),
      lwmaCase('slow blocks at powLimit: never easier', MAIN, series(31, 60, MAIN.powLimitBits)),
    ],
    chain: chain.map((b) => ({ ...b })),
  };
}

export function genesisVectors(): Json {
  return {
    description:
      'Both genesis blocks in full. hash is the header hash in internal byte order (what ' +
      'signatures and prevHash use); id is its display form (byte-reversed), what hello, ' +
      'join and explorers use. The genesis coinbase is never added to the UTXO set.',
    networks: Object.values(NETWORKS).map((params) => {
      const coinbase = params.genesis.txs[0]!;
      return {
        network: params.network,
        addressPrefix: params.network === 'main' ? 'tc' : 'tcrt',
        message: GENESIS_MESSAGE,
        params: {
          powLimitBits: params.powLimitBits,
          retarget: params.retarget,
          targetSpacing: params.targetSpacing,
          retargetWindow: params.retargetWindow,
          maxFutureBlockTime: params.maxFutureBlockTime,
          halvingInterval: params.halvingInterval,
          initialSubsidy: params.initialSubsidy.toString(),
        },
        header: headerJson(params.genesis.header),
        headerHex: toHex(encodeHeader(params.genesis.header)),
        hash: toHex(params.genesisHash),
        id: params.genesisId,
        work: workFromBits(params.genesis.header.bits).toString(),
        merkleRoot: toHex(blockMerkle(params.genesis.txs).root),
        coinbase: {
          fields: txJson(coinbase),
          hex: toHex(encodeTx(coinbase)),
          txid: txidHex(coinbase),
          wtxid: hashToHex(wtxid(coinbase)),
        },
        hex: toHex(encodeBlock(params.genesis)),
      };
    }),
  };
}
