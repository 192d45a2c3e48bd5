/** The signature cache remembers only successes and stays within its bound. */
import { describe, expect, it } from 'vitest';
import { SignatureCache, sha256, signMessage } from '../../../core/index.js';
import { testKey } from '../../helpers/regtest.js';

const key = testKey(1);
const messages = Array.from({ length: 5 }, (_, i) => sha256(Uint8Array.of(i)));
const signatures = messages.map((m) => signMessage(m, key.secret, new Uint8Array(32)));

describe('SignatureCache', () => {
  it('caches valid signatures and never caches failures', () => {
    const cache = new SignatureCache();
    expect(cache.verify(signatures[0]!, messages[0]!, key.pubkey)).toBe(true);
    expect(cache.size).toBe(1);
    expect(cache.verify(signatures[0]!, messages[1]!, key.pubkey)).toBe(false);
    expect(cache.verify(signatures[0]!, messages[1]!, key.pubkey)).toBe(false);
    expect(cache.size).toBe(1);
    expect(cache.verify(signatures[0]!, messages[0]!, testKey(2).pubkey)).toBe(false);
  });

  it('evicts the oldest entry past its bound', () => {
    const cache = new SignatureCache(3);
    messages.forEach((m, i) => expect(cache.verify(signatures[i]!, m, key.pubkey)).toBe(true));
    expect(cache.size).toBe(3);
  });
});

describe('SignatureCache entries from elsewhere (verification workers)', () => {
  const flipped = (bytes: Uint8Array, at: number) => {
    const copy = bytes.slice();
    copy[at]! ^= 1;
    return copy;
  };

  it('keys an entry by the whole triple: message, key and signature', () => {
    const cache = new SignatureCache();
    cache.addVerified(signatures[0]!, messages[0]!, key.pubkey);
    expect(cache.has(signatures[0]!, messages[0]!, key.pubkey)).toBe(true);
    expect(cache.has(flipped(signatures[0]!, 63), messages[0]!, key.pubkey)).toBe(false);
    expect(cache.has(signatures[0]!, flipped(messages[0]!, 0), key.pubkey)).toBe(false);
    expect(cache.has(signatures[0]!, messages[0]!, flipped(key.pubkey, 31))).toBe(false);
    // A cached signature does not vouch for another key or message: those are verified.
    expect(cache.verify(signatures[0]!, messages[0]!, testKey(2).pubkey)).toBe(false);
    expect(cache.verify(signatures[0]!, messages[1]!, key.pubkey)).toBe(false);
    expect(cache.size).toBe(1);
  });

  it('refuses a signature or key of the wrong length, so keys stay unambiguous', () => {
    const cache = new SignatureCache();
    expect(() => cache.addVerified(signatures[0]!.subarray(1), messages[0]!, key.pubkey)).toThrow(
      RangeError,
    );
    expect(() => cache.addVerified(signatures[0]!, messages[0]!, key.pubkey.subarray(1))).toThrow(
      RangeError,
    );
    expect(cache.size).toBe(0);
  });

  it('stays within its bound when filled from outside', () => {
    const cache = new SignatureCache(2);
    messages.forEach((m, i) => cache.addVerified(signatures[i]!, m, key.pubkey));
    cache.addVerified(signatures[4]!, messages[4]!, key.pubkey);
    expect(cache.size).toBe(2);
    expect(cache.has(signatures[4]!, messages[4]!, key.pubkey)).toBe(true);
    expect(cache.has(signatures[0]!, messages[0]!, key.pubkey)).toBe(false);
  });
});
