/**
 * The wallet's key record in the node's `wallet` store: the public key (all mining needs) and
 * the mnemonic, either in clear or, with a passphrase lock, only encrypted (lock.ts). The first
 * version kept a random secret key under `key`; it is moved aside to `legacy-key` (no users
 * relied on it yet) and a mnemonic wallet replaces it.
 */
import { toHex } from '../../core/index.js';
import type { NodeDb } from '../storage/db.js';
import { isLockedSecret, type LockedSecret } from './lock.js';

export const SEED_RECORD = 'seed';
/** Where the first version's random key lived, and where it is kept after migration. */
const V1_KEY_RECORD = 'key';
const LEGACY_KEY_RECORD = 'legacy-key';

export interface SeedRecord {
  version: 2;
  /** BIP32 path of the key (keys.ts WALLET_PATH). */
  path: string;
  /** x-only public key: the address. */
  pubkey: Uint8Array;
  /** ms since the epoch. */
  createdAt: number;
  /** The mnemonic in clear, when no passphrase lock is set. */
  mnemonic?: string;
  /** The mnemonic encrypted, when a passphrase lock is set (then `mnemonic` is absent). */
  locked?: LockedSecret;
}

/**
 * The stored key record, or undefined when there is none. Throws when one is there but cannot
 * be read (a newer version, damage): a fresh wallet must never overwrite someone's key.
 */
export async function loadSeedRecord(db: NodeDb): Promise<SeedRecord | undefined> {
  const value = (await db.get('wallet', SEED_RECORD)) as Partial<SeedRecord> | undefined;
  if (value === undefined) return undefined;
  const readable =
    value?.version === 2 &&
    value.pubkey instanceof Uint8Array &&
    value.pubkey.length === 32 &&
    typeof value.path === 'string' &&
    (typeof value.mnemonic === 'string') !== isLockedSecret(value.locked);
  if (!readable) {
    throw new Error(
      `this node's wallet record (version ${String(value?.version)}) cannot be read by this version of Tabcoin`,
    );
  }
  return value as SeedRecord;
}

/**
 * Move a first-version random key (`key`: `{ secret, createdAt }`) to `legacy-key`, where
 * nothing uses it. Returns its public key in hex when there was one.
 */
export async function moveLegacyKey(
  db: NodeDb,
  publicKeyOf: (secret: Uint8Array) => Uint8Array,
): Promise<string | undefined> {
  const tx = db.transaction('wallet', 'readwrite');
  const old = (await tx.store.get(V1_KEY_RECORD)) as { secret?: unknown } | undefined;
  if (!old) {
    await tx.done;
    return undefined;
  }
  await tx.store.put(old, LEGACY_KEY_RECORD);
  await tx.store.delete(V1_KEY_RECORD);
  await tx.done;
  const secret = old.secret;
  if (!(secret instanceof Uint8Array) || secret.length !== 32) return undefined;
  try {
    return toHex(publicKeyOf(secret));
  } catch {
    return undefined;
  }
}
