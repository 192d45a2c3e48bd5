/** core/primitives/address.ts: bech32m addresses (BIP350 vectors) and recipient parsing. */
import { bech32, bech32m } from '@scure/base';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ADDRESS_PREFIX,
  AddressError,
  decodeAddress,
  encodeAddress,
  parseRecipient,
  publicKeyHex,
  type NetworkName,
} from '../../../core/primitives/address.js';
import { fromHex, toHex } from '../../../core/primitives/bytes.js';
import { publicKeyOf } from '../../../core/primitives/keys.js';

/** BIP350 "Test vectors for Bech32m": strings that are valid Bech32m. */
const BIP350_VALID = [
  'A1LQFN3A',
  'a1lqfn3a',
  'an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg6',
  'abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx',
  '11llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllludsr8',
  'split1checkupstagehandshakeupstreamerranterredcaperredlc445v',
  '?1v759aa',
];

/** BIP350: strings that are not valid Bech32m, with the reason the BIP gives. */
const BIP350_INVALID: [string, string][] = [
  ['\x20' + '1xj0phk', 'HRP character out of range'],
  ['\x7f' + '1g6xzxy', 'HRP character out of range'],
  ['\x80' + '1vctc34', 'HRP character out of range'],
  [
    'an84characterslonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11d6pts4',
    'overall max length exceeded',
  ],
  ['qyrz8wqd2c9m', 'No separator character'],
  ['1qyrz8wqd2c9m', 'Empty HRP'],
  ['y1b0jsk6g', 'Invalid data character'],
  ['lt1igcx5c0', 'Invalid data character'],
  ['in1muywd', 'Too short checksum'],
  ['mm1crxm3i', 'Invalid character in checksum'],
  ['au1s5cgom', 'Invalid character in checksum'],
  ['M1VUXWEZ', 'checksum calculated with uppercase form of HRP'],
  ['16plkw9', 'empty HRP'],
  ['1p2gdwpf', 'empty HRP'],
];

/** BIP350 segwit v1 vector: its witness program is x(G), the public key of secret key 1. */
const BIP350_P2TR_G = 'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0';
/** The same program with a Bech32 (not Bech32m) checksum, which BIP350 lists as invalid. */
const BIP350_P2TR_G_BECH32 = 'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd';

const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const G_X = '79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798';
/** BIP340 test vector 5's public key: not the x coordinate of any curve point. */
const OFF_CURVE = 'eefdea4cdb677750a420fee807eacf21eb9898ae79b9768766e4faa04a2d4a34';

const pubkeyArb = fc
  .bigInt({ min: 1n, max: N - 1n })
  .map((d) => publicKeyOf(fromHex(d.toString(16).padStart(64, '0'))));
const networkArb = fc.constantFrom<NetworkName>('main', 'regtest');

/** The AddressError `fn` throws (fails the test if it throws anything else or nothing). */
function addressError(fn: () => unknown): AddressError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AddressError);
    return err as AddressError;
  }
  throw new Error('expected an AddressError');
}

describe('BIP350 Bech32m vectors (@scure/base, as used by core/primitives/address.ts)', () => {
  it.each(BIP350_VALID)('decodes %s and re-encodes it in lower case', (text) => {
    const { prefix, words } = bech32m.decode(text as `${string}1${string}`, 90);
    expect(bech32m.encode(prefix, words, 90)).toBe(text.toLowerCase());
  });

  it.each(BIP350_INVALID)('refuses %j (%s)', (text) => {
    expect(() => bech32m.decode(text as `${string}1${string}`, 90)).toThrow();
    expect(bech32m.decodeUnsafe(text, 90)).toBeUndefined();
  });

  it('decodes the v1 witness program x(G) and refuses its Bech32 twin', () => {
    const { prefix, words } = bech32m.decode(BIP350_P2TR_G);
    expect(prefix).toBe('bc');
    expect(words[0]).toBe(1);
    expect(toHex(bech32m.fromWords(words.slice(1)))).toBe(G_X);
    expect(toHex(publicKeyOf(fromHex('00'.repeat(31) + '01')))).toBe(G_X);
    expect(() => bech32m.decode(BIP350_P2TR_G_BECH32)).toThrow();
    expect(bech32.decode(BIP350_P2TR_G_BECH32).words).toEqual(words);
  });
});

