/**
 * Byte helpers shared by every codec: hex, concatenation, comparison. Hex goes through
 * @noble/hashes, which uses the engine's own `Uint8Array.prototype.toHex` / `fromHex` where they
 * exist (Chromium 140+) and a 256-entry table elsewhere: every outpoint key of every block's
 * inputs is hex, so this sits on the block path, where code often runs before V8 optimises it.
 */
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';

/** Lower-case hex of `bytes`, e.g. `toHex(Uint8Array.of(1, 255)) === '01ff'`. */
export function toHex(bytes: Uint8Array): string {
  return bytesToHex(bytes);
}

/** Bytes from an even-length hex string; throws `TypeError` naming the argument otherwise. */
export function fromHex(text: string, name = 'hex'): Uint8Array {
  if (typeof text !== 'string' || text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) {
    throw new TypeError(`${name} must be an even-length hex string`);
  }
  return hexToBytes(text);
}

/** A copy of `bytes` in reverse order (Bitcoin shows hashes byte-reversed). */
export function reverseBytes(bytes: Uint8Array): Uint8Array {
  return Uint8Array.from(bytes).reverse();
}

/** Display hex (byte-reversed) of an internal-order hash. */
export function hashToHex(hash: Uint8Array): string {
  return toHex(reverseBytes(hash));
}

/** Internal-order hash bytes from display hex; throws on anything but 64 hex digits. */
export function hexToHash(text: string, name = 'hash'): Uint8Array {
  const bytes = fromHex(text, name);
  if (bytes.length !== 32) throw new TypeError(`${name} must be 32 bytes (64 hex digits)`);
  return bytes.reverse();
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Unsigned big-endian integer of `bytes` read as a little-endian number (hash vs target). */
export function bytesToBigIntLE(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]!);
  return value;
}

export function assertBytes(
  value: unknown,
  name: string,
  length?: number,
): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8Array`);
  if (length !== undefined && value.length !== length) {
    throw new RangeError(`${name} must be ${length} bytes, got ${value.length}`);
  }
}
