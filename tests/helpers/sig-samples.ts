/**
 * Seeded BIP340 samples for verifier tests: valid signatures over random keys and messages,
 * and invalid ones made by mutating one of the three parts (a flipped bit, a swapped key or
 * message, a value at or past a field limit), so a verifier that accepts too much is caught.
 */
import { fromHex, publicKeyOf, signMessage, type SignatureCheck } from '../../core/index.js';

export interface Sample extends SignatureCheck {
  /** How the sample was made: 'valid' or the mutation applied. */
  kind: string;
}

/** n (the group order) and p (the field size), big-endian: r >= p and s >= n are invalid. */
const FIELD_P = fromHex('fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f');
const ORDER_N = fromHex('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141');

function bytes(random: () => number, n: number): Uint8Array {
  return Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
}

function flip(data: Uint8Array, random: () => number): Uint8Array {
  const copy = data.slice();
  const bit = Math.floor(random() * copy.length * 8);
  copy[bit >> 3]! ^= 1 << (bit & 7);
  return copy;
}

/** A BIP340 signer: core's (@noble/curves) unless another is given. */
export interface Signer {
  sign(message: Uint8Array, secret: Uint8Array, auxRand: Uint8Array): Uint8Array;
  publicKey(secret: Uint8Array): Uint8Array;
}

export const CORE_SIGNER: Signer = { sign: signMessage, publicKey: publicKeyOf };

/** A valid signature: a random key signs a random message with random aux randomness. */
export function validSample(random: () => number, signer = CORE_SIGNER): Sample {
  const secret = bytes(random, 32);
  secret[0] = (secret[0]! % 0xfe) + 1; // in range (0 < secret < n) without retries
  const message = bytes(random, 32);
  const signature = signer.sign(message, secret, bytes(random, 32));
  return { kind: 'valid', signature, message, publicKey: signer.publicKey(secret) };
}

const MUTATIONS: ((s: Sample, r: () => number, other: Sample) => Sample)[] = [
  (s, r) => ({ ...s, kind: 'flip-signature', signature: flip(s.signature, r) }),
  (s, r) => ({ ...s, kind: 'flip-message', message: flip(s.message, r) }),
  (s, r) => ({ ...s, kind: 'flip-key', publicKey: flip(s.publicKey, r) }),
  (s, _r, o) => ({ ...s, kind: 'other-key', publicKey: o.publicKey }),
  (s, _r, o) => ({ ...s, kind: 'other-message', message: o.message }),
  (s, _r, o) => ({
    ...s,
    kind: 'other-r',
    signature: concat(o.signature.subarray(0, 32), s.signature.subarray(32)),
  }),
  (s) => ({ ...s, kind: 'r-is-p', signature: concat(FIELD_P, s.signature.subarray(32)) }),
  (s) => ({ ...s, kind: 's-is-n', signature: concat(s.signature.subarray(0, 32), ORDER_N) }),
  (s) => ({ ...s, kind: 'key-is-p', publicKey: FIELD_P }),
  (s) => ({
    ...s,
    kind: 'zero-s',
    signature: concat(s.signature.subarray(0, 32), new Uint8Array(32)),
  }),
  (s, r) => ({ ...s, kind: 'random-key', publicKey: bytes(r, 32) }),
];

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * `count` samples, half valid and half mutated (each mutation equally often), signed by the
 * `signers` in turn.
 */
export function signatureSamples(
  count: number,
  random: () => number,
  signers: readonly Signer[] = [CORE_SIGNER],
): Sample[] {
  const samples: Sample[] = [];
  let previous = validSample(random);
  for (let i = 0; i < count; i++) {
    const sample = validSample(random, signers[i % signers.length]);
    if (i % 2 === 0) samples.push(sample);
    else samples.push(MUTATIONS[(i >> 1) % MUTATIONS.length]!(sample, random, previous));
    previous = sample;
  }
  return samples;
}
