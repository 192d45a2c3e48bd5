/** Coin amounts as text: exact decimal parsing and formatting, with clear refusals. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COIN, MAX_MONEY } from '../../core/index.js';
import { formatCoins, parseCoins } from '../../client/wallet/wallet.js';

const units = (text: string) => {
  const result = parseCoins(text);
  return result.ok ? result.value : result.message;
};

describe('parseCoins / formatCoins', () => {
  it('reads the amounts people type', () => {
    expect(units('1.5')).toBe(150_000_000n);
    expect(units(' 2 ')).toBe(2n * COIN);
    expect(units('.25')).toBe(25_000_000n);
    expect(units('5.')).toBe(5n * COIN);
    expect(units('0.00000001')).toBe(1n);
    expect(units('0')).toBe(0n);
    expect(units('21000000')).toBe(MAX_MONEY);
    expect(units('007.10')).toBe(710_000_000n);
  });

  it('refuses what is not an amount, saying why', () => {
    expect(units('1.2.3')).toMatch(/at most one decimal point/);
    expect(units('-1')).toMatch(/cannot be negative/);
    expect(units('1.123456789')).toMatch(/at most 8 decimal places/);
    expect(units('21000000.00000001')).toMatch(/more than the 21000000-coin supply/);
    expect(units('1,5')).toMatch(/decimal separator/);
    expect(units('')).toMatch(/enter an amount/);
    expect(units('.')).toMatch(/not an amount/);
    expect(units('1e3')).toMatch(/not an amount/);
    expect(units('+1')).toMatch(/not an amount/);
    expect(units('0x10')).toMatch(/not an amount/);
    expect(units('1 000')).toMatch(/not an amount/);
    expect(parseCoins('abc')).toMatchObject({ ok: false, reason: 'bad-amount' });
  });

  it('writes amounts without trailing zeros, negative ones with their sign', () => {
    expect(formatCoins(150_000_000n)).toBe('1.5');
    expect(formatCoins(COIN)).toBe('1');
    expect(formatCoins(1n)).toBe('0.00000001');
    expect(formatCoins(0n)).toBe('0');
    expect(formatCoins(-150_000_440n)).toBe('-1.5000044');
    expect(formatCoins(MAX_MONEY)).toBe('21000000');
  });

  it('round-trips every amount up to the money supply', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_MONEY }), (amount) => {
        const text = formatCoins(amount);
        expect(text).toMatch(/^\d+(\.\d{0,7}[1-9])?$/);
        expect(parseCoins(text)).toEqual({ ok: true, value: amount });
      }),
    );
  });

  it('reads any well-formed decimal exactly, as integer arithmetic would', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 21_000_000n }),
        fc.stringMatching(/^\d{0,8}$/),
        (whole, fraction) => {
          const text = fraction === '' ? `${whole}` : `${whole}.${fraction}`;
          const expected = whole * COIN + BigInt(fraction.padEnd(8, '0'));
          const result = parseCoins(text);
          if (expected <= MAX_MONEY) expect(result).toEqual({ ok: true, value: expected });
          else expect(result).toMatchObject({ ok: false, reason: 'bad-amount' });
        },
      ),
    );
  });

  it('never throws on arbitrary text, and only accepts what formats back to the same value', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (text) => {
        const result = parseCoins(text);
        if (!result.ok) {
          expect(result.reason).toBe('bad-amount');
          return;
        }
        expect(result.value).toBeGreaterThanOrEqual(0n);
        expect(result.value).toBeLessThanOrEqual(MAX_MONEY);
        expect(parseCoins(formatCoins(result.value))).toEqual(result);
      }),
    );
  });
});
