/**
 * Wallet backup files: JSON text holding the mnemonic, in clear or (for a locked wallet) in its
 * encrypted form exactly as stored, plus the address so a restore can be checked.
 */
import {
  decodeAddress,
  fromHex,
  reject,
  toHex,
  type NetworkName,
  type Result,
} from '../../core/index.js';
import { isLockedSecret, type LockedSecret } from './lock.js';

export const BACKUP_FORMAT = 'tabcoin-wallet-backup';
export const BACKUP_VERSION = 1;

interface BackupFile {
  format: typeof BACKUP_FORMAT;
  version: typeof BACKUP_VERSION;
  network: NetworkName;
  address: string;
  path: string;
  /** ISO time of the export. */
  exportedAt: string;
  mnemonic?: string;
  encrypted?: {
    kdf: LockedSecret['kdf'];
    iterations: number;
    salt: string;
    cipher: LockedSecret['cipher'];
    iv: string;
    ciphertext: string;
  };
}

export interface BackupContents {
  /** Public key of the backed-up wallet (from its address). */
  pubkey: Uint8Array;
  path: string;
  mnemonic?: string;
  locked?: LockedSecret;
}

export function encodeBackup(fields: {
  network: NetworkName;
  address: string;
  path: string;
  now: Date;
  mnemonic?: string;
  locked?: LockedSecret;
}): string {
  const file: BackupFile = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    network: fields.network,
    address: fields.address,
    path: fields.path,
    exportedAt: fields.now.toISOString(),
  };
  if (fields.locked) {
    const l = fields.locked;
    file.encrypted = {
      kdf: l.kdf,
      iterations: l.iterations,
      salt: toHex(l.salt),
      cipher: l.cipher,
      iv: toHex(l.iv),
      ciphertext: toHex(l.ciphertext),
    };
  } else {
    file.mnemonic = fields.mnemonic;
  }
  return JSON.stringify(file, null, 2);
}

/** The contents of a backup file, or `bad-backup` saying why it cannot be read. */
export function decodeBackup(text: string): Result<BackupContents> {
  let file: Partial<BackupFile>;
  try {
    file = JSON.parse(text) as Partial<BackupFile>;
  } catch {
    return bad('not a Tabcoin wallet backup (the text is not JSON)');
  }
  if (typeof file !== 'object' || file === null || file.format !== BACKUP_FORMAT) {
    return bad('not a Tabcoin wallet backup');
  }
  if (file.version !== BACKUP_VERSION) {
    return bad(`backup version ${String(file.version)} is not supported (expected 1)`);
  }
  let pubkey: Uint8Array;
  try {
    pubkey = decodeAddress(String(file.address)).pubkey;
  } catch (err) {
    return bad(`the backup's address is damaged: ${(err as Error).message}`);
  }
  const path = typeof file.path === 'string' ? file.path : '';
  if (typeof file.mnemonic === 'string')
    return { ok: true, value: { pubkey, path, mnemonic: file.mnemonic } };
  const e = file.encrypted;
  try {
    const locked = e && {
      kdf: e.kdf,
      iterations: e.iterations,
      salt: fromHex(e.salt),
      cipher: e.cipher,
      iv: fromHex(e.iv),
      ciphertext: fromHex(e.ciphertext),
    };
    if (isLockedSecret(locked)) return { ok: true, value: { pubkey, path, locked } };
  } catch {
    // Bad hex: reported below with every other malformed field.
  }
  return bad('the backup holds neither backup words nor a readable encrypted copy of them');
}

function bad(message: string): Result<BackupContents> {
  return reject('bad-backup', message, 'policy');
}
