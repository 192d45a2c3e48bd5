/** Unwrapping core's typed results in tests: fail loudly when the other outcome comes back. */
import type { Rejection, Result } from '../../core/primitives/result.js';

export function rejection<T>(result: Result<T>): Rejection {
  if (result.ok) throw new Error('expected a rejection, got a value');
  return result;
}

export function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`unexpected rejection: ${result.reason} ${result.message}`);
  return result.value;
}
