/**
 * The wallet's key from its backup words: a 12-word BIP39 mnemonic (English wordlist, empty
 * BIP39 passphrase) → 64-byte seed → BIP32 key at WALLET_PATH → the BIP340 x-only public key,
 * which is the address (no taproot tweak: Tabcoin outputs pay the key itself).
 */
import { HDKey } from '@scure/bip32';
import { entropyToMnemonic, mnemonicToSeedSync, validateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { publicKeyOf, reject, type Result } from '../../core/index.js';

/**
 * BIP86's layout (purpose 86', coin type 1' as for test networks, account 0', receive chain,
 * first address): one key per wallet, so the same words restore the same address anywhere.
 */
export const WALLET_PATH = "m/86'/1'/0'/0/0";
/** 128 bits of entropy: 12 words. */
export const MNEMONIC_WORDS = 12;

export interface WalletKey {
  secret: Uint8Array;
  pubkey: Uint8Array;
}

/** A fresh 12-word mnemonic from `randomBytes` (crypto.getRandomValues in the browser). */
export function generateMnemonic(randomBytes: (n: number) => Uint8Array): string {
  const entropy = randomBytes(16);
  if (!(entropy instanceof Uint8Array) || entropy.length !== 16) {
    throw new TypeError('randomBytes(16) must return 16 bytes');
  }
  return entropyToMnemonic(entropy, wordlist);
}

/**
 * A mnemonic as typed (any case, extra spaces) in canonical form, or `bad-mnemonic` saying what
 * is wrong: the word count, a word not on the list, or a checksum that does not match.
 * @example checkMnemonic(' Abandon  abandon … about ') // { ok: true, value: 'abandon abandon … about' }
 */
export function checkMnemonic(text: string): Result<string> {
  const words = (typeof text === 'string' ? text : '').trim().toLowerCase().split(/\s+/);
  if (words.length === 1 && words[0] === '') return bad('enter the 12 backup words');
  if (words.length !== MNEMONIC_WORDS) {
    return bad(`a backup has ${MNEMONIC_WORDS} words; this has ${words.length}`);
  }
  const unknown = words.filter((w) => !wordlist.includes(w));
  if (unknown.length > 0) {
    return bad(
      `not a backup word: ${unknown.map((w) => `"${w}"`).join(', ')} (check the spelling)`,
    );
  }
  const mnemonic = words.join(' ');
  if (!validateMnemonic(mnemonic, wordlist)) {
    return bad('the words do not match their checksum: check their order and spelling');
  }
  return { ok: true, value: mnemonic };
}

/**
 * The key at `path` of a valid (canonical) mnemonic.
 * @example deriveKey('abandon abandon … about').pubkey // 55355ca8…0116 (BIP86 test key, coin type 1)
 */
export function deriveKey(mnemonic: string, path: string = WALLET_PATH): WalletKey {
  const seed = mnemonicToSeedSync(mnemonic, '');
  const secret = HDKey.fromMasterSeed(seed).derive(path).privateKey;
  seed.fill(0);
  if (!secret) throw new Error(`no private key at ${path}`);
  return { secret, pubkey: publicKeyOf(secret) };
}

function bad(message: string): Result<string> {
  return reject('bad-mnemonic', message, 'policy');
}
