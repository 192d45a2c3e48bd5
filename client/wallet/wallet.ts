/**
 * The node's wallet: one key from 12 backup words (keys.ts), balances and history over the
 * node's chain and mempool, sending (signed through the node's validation and relay, or
 * unsigned on purpose to watch peers refuse it), an optional passphrase lock at rest (lock.ts),
 * and backup/restore. No DOM: the browser node and the tests construct it the same way.
 */
import { Pacer } from '../pacer.js';
import {
  encodeAddress,
  equalBytes,
  publicKeyOf,
  reject,
  signTx,
  toHex,
  txidHex,
  type NetworkName,
  type NodeState,
  type Result,
  type Tx,
} from '../../core/index.js';
import { Emitter } from '../events.js';
import { DEFAULT_BAN_MS } from '../net/bans.js';
import type { P2P } from '../net/p2p.js';
import type { NodeDb } from '../storage/db.js';
import { decodeBackup, encodeBackup } from './backup.js';
import { HistoryIndex, indexKeyRanges, type HistoryEntry } from './history.js';
import { HistorySync } from './history-sync.js';
import { checkMnemonic, deriveKey, generateMnemonic, WALLET_PATH, type WalletKey } from './keys.js';
import { decryptSecret, encryptSecret } from './lock.js';
import { walletBalance, type WalletBalance } from './balance.js';
import { suggestFeeRate, type FeeSuggestion } from './fee-rate.js';
import { preparePayment, sendableAll, type SendRequest } from './payment.js';
import { loadSeedRecord, moveLegacyKey, SEED_RECORD, type SeedRecord } from './seed-record.js';

export { formatCoins, parseCoins } from './amount-text.js';
export type { HistoryEntry } from './history.js';
export type { SendRequest } from './payment.js';
export type { WalletBalance } from './balance.js';
export { DEFAULT_FEE_RATE, type FeeSuggestion } from './fee-rate.js';

export interface WalletOptions {
  db: NodeDb;
  state: NodeState;
  p2p: P2P;
  network: NetworkName;
  /** `n` cryptographically random bytes (crypto.getRandomValues). */
  random: (n: number) => Uint8Array;
  /** Milliseconds since the epoch; default Date.now. */
  now?: () => number;
}

export interface WalletEvents extends Record<string, unknown> {
  /** Balances, history or lock state may have changed: read them again. */
  changed: void;
  /** Something the user should read (an unsigned send, a failed history update). */
  notice: string;
  /** A restore replaced the key: the miner must pay the new one. */
  'key-changed': { address: string; pubkey: Uint8Array };
}

/** What a send will do, for the review step. */
export interface SendPreview {
  fee: bigint;
  /** Back to us (0 when the coins cover amount + fee exactly). */
  change: bigint;
  /** Coins spent. */
  inputs: number;
  /** Amount + fee: what leaves this wallet. */
  total: bigint;
  recipient: Uint8Array;
}

export interface SendResult {
  txid: string;
  fee: bigint;
  /** For an unsigned send: who it went to and what they will do about it. */
  notice?: string;
}

export class Wallet extends Emitter<WalletEvents> {
  /** Set when opening replaced an older key record (say so to the user once). */
  openNotice: string | undefined = undefined;
  private key: WalletKey | undefined = undefined;
  private words: string | undefined = undefined;
  private work: Promise<unknown> = Promise.resolve();
  private sending: Promise<unknown> = Promise.resolve();
  private catchUpQueued = false;
  private readonly pace = Pacer.forTip(() => this.state.chain);
  private readonly unsubscribe: (() => void)[] = [];
  private readonly db: NodeDb;
  private readonly state: NodeState;
  private readonly p2p: P2P;
  private readonly random: (n: number) => Uint8Array;
  private readonly now: () => number;

  private constructor(
    readonly network: NetworkName,
    options: WalletOptions,
    private record: SeedRecord,
    private tracker: HistorySync,
  ) {
    super();
    this.db = options.db;
    this.state = options.state;
    this.p2p = options.p2p;
    this.random = options.random;
    this.now = options.now ?? Date.now;
  }

