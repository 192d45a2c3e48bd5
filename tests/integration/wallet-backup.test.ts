/**
 * Keeping the key: the passphrase lock at rest (nothing secret in clear while locked, sending
 * needs an unlock, mining does not), backup files (clear and encrypted) round trips, restoring
 * a mnemonic on another node (history rebuilt from the stored chain), and the move from the
 * first version's random key.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { COIN, COINBASE_MATURITY, publicKeyOf, toHex } from '../../core/index.js';
import type { NodeDb } from '../../client/storage/db.js';
import { deriveKey } from '../../client/wallet/keys.js';
import type { Wallet } from '../../client/wallet/wallet.js';
import { link, makeNode, stopAll, type TestNode } from '../helpers/net.js';
import { testKey } from '../helpers/regtest.js';
import { TEST_MNEMONIC, mineTo, openWallet, randomBytes } from '../helpers/wallet-node.js';

const nodes: TestNode[] = [];
const wallets: Wallet[] = [];

async function node(name: string): Promise<TestNode> {
  const n = await makeNode(name);
  nodes.push(n);
  return n;
}

async function open(n: TestNode, db?: NodeDb): Promise<{ wallet: Wallet; db: NodeDb }> {
  const opened = await openWallet(n, db);
  wallets.push(opened.wallet);
  return opened;
}

afterEach(() => {
  for (const w of wallets.splice(0)) w.stop();
  stopAll(nodes.splice(0));
});

/** Every stored wallet record as text: strings as they are, bytes in hex, bigints in decimal. */
async function storedText(db: NodeDb): Promise<string> {
  const records = await db.getAll('wallet');
  return JSON.stringify(records, (_key, value: unknown) =>
    value instanceof Uint8Array
      ? toHex(value)
      : typeof value === 'bigint'
        ? value.toString()
        : value,
  );
}

const ok = { ok: true, value: undefined };

describe('passphrase lock', () => {
  it('locks the key at rest: no clear secret stored, sending refused, mining and receiving unaffected', async () => {
    const a = await node('a');
    const { wallet, db } = await open(a);
    await wallet.restore(TEST_MNEMONIC);
    const secret = toHex(deriveKey(TEST_MNEMONIC).secret);
    expect(await storedText(db)).toContain(TEST_MNEMONIC); // no lock: words stored in clear
    await mineTo(a, wallet.pubkey, COINBASE_MATURITY + 1);

    await wallet.lock('correct horse');
    expect(wallet.isLocked()).toBe(true);
    expect(wallet.hasPassphrase()).toBe(true);
    const stored = await storedText(db);
    expect(stored).not.toContain(TEST_MNEMONIC);
    for (const word of ['abandon', 'about']) expect(stored).not.toContain(word);
    expect(stored).not.toContain(secret);
    expect(stored).toContain('PBKDF2-SHA256');
    expect(() => wallet.mnemonic()).toThrow(/locked/);
    const request = { to: toHex(testKey(2).pubkey), amount: COIN, feeRate: 2n, sign: true };
    expect(await wallet.send(request)).toMatchObject({ ok: false, reason: 'wallet-locked' });
    expect((await wallet.preview(request)).ok).toBe(true); // reviewing needs no secret
    await mineTo(a, wallet.pubkey, 1); // the miner needs only the public key
    expect((await wallet.history())[0]).toMatchObject({ height: 12, coinbase: true });

    expect(await wallet.unlock('correct horsf')).toMatchObject({
      ok: false,
      reason: 'bad-passphrase',
    });
    expect(wallet.isLocked()).toBe(true);
    expect(await wallet.unlock('correct horse')).toEqual(ok);
    expect(wallet.isLocked()).toBe(false);
    expect(wallet.mnemonic()).toBe(TEST_MNEMONIC);
    expect(await storedText(db)).not.toContain(TEST_MNEMONIC); // unlocked in memory only
    expect((await wallet.send(request)).ok).toBe(true);

    // A reload finds it locked again, same address.
    const reopened = (await open(a, db)).wallet;
    expect(reopened.isLocked()).toBe(true);
    expect(reopened.address).toBe(wallet.address);

    // Removing the lock needs the passphrase; then the words are stored in clear again.
    expect(await reopened.removeLock('nope')).toMatchObject({
      ok: false,
      reason: 'bad-passphrase',
    });
    expect(await reopened.removeLock('correct horse')).toEqual(ok);
    expect(reopened.hasPassphrase()).toBe(false);
    expect(await storedText(db)).toContain(TEST_MNEMONIC);
    expect((await open(a, db)).wallet.isLocked()).toBe(false);
  });

  it('lock replaces an earlier passphrase, and cannot be applied while locked', async () => {
    const { wallet } = await open(await node('a'));
    await wallet.lock('first');
    await expect(wallet.lock('second')).rejects.toThrow(/locked/);
    expect(await wallet.unlock('first')).toEqual(ok);
    await wallet.lock('second');
    expect(await wallet.unlock('first')).toMatchObject({ ok: false, reason: 'bad-passphrase' });
    expect(await wallet.unlock('second')).toEqual(ok);
    await expect(wallet.lock('')).rejects.toThrow(RangeError);
  });
});

