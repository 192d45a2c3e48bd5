/** client/mining/pow-sampler.ts: what the live proof-of-work view is given. */
import { describe, expect, it } from 'vitest';
import {
  bitsToTarget,
  bytesToBigIntLE,
  encodeHeader,
  hashToHex,
  leadingZeroBits,
  mineRange,
  regtestParams,
  sha256d,
  type BlockHeader,
} from '../../../core/index.js';
import {
  describeHash,
  expectedSeconds,
  KEPT_SAMPLES,
  PowSampler,
  SAMPLE_MS,
} from '../../../client/mining/pow-sampler.js';

const params = regtestParams(12);
const header: BlockHeader = {
  ...params.genesis.header,
  prevHash: new Uint8Array(params.genesisHash),
  bits: params.powLimitBits,
  time: params.genesis.header.time + 600,
};

function hashOf(nonce: number): Uint8Array {
  return sha256d(encodeHeader({ ...header, nonce }));
}

/** A sampler on a clock the test moves. */
function sampler(): { pow: PowSampler; clock: { now: number } } {
  const clock = { now: 1_000 };
  return { pow: new PowSampler(() => clock.now), clock };
}

describe('expectedSeconds', () => {
  it('is the expected hashes (2^256 / (target + 1)) over the hashrate', () => {
    expect(expectedSeconds((1n << 236n) - 1n, 1 << 20)).toBe(1);
    expect(expectedSeconds((1n << 236n) - 1n, 1 << 19)).toBe(2);
    expect(expectedSeconds((1n << 255n) - 1n, 4)).toBe(0.5);
  });
  it('is unknown without a rate or a valid target', () => {
    expect(expectedSeconds(1n << 200n, 0)).toBeUndefined();
    expect(expectedSeconds(1n << 200n, Number.NaN)).toBeUndefined();
    expect(expectedSeconds(0n, 1_000)).toBeUndefined();
  });
});

describe('describeHash', () => {
  it('gives display hex, leading zero bits and the verdict against the target', () => {
    const hash = hashOf(7);
    const sample = describeHash(7, hash, bitsToTarget(header.bits));
    expect(sample.hash).toBe(hashToHex(hash));
    expect(sample.zeros).toBe(leadingZeroBits(hash));
    expect(sample.meets).toBe(bytesToBigIntLE(hash) <= bitsToTarget(header.bits));
    // The leading zero bits agree with the display hex a person reads.
    const zeroNibbles = sample.hash.match(/^0*/)![0].length;
    expect(sample.zeros).toBeGreaterThanOrEqual(4 * zeroNibbles);
    expect(sample.zeros).toBeLessThan(4 * zeroNibbles + 4);
  });
});

describe('PowSampler', () => {
  it('shows the template, samples at most every SAMPLE_MS, newest first, with the best', () => {
    const { pow, clock } = sampler();
    const views: unknown[] = [];
    pow.on('change', (view) => views.push(view));
    pow.begin(header, 1, 'workers');
    const view = pow.view()!;
    expect(view.template).toMatchObject({
      height: 1,
      prev: hashToHex(header.prevHash),
      merkleRoot: hashToHex(header.merkleRoot),
      time: header.time,
      bits: params.powLimitBits,
      target: params.powLimit,
      targetZeros: 12,
    });
    expect(view).toMatchObject({ active: true, hashes: 0, samples: [] });

    const nonces = Array.from({ length: KEPT_SAMPLES + 3 }, (_, i) => 1000 * (i + 1));
    for (const nonce of nonces) {
      pow.addHashes(1000);
      clock.now += SAMPLE_MS;
      expect(pow.wantsSample()).toBe(true);
      pow.sample(nonce);
      expect(pow.wantsSample()).toBe(false); // not again before SAMPLE_MS
    }
    const after = pow.view()!;
    expect(after.nonce).toBe(nonces.at(-1));
    expect(after.hashes).toBe(1000 * nonces.length);
    expect(after.samples.map((s) => s.nonce)).toEqual(nonces.slice(-KEPT_SAMPLES).reverse());
    for (const s of after.samples) expect(s.hash).toBe(hashToHex(hashOf(s.nonce)));
    // Best: the lowest of all samples, including ones that left the strip.
    const lowest = nonces.reduce((a, b) =>
      bytesToBigIntLE(hashOf(b)) < bytesToBigIntLE(hashOf(a)) ? b : a,
    );
    expect(after.best?.nonce).toBe(lowest);
    // 1000 hashes per SAMPLE_MS: the rate and the expected time follow from it.
    expect(after.hashrate).toBeCloseTo((1000 * 1000) / SAMPLE_MS, 0);
    expect(after.expectedSeconds).toBeCloseTo(
      Number((1n << 256n) / (params.powLimit + 1n)) / after.hashrate,
      6,
    );
    expect(views.length).toBe(1 + nonces.length);
  });

  it('takes the hash a worker sends as it is', () => {
    const { pow } = sampler();
    pow.begin(header, 1, 'workers');
    pow.sample(5, hashOf(5));
    expect(pow.view()!.samples[0]!.hash).toBe(hashToHex(hashOf(5)));
  });

  it('stops at a find: the winning hash meets the target and nothing moves after', () => {
    const { pow, clock } = sampler();
    pow.begin(header, 1, 'main thread');
    pow.sample(3);
    const nonce = mineRange(encodeHeader(header), params.powLimit, 0, 2 ** 32);
    pow.found(nonce);
    const view = pow.view()!;
    expect(view).toMatchObject({ active: false, nonce });
    expect(view.found).toEqual(describeHash(nonce, hashOf(nonce), params.powLimit));
    expect(view.found!.meets).toBe(true);
    expect(view.found!.zeros).toBeGreaterThanOrEqual(12);
    expect(view.best).toEqual(view.found);
    clock.now += SAMPLE_MS;
    expect(pow.wantsSample()).toBe(false);
    pow.sample(nonce + 1);
    pow.addHashes(10);
    expect(pow.view()).toBe(view);
  });

  it('starts over on a new template, and stop() marks it inactive', () => {
    const { pow } = sampler();
    pow.begin(header, 1, 'workers');
    pow.sample(1);
    pow.begin({ ...header, time: header.time + 1 }, 1, 'workers');
    expect(pow.view()).toMatchObject({ samples: [], hashes: 0, active: true });
    expect(pow.view()!.best).toBeUndefined();
    pow.stop();
    expect(pow.view()!.active).toBe(false);
  });
});
