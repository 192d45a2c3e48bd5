/**
 * Checking a recipient as it is typed (no DOM): a complete, valid address or raw public key
 * of this node's network; a hint while it is still incomplete; or the reason it is wrong
 * (typo caught by the checksum, another network, not a key at all).
 */
import {
  AddressError,
  ADDRESS_PREFIX,
  parseRecipient,
  type NetworkName,
} from '../../core/index.js';

/** Characters after the `1` of an address: 52 for 32 bytes, plus a 6-character checksum. */
const ADDRESS_DATA_CHARS = 58;

export type RecipientCheck =
  | { state: 'empty' }
  | { state: 'incomplete'; message: string }
  | { state: 'invalid'; message: string; code: string }
  | { state: 'valid'; pubkey: Uint8Array; raw: boolean };

export function checkRecipient(input: string, network: NetworkName): RecipientCheck {
  const text = input.trim();
  if (text === '') return { state: 'empty' };
  const prefix = /^(tc|tcrt)1([02-9ac-hj-np-z]*)$/i.exec(text);
  if (prefix && prefix[2]!.length < ADDRESS_DATA_CHARS) {
    const left = ADDRESS_DATA_CHARS - prefix[2]!.length;
    return { state: 'incomplete', message: `Keep typing: ${left} more character(s).` };
  }
  if (/^[0-9a-f]{1,63}$/i.test(text) && !/^(tc|tcrt)1/i.test(text)) {
    return {
      state: 'incomplete',
      message: `A raw public key has 64 hex digits; this has ${text.length}.`,
    };
  }
  try {
    const pubkey = parseRecipient(text, network);
    return { state: 'valid', pubkey, raw: /^[0-9a-f]{64}$/i.test(text) };
  } catch (err) {
    if (!(err instanceof AddressError)) throw err;
    const message =
      err.code === 'checksum'
        ? `This address has a typo: its checksum does not match. Copy it again from the recipient.`
        : err.code === 'network'
          ? `${err.message} (addresses here start with ${ADDRESS_PREFIX[network]}1).`
          : err.message;
    return { state: 'invalid', message, code: err.code };
  }
}
