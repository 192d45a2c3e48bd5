/** The official BIP340 test vectors (tests/fixtures/bip340-test-vectors.csv), parsed. */
import { readFileSync } from 'node:fs';
import { fromHex } from '../../core/index.js';

export interface Bip340Vector {
  index: number;
  publicKey: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
  valid: boolean;
  comment: string;
}

export function bip340Vectors(): Bip340Vector[] {
  const csv = readFileSync(new URL('../fixtures/bip340-test-vectors.csv', import.meta.url), 'utf8');
  const [head, ...rows] = csv.trim().split(/\r?\n/);
  if (
    head !== 'index,secret key,public key,aux_rand,message,signature,verification result,comment'
  ) {
    throw new Error(`unexpected BIP340 vector columns: ${head}`);
  }
  return rows.map((row) => {
    const [index, , publicKey, , message, signature, result, ...comment] = row.split(',');
    return {
      index: Number(index),
      publicKey: fromHex(publicKey!.toLowerCase()),
      message: fromHex(message!.toLowerCase()),
      signature: fromHex(signature!.toLowerCase()),
      valid: result === 'TRUE',
      comment: comment.join(','),
    };
  });
}