describe('encodeAddress / decodeAddress', () => {
  it('round-trips any valid public key on both networks', () => {
    fc.assert(
      fc.property(pubkeyArb, networkArb, (pubkey, network) => {
        const address = encodeAddress(pubkey, network);
        expect(address.startsWith(ADDRESS_PREFIX[network] + '1')).toBe(true);
        expect(decodeAddress(address)).toEqual({ network, pubkey });
      }),
      { numRuns: 50 },
    );
  });

  it('uses the prefixes tc (main) and tcrt (regtest) and a stable format', () => {
    const g = fromHex(G_X);
    const main = encodeAddress(g, 'main');
    const regtest = encodeAddress(g, 'regtest');
    expect(main).toMatch(/^tc1[02-9ac-hj-np-z]{58}$/);
    expect(regtest).toMatch(/^tcrt1[02-9ac-hj-np-z]{58}$/);
    // Same 52 data characters as BIP350's x(G) program (which adds a version character).
    expect(main.slice(3, 55)).toBe(BIP350_P2TR_G.slice(4, 56));
    expect(regtest.slice(5, 57)).toBe(main.slice(3, 55));
  });

  it('accepts an all-upper-case address and surrounding whitespace', () => {
    const pubkey = fromHex(G_X);
    const address = encodeAddress(pubkey, 'regtest');
    expect(decodeAddress(`  ${address.toUpperCase()}\n`)).toEqual({ network: 'regtest', pubkey });
  });

  it('reports a single-character typo anywhere as a checksum error with a clear message', () => {
    fc.assert(
      fc.property(
        pubkeyArb,
        networkArb,
        fc.nat(),
        fc.constantFrom(...CHARSET),
        (pubkey, network, seed, replacement) => {
          const address = encodeAddress(pubkey, network);
          const separator = address.lastIndexOf('1');
          const positions = Array.from(address, (_, i) => i).filter((i) => i !== separator);
          const at = positions[seed % positions.length]!;
          fc.pre(address[at] !== replacement);
          const typo = address.slice(0, at) + replacement + address.slice(at + 1);
          const err = addressError(() => decodeAddress(typo));
          expect(err.code).toBe('checksum');
          expect(err.message).toMatch(/checksum does not match.*typo/);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reports a Bech32 (not Bech32m) checksum as a checksum error', () => {
    const bech32Address = bech32.encode('tc', bech32.toWords(fromHex(G_X)));
    expect(addressError(() => decodeAddress(bech32Address)).code).toBe('checksum');
  });

  it('refuses a valid Bech32m string with another prefix (code prefix)', () => {
    const err = addressError(() =>
      decodeAddress(bech32m.encode('bc', bech32m.toWords(fromHex(G_X)))),
    );
    expect(err.code).toBe('prefix');
    expect(err.message).toContain('"bc"');
    expect(err.message).toContain('tc or tcrt');
    expect(addressError(() => decodeAddress(BIP350_P2TR_G)).code).toBe('prefix');
  });

  it('refuses payloads that are not 32 bytes (code length)', () => {
    for (const size of [0, 20, 31, 33]) {
      const text = bech32m.encode('tc', bech32m.toWords(new Uint8Array(size).fill(1)));
      expect(addressError(() => decodeAddress(text)).code).toBe('length');
    }
  });

  it('refuses a 32-byte payload that is not a curve point (code not-on-curve)', () => {
    const text = bech32m.encode('tcrt', bech32m.toWords(fromHex(OFF_CURVE)));
    expect(addressError(() => decodeAddress(text)).code).toBe('not-on-curve');
  });

  it('refuses things that are not addresses at all (code format)', () => {
    for (const text of ['', 'hello', 'tc1', 'tc1 qq', 'pay:tc1qqqqqq']) {
      expect(addressError(() => decodeAddress(text)).code).toBe('format');
    }
    expect(addressError(() => decodeAddress(42 as unknown as string)).code).toBe('format');
  });

  it('asserts its arguments when encoding', () => {
    expect(() => encodeAddress(new Uint8Array(33), 'main')).toThrow(RangeError);
    expect(() => encodeAddress(fromHex(G_X), 'testnet' as NetworkName)).toThrow(TypeError);
  });
});

describe('parseRecipient', () => {
  it('accepts a raw 64-hex public key in either case', () => {
    fc.assert(
      fc.property(pubkeyArb, networkArb, (pubkey, network) => {
        expect(parseRecipient(publicKeyHex(pubkey), network)).toEqual(pubkey);
        expect(parseRecipient(` ${publicKeyHex(pubkey).toUpperCase()} `, network)).toEqual(pubkey);
      }),
      { numRuns: 25 },
    );
  });

  it('accepts an address of its own network', () => {
    const pubkey = fromHex(G_X);
    expect(parseRecipient(encodeAddress(pubkey, 'regtest'), 'regtest')).toEqual(pubkey);
    expect(parseRecipient(encodeAddress(pubkey, 'main'), 'main')).toEqual(pubkey);
  });

  it('refuses an address of the other network (code network)', () => {
    const main = encodeAddress(fromHex(G_X), 'main');
    const err = addressError(() => parseRecipient(main, 'regtest'));
    expect(err.code).toBe('network');
    expect(err.message).toBe('that address is for main, this node is on regtest');
    const regtest = encodeAddress(fromHex(G_X), 'regtest');
    expect(addressError(() => parseRecipient(regtest, 'main')).code).toBe('network');
  });

  it('refuses 64-hex that is not a point on the curve (code not-on-curve)', () => {
    const err = addressError(() => parseRecipient(OFF_CURVE, 'main'));
    expect(err.code).toBe('not-on-curve');
    expect(err.message).toMatch(/not a valid public key/);
    expect(addressError(() => parseRecipient('ff'.repeat(32), 'main')).code).toBe('not-on-curve');
  });

  it('passes typos and near-hex on to the address checks', () => {
    expect(() => parseRecipient(G_X.slice(1), 'main')).toThrow(AddressError);
    expect(() => parseRecipient(G_X + '0', 'main')).toThrow(AddressError);
    const address = encodeAddress(fromHex(G_X), 'main');
    const typo = address.slice(0, -1) + (address.endsWith('q') ? 'p' : 'q');
    expect(addressError(() => parseRecipient(typo, 'main')).code).toBe('checksum');
  });
});

describe('typos outside the bech32 alphabet', () => {
  it('says a tc1 address with a character addresses never use has a typo', () => {
    const address = encodeAddress(publicKeyOf(new Uint8Array(32).fill(7)), 'main');
    const typo = `${address.slice(0, 6)}b${address.slice(7)}`;
    expect(() => decodeAddress(typo)).toThrow(/typo/);
  });
});