  /**
   * Open the wallet kept in `db` (creating one with fresh backup words the first time), bring
   * its history up to the node's chain and mempool, and follow them from then on.
   */
  static async open(options: WalletOptions): Promise<Wallet> {
    const { db, network } = options;
    let record = await loadSeedRecord(db);
    let notice: string | undefined;
    if (!record) {
      const legacy = await moveLegacyKey(db, publicKeyOf);
      const words = generateMnemonic(options.random);
      const fields = { path: WALLET_PATH, pubkey: deriveKey(words).pubkey };
      record = {
        ...keyFields({ ...fields, createdAt: (options.now ?? Date.now)() }),
        mnemonic: words,
      };
      await saveSeed(db, record);
      if (legacy) {
        notice = `This node's wallet now has backup words and a new address; the old key (${legacy.slice(0, 16)}…) is kept aside, unused.`;
      }
    }
    const tracker = await HistorySync.load(db, options.state, toHex(record.pubkey));
    const wallet = new Wallet(network, options, record, tracker);
    if (record.mnemonic) wallet.takeWords(record.mnemonic);
    wallet.openNotice = notice;
    wallet.unsubscribe.push(
      options.p2p.on('chain-changed', () => wallet.scheduleCatchUp()),
      options.p2p.on('tx-accepted', ({ id }) =>
        wallet.background(async () => {
          if (await wallet.tracker.addPending(id)) wallet.emit('changed', undefined);
        }),
      ),
    );
    await wallet.exclusive(() => wallet.catchUp());
    return wallet;
  }

  /** Stop following the node (the database stays open: it is the node's). */
  stop(): void {
    this.pace.stop();
    for (const off of this.unsubscribe.splice(0)) off();
  }

  /** The public key, bech32m-encoded for this node's network. */
  get address(): string {
    return encodeAddress(this.record.pubkey, this.network);
  }

  /** The 32-byte x-only public key (what the miner pays). */
  get pubkey(): Uint8Array {
    return this.record.pubkey;
  }

  /** One total and its parts (spendable + immature + incoming = total); see balance.ts. */
  async balances(): Promise<WalletBalance> {
    const confirmed = await this.state.chain.coinsByOwner(toHex(this.pubkey));
    return walletBalance(this.pubkey, confirmed, this.state.mempool, this.state.chain.height);
  }

  /** The most a payment at `feeRate` can send now ("Send everything"), and its fee. */
  sendableAll(feeRate: bigint): Promise<{ amount: bigint; fee: bigint; inputs: number }> {
    return sendableAll(this.state, this.pubkey, feeRate);
  }

  /** A fee rate for a payment made now, from what waits in the mempool. */
  suggestedFeeRate(): FeeSuggestion {
    return suggestFeeRate(this.state.mempool);
  }

  /** Transactions paying or spending our key, newest first (pending ones on top). */
  async history(): Promise<HistoryEntry[]> {
    await this.idle();
    return this.tracker.entries(this.network);
  }

  /** What `send(req)` would do, or why it cannot. Needs no unlock. */
  async preview(req: SendRequest): Promise<Result<SendPreview>> {
    const prepared = await preparePayment(this.state, this.pubkey, this.network, req);
    if (!prepared.ok) return prepared;
    const { tx, fee, change, recipient } = prepared.value;
    const value = { fee, change, inputs: tx.inputs.length, total: req.amount + fee, recipient };
    return { ok: true, value };
  }

  /**
   * Pay `req.amount` to `req.to`. Signed: validated by this node, relayed, and pending in the
   * history when this resolves. Unsigned (`sign: false`): sent raw to every connected peer,
   * which refuses it (`bad-signature`) and bans this tab for a while; nothing is kept here.
   */
  send(req: SendRequest): Promise<Result<SendResult>> {
    const run = this.sending.then(() => this.sendNow(req));
    this.sending = run.catch(() => undefined);
    return run;
  }

  private async sendNow(req: SendRequest): Promise<Result<SendResult>> {
    const key = this.key;
    if (req.sign && !key) return locked('unlock the wallet with its passphrase to send');
    const prepared = await preparePayment(this.state, this.pubkey, this.network, req);
    if (!prepared.ok) return prepared;
    const { tx, fee } = prepared.value;
    if (!req.sign || !key) return this.broadcastUnsigned(tx, fee);
    const signed = signTx(
      tx,
      this.state.params.genesisHash,
      () => key.secret,
      () => this.random(32),
    );
    const refused = await this.p2p.submitTx(signed, 'local');
    if (refused) return refused;
    await this.idle(); // the tx-accepted listener has queued the history update
    return { ok: true, value: { txid: txidHex(signed), fee } };
  }

