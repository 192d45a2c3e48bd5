import { describe, expect, it } from 'vitest';
import { TokenBucket as ClientBucket } from '../../../client/net/token-bucket.js';
import { TokenBucket as TrackerBucket } from '../../../tracker/rate-limit.js';

// The client's and the tracker's token buckets (lint keeps tracker/ and client/ apart).
describe.each([
  ['client', ClientBucket],
  ['tracker', TrackerBucket],
])('TokenBucket (%s)', (_, TokenBucket) => {
  it('gives its burst at once, then refills at its rate', () => {
    const bucket = new TokenBucket(1 / 60, 2, 0); // one a minute, bursts of 2
    expect([bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([true, true, false]);
    expect(bucket.take(59_999)).toBe(false);
    expect(bucket.take(60_000)).toBe(true);
  });

  it('a clock that steps back neither drains it nor freezes it until the clock is back', () => {
    const bucket = new TokenBucket(1 / 60, 2, 0);
    expect(bucket.take(0)).toBe(true); // one left
    // The wall clock is set back an hour: the token held is still there...
    expect(bucket.take(-3_600_000)).toBe(true);
    expect(bucket.take(-3_600_000)).toBe(false);
    // ...and refilling counts from the new reading, not from an hour ahead.
    expect(bucket.take(-3_600_000 + 60_000)).toBe(true);
  });
});
