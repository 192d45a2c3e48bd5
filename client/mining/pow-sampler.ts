/**
 * What the live proof-of-work view shows (client/ui/tc-pow-live.ts): the template being
 * hashed, the nonce reached, a strip of recently sampled hashes against the target, the lowest
 * sampled hash and the expected time to a block. The hot kernels stay as they are: a worker
 * (or the main-thread "Mine a block" loop) reports, at most every SAMPLE_MS, the last nonce it
 * tried, and its hash is computed once more here with the plain core hash function. The
 * kernels cannot report their lowest hash cheaply (they compare only a hash's top 32 bits), so
 * "best" is the lowest *sampled* hash, or the winning one once a block is found.
 *
 * @example
 * const sampler = new PowSampler();
 * sampler.begin(template.block.header, height, 'workers');
 * if (sampler.wantsSample()) sampler.sample(lastNonce);
 * sampler.on('change', (view) => render(view));
 */
import {
  bitsToTarget,
  bytesToBigIntLE,
  encodeHeader,
  hashToHex,
  leadingZeroBits,
  sha256d,
  workFromTarget,
  type BlockHeader,
} from '../../core/index.js';
import { Emitter } from '../events.js';
import { HashrateMeter } from './hashrate-meter.js';

/** Shortest interval between two samples: up to ten a second, whatever the hashrate. */
export const SAMPLE_MS = 100;
/** Sampled hashes kept for the strip, newest first. */
export const KEPT_SAMPLES = 10;

export interface PowSample {
  nonce: number;
  /** Display hex (most significant byte first, as block ids are shown). */
  hash: string;
  /** Leading zero bits of the hash, read as proof of work reads it. */
  zeros: number;
  /** The hash is at or below the target: this nonce is a block. */
  meets: boolean;
}

export interface PowTemplate {
  height: number;
  /** Parent block id (display hex). */
  prev: string;
  merkleRoot: string;
  time: number;
  bits: number;
  target: bigint;
  /** Leading zero bits of the target: a hash needs at least this many. */
  targetZeros: number;
}

export interface PowView {
  /** Who hashes: the Web Workers, or "Mine a block" on the main thread. */
  source: 'workers' | 'main thread';
  template: PowTemplate;
  /** The last nonce sampled (undefined until the first sample). */
  nonce?: number;
  /** Hashes tried on this template so far. */
  hashes: number;
  samples: readonly PowSample[];
  /** The lowest hash sampled on this template (the winning one once found). */
  best?: PowSample;
  /** The hash that met the target: hashing stopped. */
  found?: PowSample;
  /** Smoothed hashes per second. */
  hashrate: number;
  /** Expected seconds to a block at `hashrate` (undefined before a rate is known). */
  expectedSeconds?: number;
  /** False once a block is found or mining stopped. */
  active: boolean;
}

/**
 * Expected seconds to find a block at `target` hashing `hashrate` per second: 2^256 /
 * (target + 1) / hashrate. Memoryless: the same however long the search has run.
 *
 * @example expectedSeconds(2n ** 236n - 1n, 1_048_576) === 1
 */
export function expectedSeconds(target: bigint, hashrate: number): number | undefined {
  if (!(hashrate > 0) || !Number.isFinite(hashrate) || target <= 0n) return undefined;
  return Number(workFromTarget(target)) / hashrate;
}

/** One sampled hash: `hash` in internal byte order, judged against `target`. */
export function describeHash(nonce: number, hash: Uint8Array, target: bigint): PowSample {
  return {
    nonce,
    hash: hashToHex(hash),
    zeros: leadingZeroBits(hash),
    meets: bytesToBigIntLE(hash) <= target,
  };
}

export class PowSampler extends Emitter<{ change: PowView }> {
  private current: PowView | undefined = undefined;
  private header: Uint8Array = new Uint8Array(80);
  private lowest = 0n;
  private lastSample = -Infinity;
  private readonly meter: HashrateMeter;

  constructor(private readonly now: () => number = () => performance.now()) {
    super();
    this.meter = new HashrateMeter(2_000, now());
  }

  /** The view, or undefined before the first template. */
  view(): PowView | undefined {
    return this.current;
  }

  /** A new template is being hashed (`height` of the block it would be). */
  begin(header: BlockHeader, height: number, source: PowView['source']): void {
    const target = bitsToTarget(header.bits);
    if (!this.current?.active) this.meter.reset(this.now());
    this.header = encodeHeader(header);
    this.lowest = 1n << 256n;
    this.lastSample = -Infinity;
    this.current = {
      source,
      template: {
        height,
        prev: hashToHex(header.prevHash),
        merkleRoot: hashToHex(header.merkleRoot),
        time: header.time,
        bits: header.bits,
        target,
        targetZeros: leadingZeroBits(target),
      },
      hashes: 0,
      samples: [],
      hashrate: this.meter.rate,
      expectedSeconds: expectedSeconds(target, this.meter.rate),
      active: true,
    };
    this.emit('change', this.current);
  }

  /** Hashes done on the current template since the last call (no change emitted). */
  addHashes(hashes: number): void {
    if (!this.current?.active) return;
    this.meter.add(hashes);
    this.current = { ...this.current, hashes: this.current.hashes + hashes };
  }

  /** True when a sample is due (at most one every SAMPLE_MS). */
  wantsSample(): boolean {
    return this.current?.active === true && this.now() - this.lastSample >= SAMPLE_MS;
  }

  /** Hash of the current template's header with `nonce` (one plain double SHA-256). */
  hashAt(nonce: number): Uint8Array {
    new DataView(this.header.buffer).setUint32(76, nonce, true);
    return sha256d(this.header);
  }

  /** Record a sampled nonce (its hash computed here unless given) and emit the view. */
  sample(nonce: number, hash: Uint8Array = this.hashAt(nonce)): void {
    const view = this.current;
    if (!view?.active) return;
    const at = this.now();
    this.lastSample = at;
    const hashrate = this.meter.sample(at);
    const sample = describeHash(nonce, hash, view.template.target);
    this.current = {
      ...this.withBest(view, sample, hash),
      nonce,
      samples: [sample, ...view.samples].slice(0, KEPT_SAMPLES),
      hashrate,
      expectedSeconds: expectedSeconds(view.template.target, hashrate),
    };
    this.emit('change', this.current);
  }

  /** `nonce` met the target: hashing this template stopped. */
  found(nonce: number): void {
    const view = this.current;
    if (!view?.active) return;
    const hash = this.hashAt(nonce);
    const sample = describeHash(nonce, hash, view.template.target);
    this.current = {
      ...this.withBest(view, sample, hash),
      nonce,
      samples: [sample, ...view.samples].slice(0, KEPT_SAMPLES),
      found: sample,
      active: false,
    };
    this.emit('change', this.current);
  }

  /** Mining stopped without a block (the view keeps the last state, marked inactive). */
  stop(): void {
    if (!this.current?.active) return;
    this.current = { ...this.current, active: false };
    this.emit('change', this.current);
  }

  private withBest(view: PowView, sample: PowSample, hash: Uint8Array): PowView {
    const value = bytesToBigIntLE(hash);
    if (value >= this.lowest) return view;
    this.lowest = value;
    return { ...view, best: sample };
  }
}
