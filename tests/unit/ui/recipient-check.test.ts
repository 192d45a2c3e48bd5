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

  it('names the real mistake: a space inside, a character addresses never use, mixed case', () => {
    const spaced = `${address.slice(0, 20)} ${address.slice(20)}`;
    const space = checkRecipient(spaced, 'regtest');
    expect(space).toMatchObject({ state: 'invalid', code: 'format' });
    expect(space.state === 'invalid' && space.message).toMatch(/contains a space .* character 21/);
    const withB = `${address.slice(0, 10)}b${address.slice(11)}`;
    const b = checkRecipient(withB, 'regtest');
    expect(b.state === 'invalid' && b.message).toMatch(/^"b" \(character 11\) never appears/);
    expect(b.state === 'invalid' && b.message).toContain('after tcrt1 only');
    const main = encodeAddress(key, 'main');
    const onMain = checkRecipient(`${main.slice(0, 8)}o${main.slice(9)}`, 'main');
    expect(onMain.state === 'invalid' && onMain.message).toContain('after tc1 only');
    const mixed = checkRecipient(address.slice(0, 12) + address.slice(12).toUpperCase(), 'regtest');
    expect(mixed.state === 'invalid' && mixed.message).toMatch(/mixes upper- and lower-case/);
    expect(checkRecipient(address.toUpperCase(), 'regtest')).toMatchObject({ state: 'valid' });
  });

  it('refuses text that is no address at all', () => {
    expect(checkRecipient('hello world', 'regtest')).toMatchObject({ state: 'invalid' });
  });
});
