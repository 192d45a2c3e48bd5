import { afterEach, describe, expect, it, vi } from 'vitest';
import { secureRandom } from '../../../client/net/secure-random.js';

afterEach(() => vi.restoreAllMocks());

describe('secureRandom (the P2P random in a tab: compact-block nonces)', () => {
  it('draws whole 32-bit words from the CSPRNG, never from Math.random', () => {
    const words = [0, 1, 0xdeadbeef, 0xffffffff];
    let next = 0;
    const csprng = vi.spyOn(crypto, 'getRandomValues').mockImplementation((array) => {
      (array as Uint32Array)[0] = words[next++]!;
      return array;
    });
    const weak = vi.spyOn(Math, 'random');
    const drawn = words.map(() => Math.floor(secureRandom() * 2 ** 32));
    expect(drawn).toEqual(words);
    expect(csprng).toHaveBeenCalledTimes(words.length);
    expect(weak).not.toHaveBeenCalled();
  });

  it('is uniform in [0, 1)', () => {
    const xs = Array.from({ length: 2_000 }, secureRandom);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(xs).size).toBeGreaterThan(1_990);
  });
});
