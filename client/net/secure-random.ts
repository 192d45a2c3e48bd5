/**
 * The P2P layer's `random()` in a tab: uniform in [0, 1) from the browser's CSPRNG. It draws the
 * short-id nonces of compact blocks (two 32-bit words each), which must be unpredictable
 * (BIP152): `Math.random`'s generator can be reconstructed from a few of its outputs, and our
 * nonces go out in every `cmpctblock`, so a peer could predict the next nonce and prepare a
 * transaction whose short id collides with another in our next block, making it fail to rebuild
 * everywhere. Every value is a multiple of 2^-32, so `Math.floor(random() * 2 ** 32)` is one
 * whole random word.
 */
export function secureRandom(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32;
}