  private broadcastUnsigned(tx: Tx, fee: bigint): Result<SendResult> {
    const peers = [...this.p2p.peers.values()].filter((p) => p.state === 'ready');
    if (peers.length === 0) {
      const message = 'no peers are connected: nobody to send the unsigned transaction to';
      return reject('no-peers', message, 'policy');
    }
    for (const peer of peers) peer.send({ type: 'tx', tx });
    const id = txidHex(tx);
    const notice =
      `Sent unsigned transaction ${id.slice(0, 16)}… to ${peers.length} peer${peers.length === 1 ? '' : 's'}, ` +
      `skipping this node's own checks. They refuse it (bad-signature) and ban this tab ` +
      `(${DEFAULT_BAN_MS / 60_000} minutes by default).`;
    this.emit('notice', notice);
    return { ok: true, value: { txid: id, fee, notice } };
  }

  /** The 12 backup words. Throws when the wallet is locked. */
  mnemonic(): string {
    if (!this.words) throw new Error('the wallet is locked: unlock it to see the backup words');
    return this.words;
  }

  /** True when a passphrase lock is set and not unlocked in this session. */
  isLocked(): boolean {
    return this.key === undefined;
  }

  /** True when the backup words are stored encrypted (a passphrase lock is set). */
  hasPassphrase(): boolean {
    return this.record.locked !== undefined;
  }

  /**
   * Encrypt the backup words at rest under `passphrase` (replacing any earlier passphrase) and
   * forget the secret key until `unlock`. Throws if already locked or `passphrase` is empty.
   */
  lock(passphrase: string): Promise<void> {
    return this.exclusive(async () => {
      if (!this.words) throw new Error('the wallet is locked: unlock it before locking it again');
      const lockedWords = await encryptSecret(this.words, passphrase, this.random);
      await this.replaceRecord({ ...keyFields(this.record), locked: lockedWords });
      this.key = undefined;
      this.words = undefined;
      this.emit('changed', undefined);
    });
  }

  /** Decrypt the key for this session (it stays encrypted at rest). */
  unlock(passphrase: string): Promise<Result<void>> {
    return this.exclusive(async () => {
      const opened = await this.openLock(passphrase);
      if (!opened.ok) return opened;
      this.emit('changed', undefined);
      return done();
    });
  }

  /** Remove the passphrase lock: the backup words are stored in clear again. */
  removeLock(passphrase: string): Promise<Result<void>> {
    return this.exclusive(async () => {
      const opened = await this.openLock(passphrase);
      if (!opened.ok) return opened;
      await this.replaceRecord({ ...keyFields(this.record), mnemonic: this.mnemonic() });
      this.emit('changed', undefined);
      return done();
    });
  }

  /**
   * Replace this node's key with the one `mnemonic` restores (locked at rest under
   * `passphrase` if given, unlocked for this session); the history is rebuilt by rescanning
   * the stored active chain.
   */
  async restore(mnemonic: string, passphrase?: string): Promise<Result<void>> {
    const checked = checkMnemonic(mnemonic);
    if (!checked.ok) return checked;
    const words = checked.value;
    return this.exclusive(async () => {
      const key = deriveKey(words);
      const record = keyFields({ path: WALLET_PATH, pubkey: key.pubkey, createdAt: this.now() });
      if (passphrase) record.locked = await encryptSecret(words, passphrase, this.random);
      else record.mnemonic = words;
      await saveSeed(this.db, record);
      this.record = record;
      this.key = key;
      this.words = words;
      this.tracker = new HistorySync(this.db, this.state, new HistoryIndex(toHex(key.pubkey)));
      await this.catchUp();
      this.emit('key-changed', { address: this.address, pubkey: this.pubkey });
      return done();
    });
  }

  /** A backup file (JSON): the backup words, encrypted as stored when a passphrase is set. */
  async exportBackup(): Promise<string> {
    return encodeBackup({
      network: this.network,
      address: this.address,
      path: this.record.path,
      now: new Date(this.now()),
      mnemonic: this.record.locked ? undefined : this.mnemonic(),
      locked: this.record.locked,
    });
  }

