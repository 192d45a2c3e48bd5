/** client/net/status-table.ts: which status reports a node keeps, for how long, and from whom. */
import { describe, expect, it } from 'vitest';
import type { StatusReport } from '../../../core/index.js';
import {
  MAX_STATUS_HOPS,
  STATUS_EXPIRY_MS,
  StatusTable,
  serialAfter,
} from '../../../client/net/status-table.js';

function report(origin: string, seq: number, extra: Partial<StatusReport> = {}): StatusReport {
  return {
    origin,
    seq,
    ageMs: 0,
    hops: 1,
    mining: false,
    anonymous: false,
    name: origin,
    tip: new Uint8Array(32),
    height: 0,
    hashrate: 0,
    peerCount: 1,
    links: [],
    arrivals: [],
    ...extra,
  };
}

function table(maxOrigins?: number) {
  const clock = { ms: 1_000_000 };
  return { clock, table: new StatusTable('me', () => clock.ms, maxOrigins) };
}

describe('serialAfter (RFC 1982 over u32)', () => {
  it('orders sequence numbers across the wrap', () => {
    expect(serialAfter(2, 1)).toBe(true);
    expect(serialAfter(1, 2)).toBe(false);
    expect(serialAfter(1, 1)).toBe(false);
    expect(serialAfter(0, 0xffffffff)).toBe(true);
    expect(serialAfter(0xffffffff, 0)).toBe(false);
    expect(serialAfter(0x8000_0001, 1)).toBe(false);
  });
});

describe('StatusTable', () => {
  it('keeps the latest report of each origin and places it on this node clock', () => {
    const { clock, table: t } = table();
    expect(t.offer(report('a', 5, { ageMs: 300 }), 'b')).toBe('accepted');
    expect(t.get('a')).toMatchObject({ madeAt: clock.ms - 300, distance: 2, from: 'b' });
    expect(t.offer(report('a', 4), 'c')).toBe('stale');
    expect(t.offer(report('a', 5), 'c')).toBe('stale');
    expect(t.offer(report('a', 6), 'c')).toBe('accepted');
    expect(t.get('a')?.from).toBe('c');
  });

  it('takes a direct peer at its word, and no relay about it while it speaks for itself', () => {
    const { table: t } = table();
    expect(t.offer(report('p', 100, { hops: 0 }), 'p')).toBe('accepted');
    expect(t.get('p')?.distance).toBe(1);
    expect(t.offer(report('p', 200), 'x')).toBe('ignored');
    // A reloaded peer restarts its seq lower: its own word still counts.
    expect(t.offer(report('p', 3, { hops: 0 }), 'p')).toBe('accepted');
    expect(t.get('p')?.report.seq).toBe(3);
  });

  it('ignores lies about the path, ourselves, too many hops and too old reports', () => {
    const { table: t } = table();
    expect(t.offer(report('a', 1, { hops: 0 }), 'b')).toBe('ignored'); // hops 0 from a relay
    expect(t.offer(report('b', 1, { hops: 2 }), 'b')).toBe('ignored'); // relayed "by itself"
    expect(t.offer(report('me', 9), 'b')).toBe('ignored');
    expect(t.offer(report('a', 1, { hops: MAX_STATUS_HOPS }), 'b')).toBe('ignored');
    expect(t.offer(report('a', 1, { hops: MAX_STATUS_HOPS - 1 }), 'b')).toBe('accepted');
    expect(t.offer(report('c', 1, { ageMs: STATUS_EXPIRY_MS }), 'b')).toBe('ignored');
    expect(t.size).toBe(1);
  });

  it('expires a report STATUS_EXPIRY_MS after its origin made it, however it was relayed', () => {
    const { clock, table: t } = table();
    t.setOwn(report('me', 1, { hops: 0 }));
    t.offer(report('a', 1, { ageMs: 5_000 }), 'b');
    clock.ms += STATUS_EXPIRY_MS - 5_001;
    expect(t.list().map((e) => e.report.origin)).toEqual(['me', 'a']);
    clock.ms += 1;
    expect(t.list().map((e) => e.report.origin)).toEqual(['me']);
    // Our own report never expires while we run.
    clock.ms += 10 * STATUS_EXPIRY_MS;
    expect(t.get('me')).toBeDefined();
  });

  it('drops a closed peer at once and refuses relayed copies of its last report', () => {
    const { clock, table: t } = table();
    t.offer(report('p', 10, { hops: 0 }), 'p');
    expect(t.dropPeer('p')).toBe(true);
    expect(t.get('p')).toBeUndefined();
    expect(t.offer(report('p', 10), 'x')).toBe('stale');
    expect(t.offer(report('p', 11), 'x')).toBe('accepted'); // alive elsewhere: a newer report
    expect(t.dropPeer('x')).toBe(false);
    clock.ms += STATUS_EXPIRY_MS;
    expect(t.list()).toEqual([]);
  });

  it('is bounded: a flood of new origins from one peer fills at most a quarter of it', () => {
    const { clock, table: t } = table(16);
    t.setOwn(report('me', 1, { hops: 0 }));
    t.offer(report('friend', 1, { hops: 0 }), 'friend');
    for (let i = 0; i < 100; i++) t.offer(report(`fake${i}`, 1), 'liar');
    expect(t.size).toBe(2 + 4);
    for (let i = 0; i < 30; i++) {
      clock.ms += 1;
      t.offer(report(`o${i}`, 1), `relay${i % 5}`);
    }
    expect(t.size).toBe(16);
    // Our own and the direct peer's reports are never evicted; the oldest relayed ones went.
    expect(t.get('me')).toBeDefined();
    expect(t.get('friend')).toBeDefined();
    expect(t.get('fake0')).toBeUndefined();
    expect(t.get('o29')).toBeDefined();
  });
});
