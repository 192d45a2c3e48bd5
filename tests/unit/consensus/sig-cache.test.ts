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