describe('backup files', () => {
  it('round-trips a clear backup into another node, which rebuilds the history from its chain', async () => {
    const [a, b] = [await node('a'), await node('b')];
    link(a, b);
    const alice = (await open(a)).wallet;
    await mineTo(a, alice.pubkey, COINBASE_MATURITY + 1);
    await alice.send({ to: toHex(testKey(2).pubkey), amount: 3n * COIN, feeRate: 2n, sign: true });
    await mineTo(a, testKey(2).pubkey, 1, { withMempool: true });
    await expect.poll(() => b.state.chain.height).toBe(COINBASE_MATURITY + 2);

    const text = await alice.exportBackup();
    expect(JSON.parse(text)).toMatchObject({
      format: 'tabcoin-wallet-backup',
      address: alice.address,
      mnemonic: alice.mnemonic(),
      path: "m/86'/1'/0'/0/0",
    });
    const other = (await open(b)).wallet;
    expect(await other.importBackup(text)).toEqual(ok);
    expect(other.address).toBe(alice.address);
    expect(await other.history()).toEqual(await alice.history());
    expect(await other.balances()).toEqual(await alice.balances());
  });

  it('an encrypted backup needs its passphrase and stays locked under it', async () => {
    const a = await node('a');
    const alice = (await open(a)).wallet;
    const words = alice.mnemonic();
    await alice.lock('s3cret');
    const text = await alice.exportBackup(); // works while locked: the stored ciphertext
    expect(text).not.toContain(words.split(' ')[0]! + ' ');
    expect(JSON.parse(text)).toMatchObject({ encrypted: { kdf: 'PBKDF2-SHA256' } });

    const other = (await open(a)).wallet;
    const before = other.address;
    expect(await other.importBackup(text)).toMatchObject({
      ok: false,
      reason: 'bad-passphrase',
      message: expect.stringMatching(/encrypted/),
    });
    expect(await other.importBackup(text, 'S3cret')).toMatchObject({
      ok: false,
      reason: 'bad-passphrase',
    });
    expect(other.address).toBe(before);
    expect(await other.importBackup(text, 's3cret')).toEqual(ok);
    expect(other.address).toBe(alice.address);
    expect(other.hasPassphrase()).toBe(true);
    expect(other.mnemonic()).toBe(words); // unlocked for this session after the import
  });

  it('refuses text that is not a backup, or whose words do not match its address', async () => {
    const w = (await open(await node('a'))).wallet;
    expect(await w.importBackup('hello')).toMatchObject({ ok: false, reason: 'bad-backup' });
    expect(await w.importBackup('{"format":"x"}')).toMatchObject({
      ok: false,
      reason: 'bad-backup',
    });
    const backup = JSON.parse(await w.exportBackup()) as Record<string, string>;
    const forged = { ...backup, mnemonic: TEST_MNEMONIC };
    expect(await w.importBackup(JSON.stringify(forged))).toMatchObject({
      ok: false,
      reason: 'bad-backup',
      message: expect.stringMatching(/do not match/),
    });
    const badWords = { ...backup, mnemonic: 'abandon '.repeat(12) };
    expect(await w.importBackup(JSON.stringify(badWords))).toMatchObject({
      ok: false,
      reason: 'bad-mnemonic',
    });
  });
});

describe('the first version of the key record', () => {
  it('is moved aside and replaced by a wallet with backup words, saying so', async () => {
    const a = await node('a');
    const { db } = await open(a);
    await db.clear('wallet');
    const oldSecret = randomBytes(32);
    await db.put('wallet', { secret: oldSecret, createdAt: 1 }, 'key');
    const { wallet } = await open(a, db);
    expect(wallet.openNotice).toMatch(/backup words/);
    expect(wallet.openNotice).toContain(toHex(publicKeyOf(oldSecret)).slice(0, 16));
    expect(wallet.mnemonic().split(' ')).toHaveLength(12);
    expect(await db.get('wallet', 'key')).toBeUndefined();
    expect(await db.get('wallet', 'legacy-key')).toMatchObject({ secret: oldSecret });
    expect((await open(a, db)).wallet.openNotice).toBeUndefined();
  });

  it('a key record this version cannot read is left alone, never replaced', async () => {
    const a = await node('a');
    const { db } = await open(a);
    const future = { version: 3, something: 'new' };
    await db.put('wallet', future, 'seed');
    await expect(openWallet(a, db)).rejects.toThrow(/version 3\) cannot be read/);
    expect(await db.get('wallet', 'seed')).toEqual(future);
  });
});
