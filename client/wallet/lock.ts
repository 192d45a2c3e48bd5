/**
 * Passphrase lock at rest (WebCrypto): the mnemonic is encrypted with AES-256-GCM under a key
 * stretched from the passphrase by PBKDF2-HMAC-SHA256, with a random salt and IV per lock.
 * GCM's tag makes a wrong passphrase fail cleanly instead of yielding garbage words.
 */

/** OWASP's 2023 figure for PBKDF2-HMAC-SHA256; about 0.2-0.5 s per unlock. */
export const PBKDF2_ITERATIONS = 600_000;
/** Fewer than this in a stored or imported record is refused (too cheap to brute-force). */
export const MIN_PBKDF2_ITERATIONS = 200_000;
const SALT_BYTES = 16;
const IV_BYTES = 12;

export interface LockedSecret {
  kdf: 'PBKDF2-SHA256';
  iterations: number;
  salt: Uint8Array;
  cipher: 'AES-256-GCM';
  iv: Uint8Array;
  /** Ciphertext with the 16-byte GCM tag appended. */
  ciphertext: Uint8Array;
}

/** Encrypt `text` (the mnemonic) under `passphrase`. */
export async function encryptSecret(
  text: string,
  passphrase: string,
  randomBytes: (n: number) => Uint8Array,
  iterations = PBKDF2_ITERATIONS,
): Promise<LockedSecret> {
  if (typeof passphrase !== 'string' || passphrase === '') {
    throw new RangeError('passphrase must be a non-empty string');
  }
  const salt = randomBytes(SALT_BYTES);
  const iv = randomBytes(IV_BYTES);
  const key = await stretch(passphrase, salt, iterations);
  const plain = new TextEncoder().encode(text);
  const ciphertext = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv: bufferOf(iv) }, key, plain),
  );
  plain.fill(0);
  return { kdf: 'PBKDF2-SHA256', iterations, salt, cipher: 'AES-256-GCM', iv, ciphertext };
}

/** The text locked in `locked`, or undefined when `passphrase` is not the one it was locked with. */
export async function decryptSecret(
  locked: LockedSecret,
  passphrase: string,
): Promise<string | undefined> {
  const key = await stretch(passphrase, locked.salt, locked.iterations);
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: bufferOf(locked.iv) },
      key,
      bufferOf(locked.ciphertext),
    );
    return new TextDecoder('utf-8', { fatal: true }).decode(plain);
  } catch {
    return undefined;
  }
}

/** True when `value` has the shape of a `LockedSecret` this code can open. */
export function isLockedSecret(value: unknown): value is LockedSecret {
  const v = value as Partial<LockedSecret> | undefined;
  return (
    typeof v === 'object' &&
    v !== null &&
    v.kdf === 'PBKDF2-SHA256' &&
    v.cipher === 'AES-256-GCM' &&
    Number.isSafeInteger(v.iterations) &&
    (v.iterations ?? 0) >= MIN_PBKDF2_ITERATIONS &&
    (v.iterations ?? 0) <= 10_000_000 &&
    v.salt instanceof Uint8Array &&
    v.salt.length >= SALT_BYTES &&
    v.iv instanceof Uint8Array &&
    v.iv.length === IV_BYTES &&
    v.ciphertext instanceof Uint8Array &&
    v.ciphertext.length > 16
  );
}

async function stretch(passphrase: string, salt: Uint8Array, iterations: number) {
  const material = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(passphrase.normalize('NFKC')),
    'PBKDF2',
    false,
    ['deriveKey'],
  );
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: bufferOf(salt), iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** A standalone ArrayBuffer copy (WebCrypto's types refuse views over shared buffers). */
function bufferOf(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer as ArrayBuffer;
}
