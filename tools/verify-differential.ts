/**
 * The differential test of libsecp256k1 (tiny-secp256k1, WASM: client/verify/fast-verifier.ts)
 * against @noble/curves (core's verifySignature): every BIP340 vector, then N seeded random
 * signatures (default 100,000), half valid and half mutated in one of eleven ways
 * (tests/helpers/sig-samples.ts), signed in turn by @noble/curves and by libsecp256k1. Prints agreement per kind and each verifier's rate on the
 * same samples; exits 1 on any disagreement or any wrong answer.
 *
 *   npx tsx tools/verify-differential.ts [count] [seed] [signers]
 *
 * `signers` is `both` (default) or `noble`: valid samples signed by @noble/curves alone (the
 * verifiers under test are the same either way).
 */
import { verifySignature } from '../core/index.js';
import { verifyFast } from '../client/verify/fast-verifier.js';
import { bip340Vectors } from '../tests/helpers/bip340-vectors.js';
import { seeded } from '../tests/helpers/seeded.js';
import { signSchnorr, xOnlyPointFromScalar } from 'tiny-secp256k1';
import {
  CORE_SIGNER,
  signatureSamples,
  type Sample,
  type Signer,
} from '../tests/helpers/sig-samples.js';

const count = Number(process.argv[2] ?? 100_000);
const seed = Number(process.argv[3] ?? 2026);
let failures = 0;

for (const v of bip340Vectors()) {
  const noble = verifySignature(v.signature, v.message, v.publicKey);
  const fast = verifyFast(v.signature, v.message, v.publicKey);
  if (noble !== v.valid || fast !== v.valid) {
    failures++;
    console.log(`BIP340 vector ${v.index}: expected ${v.valid}, noble ${noble}, libsecp ${fast}`);
  }
}
console.log(`BIP340 vectors: ${bip340Vectors().length} checked, ${failures} wrong`);

const random = seeded(seed);
/** Valid signatures come from both signers in turn: @noble/curves and libsecp256k1. */
const LIBSECP_SIGNER: Signer = {
  sign: (message, secret, auxRand) => signSchnorr(message, secret, auxRand),
  publicKey: (secret) => xOnlyPointFromScalar(secret),
};
const signers = process.argv[4] === 'noble' ? [CORE_SIGNER] : [CORE_SIGNER, LIBSECP_SIGNER];
const CHUNK = 5_000;
const byKind = new Map<string, { n: number; valid: number; disagree: number }>();
let nobleMs = 0;
let fastMs = 0;
let done = 0;
const started = performance.now();
while (done < count) {
  const samples: Sample[] = signatureSamples(Math.min(CHUNK, count - done), random, signers);
  const time = (verify: typeof verifySignature): [boolean[], number] => {
    const start = performance.now();
    const answers = samples.map((s) => verify(s.signature, s.message, s.publicKey));
    return [answers, performance.now() - start];
  };
  const [noble, nMs] = time(verifySignature);
  const [fast, fMs] = time(verifyFast);
  nobleMs += nMs;
  fastMs += fMs;
  samples.forEach((s, i) => {
    const row = byKind.get(s.kind) ?? { n: 0, valid: 0, disagree: 0 };
    row.n++;
    if (noble[i]) row.valid++;
    if (noble[i] !== fast[i]) {
      row.disagree++;
      failures++;
    }
    // A valid sample must verify and a mutated one must not (a 2^-128 event otherwise).
    if (noble[i] !== (s.kind === 'valid')) failures++;
    byKind.set(s.kind, row);
  });
  done += samples.length;
  console.log(`${done} / ${count} samples, ${failures} disagreements or wrong answers so far`);
}
for (const [kind, row] of [...byKind].sort()) {
  console.log(
    `  ${kind.padEnd(15)} ${String(row.n).padStart(7)} samples, ${row.valid} valid, ${row.disagree} disagreements`,
  );
}
const nobleRate = count / (nobleMs / 1000);
const fastRate = count / (fastMs / 1000);
console.log(
  `${count} samples (seed ${seed}) in ${((performance.now() - started) / 1000).toFixed(0)} s: ` +
    `@noble/curves ${nobleRate.toFixed(0)}/s, libsecp256k1 (WASM) ${fastRate.toFixed(0)}/s, ` +
    `ratio ${(fastRate / nobleRate).toFixed(2)}`,
);
console.log(failures === 0 ? 'AGREE on every case' : `${failures} FAILURES`);
process.exit(failures === 0 ? 0 : 1);