  /**
   * Restore from a backup file. An encrypted backup needs the passphrase it was locked with
   * and stays locked under it; a clear one is locked under `passphrase` when given.
   */
  async importBackup(text: string, passphrase?: string): Promise<Result<void>> {
    const decoded = decodeBackup(text);
    if (!decoded.ok) return decoded;
    const backup = decoded.value;
    if (backup.path !== WALLET_PATH) {
      return reject('bad-backup', `unsupported key path ${backup.path}`, 'policy');
    }
    let words = backup.mnemonic;
    if (backup.locked) {
      if (!passphrase) {
        return badPassphrase('this backup is encrypted: enter the passphrase it was locked with');
      }
      words = await decryptSecret(backup.locked, passphrase);
      if (words === undefined) return badPassphrase('wrong passphrase for this backup');
    }
    const checked = checkMnemonic(words ?? '');
    if (!checked.ok) return checked;
    if (!equalBytes(deriveKey(checked.value).pubkey, backup.pubkey)) {
      return reject('bad-backup', "the backup's words do not match its address", 'policy');
    }
    return this.restore(checked.value, passphrase);
  }

  /** One catch-up per burst of chain changes, moments after the tip moved (client/pacer.ts). */
  private scheduleCatchUp(): void {
    if (this.catchUpQueued) return;
    this.catchUpQueued = true;
    this.pace.run(() =>
      this.background(() => {
        this.catchUpQueued = false;
        return this.catchUp();
      }),
    );
  }

  /** Bring the history up to the chain and mempool (see HistorySync.catchUp). */
  private async catchUp(): Promise<void> {
    await this.tracker.catchUp();
    this.emit('changed', undefined);
  }

  // ---- keys and records ----

  private takeWords(words: string): void {
    const key = deriveKey(words, this.record.path);
    if (!equalBytes(key.pubkey, this.record.pubkey)) {
      throw new Error('the stored backup words do not match the stored public key');
    }
    this.words = words;
    this.key = key;
  }

  private async openLock(passphrase: string): Promise<Result<void>> {
    const lockedWords = this.record.locked;
    if (!lockedWords) return done();
    const words = await decryptSecret(lockedWords, passphrase);
    if (words === undefined) return badPassphrase('wrong passphrase');
    this.takeWords(words);
    return done();
  }

  private async replaceRecord(record: SeedRecord): Promise<void> {
    await this.db.put('wallet', record, SEED_RECORD);
    this.record = record;
  }

  // ---- serial work ----

  /** Run `task` after every earlier key or history change (one at a time). */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    this.pace.now(); // a catch-up waiting for its turn (RELAY_FIRST_MS) goes first
    const run = this.work.then(task, task);
    this.work = run.catch(() => undefined);
    return run;
  }

  /** An index update in reaction to the node: failures become notices. */
  private background(task: () => Promise<void>): void {
    this.exclusive(task).catch((err: unknown) =>
      this.emit('notice', `wallet history: ${(err as Error).message ?? String(err)}`),
    );
  }

  /** Resolves once every queued update has run. */
  private async idle(): Promise<void> {
    this.pace.now(); // a catch-up waiting for its turn runs now: the caller reads the history
    await this.work;
  }
}

/** Write a new key record and clear the history index of the old key, in one transaction. */
async function saveSeed(db: NodeDb, record: SeedRecord): Promise<void> {
  const tx = db.transaction('wallet', 'readwrite');
  await Promise.all([
    ...indexKeyRanges().map((range) => tx.store.delete(range)),
    tx.store.put(record, SEED_RECORD),
    tx.done,
  ]);
}

/** A key record without its secret part (the caller adds `mnemonic` or `locked`). */
function keyFields(r: Pick<SeedRecord, 'path' | 'pubkey' | 'createdAt'>): SeedRecord {
  return { version: 2, path: r.path, pubkey: r.pubkey, createdAt: r.createdAt };
}

function done(): Result<void> {
  return { ok: true, value: undefined };
}

function locked(message: string): Result<never> {
  return reject('wallet-locked', message, 'policy');
}

function badPassphrase(message: string): Result<never> {
  return reject('bad-passphrase', message, 'policy');
}
