/**
 * The node's key pair, kept in its IndexedDB `wallet` store. The address is the public key
 * (bech32m). Backup, restore and passphrase locking come with the wallet UI.
 */
import { publicKeyOf } from '../../core/index.js';
import type { NodeDb } from '../storage/db.js';

const KEY_RECORD = 'key';

export interface WalletKey {
  secret: Uint8Array;
  pubkey: Uint8Array;
}

export async function loadOrCreateKey(
  db: NodeDb,
  randomBytes: (n: number) => Uint8Array,
): Promise<WalletKey> {
  const stored = (await db.get('wallet', KEY_RECORD)) as { secret?: unknown } | undefined;
  if (stored?.secret instanceof Uint8Array && stored.secret.length === 32) {
    return { secret: stored.secret, pubkey: publicKeyOf(stored.secret) };
  }
  for (;;) {
    const secret = randomBytes(32);
    try {
      const pubkey = publicKeyOf(secret); // throws for the ~2^-128 chance of an invalid scalar
      await db.put('wallet', { secret, createdAt: Date.now() }, KEY_RECORD);
      return { secret, pubkey };
    } catch (err) {
      if (!(err instanceof Error) || /store|quota|transaction/i.test(err.message)) throw err;
    }
  }
}
