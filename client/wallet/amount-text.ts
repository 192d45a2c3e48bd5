/**
 * Amounts as people type and read them: decimal coin strings ("1.5") to bigint base units and
 * back. Exact decimal arithmetic on strings and bigints; no floating point anywhere, so
 * "0.1 + 0.2" problems cannot reach a transaction.
 */
import { COIN, MAX_MONEY, reject, type Result } from '../../core/index.js';

/** Decimal places of a coin: one base unit is 0.00000001. */
export const COIN_DECIMALS = 8;

/**
 * Parse a coin amount typed by a user into base units. Accepts digits with at most one decimal
 * point and up to 8 decimals ("1", "1.5", ".25", "0.00000001"); refuses with `bad-amount` and
 * a message saying what is wrong.
 * @example parseCoins('1.5') // { ok: true, value: 150000000n }
 */
export function parseCoins(text: string): Result<bigint> {
  if (typeof text !== 'string') return bad('enter the amount as text, e.g. 1.5');
  const trimmed = text.trim();
  if (trimmed === '') return bad('enter an amount');
  if (/^[-−]/.test(trimmed)) return bad('an amount cannot be negative');
  if (/^\d*,\d+$/.test(trimmed)) return bad('use a point as the decimal separator, e.g. 1.5');
  const match = /^(\d*)(?:\.(\d*))?$/.exec(trimmed);
  if (!match || (match[1] === '' && !match[2])) {
    return bad(`"${clip(trimmed)}" is not an amount: use digits and at most one decimal point`);
  }
  const whole = match[1] ?? '';
  const fraction = match[2] ?? '';
  if (fraction.length > COIN_DECIMALS) {
    return bad(`at most ${COIN_DECIMALS} decimal places (the smallest amount is 0.00000001)`);
  }
  const units =
    BigInt(whole === '' ? '0' : whole) * COIN + BigInt(fraction.padEnd(COIN_DECIMALS, '0') || '0');
  if (units > MAX_MONEY) {
    return bad(`more than the ${formatCoins(MAX_MONEY)}-coin supply`);
  }
  return { ok: true, value: units };
}

/**
 * Base units as a decimal coin string, without trailing zeros; negative amounts keep their
 * sign (history shows what was sent as negative).
 * @example formatCoins(150000000n) // '1.5'
 */
export function formatCoins(units: bigint): string {
  if (typeof units !== 'bigint') throw new TypeError('units must be a bigint');
  const sign = units < 0n ? '-' : '';
  const abs = units < 0n ? -units : units;
  const whole = abs / COIN;
  const fraction = (abs % COIN).toString().padStart(COIN_DECIMALS, '0').replace(/0+$/, '');
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
}

function bad(message: string): Result<bigint> {
  return reject('bad-amount', message, 'policy');
}

function clip(text: string): string {
  return text.length > 24 ? `${text.slice(0, 24)}…` : text;
}
