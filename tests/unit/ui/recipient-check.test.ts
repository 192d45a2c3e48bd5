/** Checking a recipient as it is typed: valid, incomplete, a typo, another network. */
import { describe, expect, it } from 'vitest';
import { encodeAddress, toHex } from '../../../core/index.js';
import { checkRecipient } from '../../../client/ui/recipient-check.js';
import { testKey } from '../../helpers/regtest.js';

const key = testKey(7).pubkey;
const address = encodeAddress(key, 'regtest');

describe('checkRecipient', () => {
  it('accepts an address of this network and a raw 64-hex public key', () => {
    expect(checkRecipient(address, 'regtest')).toEqual({ state: 'valid', pubkey: key, raw: false });
    expect(checkRecipient(` ${toHex(key)} `, 'regtest')).toMatchObject({
      state: 'valid',
      raw: true,
    });
  });

  it('says how much is missing while an address or key is being typed', () => {
    expect(checkRecipient('', 'regtest')).toEqual({ state: 'empty' });
    expect(checkRecipient(address.slice(0, -3), 'regtest')).toEqual({
      state: 'incomplete',
      message: 'Keep typing: 3 more character(s).',
    });
    expect(checkRecipient(toHex(key).slice(0, 10), 'regtest').state).toBe('incomplete');
  });

  it('calls a changed character a typo (checksum), and names the other network', () => {
    const swapped = address.slice(0, -1) + (address.endsWith('q') ? 'p' : 'q');
    const typo = checkRecipient(swapped, 'regtest');
    expect(typo).toMatchObject({ state: 'invalid', code: 'checksum' });
    expect(typo.state === 'invalid' && typo.message).toMatch(/typo/);
    const main = checkRecipient(encodeAddress(key, 'main'), 'regtest');
    expect(main).toMatchObject({ state: 'invalid', code: 'network' });
    expect(main.state === 'invalid' && main.message).toMatch(/for main, this node is on regtest/);
  });

  it('refuses text that is no address at all', () => {
    expect(checkRecipient('hello world', 'regtest')).toMatchObject({ state: 'invalid' });
  });
});
