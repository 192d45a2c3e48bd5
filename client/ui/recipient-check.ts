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
  const mistake = spotMistake(text, network);
  if (mistake) return { state: 'invalid', message: mistake, code: 'format' };
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

/** The bech32 characters an address uses after its `1` (no b, i, o or 1). */
const BECH32_CHARS = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

/**
 * What is wrong with text that starts like an address, named precisely: a space inside, a
 * character addresses never use (which one, where), or mixed case. Undefined otherwise.
 */
function spotMistake(text: string, network: NetworkName): string | undefined {
  const space = /\s/.exec(text);
  if (space)
    return `The address contains a space or line break (at character ${space.index + 1}): remove it; addresses have none.`;
  const prefix = /^(tc|tcrt)1/i.exec(text);
  if (!prefix) return undefined;
  const data = text.slice(prefix[0].length);
  const at = [...data].findIndex((c) => !BECH32_CHARS.includes(c.toLowerCase()));
  if (at >= 0) {
    const shown = ADDRESS_PREFIX[network];
    return (
      `"${data[at]}" (character ${prefix[0].length + at + 1}) never appears in an address: after ` +
      `${shown}1 only digits other than 1 and letters other than b, i and o are used. Check it for a typo.`
    );
  }
  if (text !== text.toLowerCase() && text !== text.toUpperCase())
    return 'The address mixes upper- and lower-case letters: paste it exactly as copied.';
  return undefined;
}
