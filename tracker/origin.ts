/**
 * Where a connection comes from, for "identity has a cost" (docs/protocol.md, "Identity"): the
 * client's address is reduced to its group (an IPv4 address, or the /64 prefix of an IPv6 one,
 * which one household or device typically holds whole), joins are rate-limited per group, and
 * every signal relayed is tagged with an `origin`: a keyed hash of the group that lets a node
 * recognise a banned peer's machine under a new node id without learning its address.
 */
import { createHmac } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { TokenBucket } from './rate-limit.js';

/** Characters of the origin tag (base64url of HMAC-SHA256: 16 characters = 96 bits). */
export const ORIGIN_TAG_LENGTH = 16;
/** Address groups whose join bucket is remembered at most (idle full buckets are dropped). */
const MAX_TRACKED_GROUPS = 10_000;

/** The address a connection comes from: the socket's peer, or with `trustProxy` the last hop. */
export function clientAddress(
  remoteAddress: string,
  forwardedFor: string | string[] | undefined,
  trustProxy: boolean,
): string {
  if (trustProxy && forwardedFor !== undefined) {
    const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor;
    // The proxy appends the address it saw: the last entry is the one it vouches for.
    const last = header
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)
      .at(-1);
    if (last) return last;
  }
  return remoteAddress;
}

/** An IPv4 address as is (also when IPv4-mapped), an IPv6 address as its /64 prefix. */
export function addressGroup(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** The opaque origin tag of an address group under `secret`. */
export function originTag(secret: Uint8Array, group: string): string {
  return createHmac('sha256', secret).update(group).digest('base64url').slice(0, ORIGIN_TAG_LENGTH);
}

/** Joins per address group: a token bucket each (`burst` at once, `perMinute` after). */
export class JoinLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly perMinute: number,
    private readonly burst: number,
  ) {}

  take(group: string, now: number): boolean {
    let bucket = this.buckets.get(group);
    if (!bucket) {
      if (this.buckets.size >= MAX_TRACKED_GROUPS) this.forgetIdle(now);
      bucket = new TokenBucket(this.perMinute / 60, this.burst, now);
      this.buckets.set(group, bucket);
    }
    return bucket.take(now);
  }

  /** Drop buckets that have refilled completely: they hold no information. */
  private forgetIdle(now: number): void {
    for (const [group, bucket] of this.buckets) if (bucket.full(now)) this.buckets.delete(group);
  }
}
