/**
 * Addresses: the 32-byte x-only public key itself, bech32m-encoded (BIP350) with a network
 * prefix, so a mistyped key fails its checksum instead of paying a stranger. Raw 64-hex public
 * keys are accepted as input too.
 */
import { bech32m } from '@scure/base';
import { assertBytes, fromHex, toHex } from './bytes.js';
import { isValidPublicKey } from './keys.js';

export type NetworkName = 'main' | 'regtest';

export const ADDRESS_PREFIX: Record<NetworkName, string> = { main: 'tc', regtest: 'tcrt' };

/** Thrown by `decodeAddress`; `code` says which check failed. */
export class AddressError extends Error {
  constructor(
    readonly code: 'checksum' | 'prefix' | 'length' | 'not-on-curve' | 'format' | 'network',
    message: string,
  ) {
    super(message);
    this.name = 'AddressError';
  }
}

/** `tc1…` (main) or `tcrt1…` (regtest) address of a 32-byte x-only public key. */
export function encodeAddress(pubkey: Uint8Array, network: NetworkName): string {
  assertBytes(pubkey, 'pubkey', 32);
  const prefix = ADDRESS_PREFIX[network];
  if (!prefix) throw new TypeError(`network must be 'main' or 'regtest', got ${String(network)}`);
  return bech32m.encode(prefix, bech32m.toWords(pubkey));
}

/** Network and public key of an address; throws `AddressError` with a clear message. */
export function decodeAddress(address: string): { network: NetworkName; pubkey: Uint8Array } {
  if (typeof address !== 'string') throw new AddressError('format', 'address must be a string');
  const text = address.trim();
  const decoded = bech32m.decodeUnsafe(text as `${string}1${string}`, 90);
  if (!decoded) {
    const looksBech32 = /^[a-z0-9]+1[02-9ac-hj-np-z]+$/i.test(text);
    const hasPrefix = /^(tc|tcrt)1/i.test(text);
    throw new AddressError(
      looksBech32 ? 'checksum' : 'format',
      looksBech32
        ? 'address checksum does not match: check it for a typo'
        : hasPrefix
          ? "address contains a character addresses never use (b, i, o or 1 after 'tc1'): check it for a typo"
          : 'not a Tabcoin address (expected tc1… or tcrt1…)',
    );
  }
  const network = (Object.keys(ADDRESS_PREFIX) as NetworkName[]).find(
    (name) => ADDRESS_PREFIX[name] === decoded.prefix,
  );
  if (!network) {
    throw new AddressError(
      'prefix',
      `unknown address prefix "${decoded.prefix}" (expected tc or tcrt)`,
    );
  }
  const pubkey = bech32m.fromWordsUnsafe(decoded.words);
  if (!pubkey || pubkey.length !== 32) {
    throw new AddressError('length', 'address must encode a 32-byte public key');
  }
  if (!isValidPublicKey(pubkey)) {
    throw new AddressError('not-on-curve', 'address does not encode a valid public key');
  }
  return { network, pubkey };
}

/**
 * A recipient as a user types it: an address of `network`, or a raw 64-hex public key.
 * Throws `AddressError` (e.g. code `network` for a main address on regtest).
 */
export function parseRecipient(input: string, network: NetworkName): Uint8Array {
  const text = typeof input === 'string' ? input.trim() : '';
  if (/^[0-9a-fA-F]{64}$/.test(text)) {
    const pubkey = fromHex(text);
    if (!isValidPublicKey(pubkey)) {
      throw new AddressError('not-on-curve', 'that hex is not a valid public key');
    }
    return pubkey;
  }
  const decoded = decodeAddress(text);
  if (decoded.network !== network) {
    throw new AddressError(
      'network',
      `that address is for ${decoded.network}, this node is on ${network}`,
    );
  }
  return decoded.pubkey;
}

/** Raw hex form of a public key (what `parseRecipient` also accepts). */
export function publicKeyHex(pubkey: Uint8Array): string {
  return toHex(pubkey);
}
