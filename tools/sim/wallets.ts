/**
 * The transaction load: a few simulated wallets with coins, and payments between them made at a
 * Poisson rate, each signed for real and handed to a random node as its user would
 * (`P2P.submitTx(tx, 'local')`), from where the node's own relay spreads it.
 *
 * The coins come from a short history every node starts with (`buildPreChain`): blocks whose
 * coinbases pay the wallets, `COINBASE_MATURITY` more blocks, and one block of transactions
 * that split each coinbase into hundreds of coins. All of it is mined and validated by a real
 * `NodeState`; each simulated node then opens a copy of that store.
 */
import {
  COINBASE_MATURITY,
  MemoryStore,
  NodeState,
  outpointKey,
  publicKeyOf,
  sha256,
  sighash,
  txSize,
  txid,
  type ChainParams,
  type Tx,
  type TxOut,
} from '../../core/index.js';
import { signSchnorr } from 'tiny-secp256k1';
import { solveHeader } from './miner.js';
import { SharedStore, type SharedBodies } from './shared-store.js';
import type { Prng } from './prng.js';
import type { Scheduler, TimerHandle } from './scheduler.js';
import type { SimNode } from './sim-node.js';

export interface SimWallet {
  secret: Uint8Array;
  pubkey: Uint8Array;
}

/** A coin the wallets made and may spend once some node has it confirmed. */
export interface WalletCoin {
  key: string;
  txid: Uint8Array;
  vout: number;
  amount: bigint;
  owner: number;
}

export interface PreChain {
  /** The store after the history: each node opens a copy (`copyStore`). */
  store: MemoryStore;
  wallets: SimWallet[];
  coins: WalletCoin[];
  height: number;
}

/** Wallets of the simulation (coins and payments are spread over them). */
export const WALLETS = 10;
/** Coins one split transaction makes (~16 kB, well under the standard size limit). */
const SPLIT_OUTPUTS = 400;
const encoder = new TextEncoder();

function wallet(index: number): SimWallet {
  const secret = sha256(encoder.encode(`tabcoin sim wallet ${index}`));
  return { secret, pubkey: publicKeyOf(secret) };
}

/**
 * A copy of `store` that shares its (immutable) blocks and coins, for one more node; with
 * `shared`, blocks the node stores later are shared with the other copies too (shared-store.ts).
 */
export function copyStore(store: MemoryStore, shared?: SharedBodies): MemoryStore {
  const copy = shared ? new SharedStore(shared) : new MemoryStore();
  for (const [id, entry] of store.entries) copy.entries.set(id, { ...entry });
  for (const [id, block] of store.blocks) copy.blocks.set(id, block);
  for (const [id, undo] of store.undo) copy.undo.set(id, undo);
  for (const [key, coin] of store.coins) copy.coins.set(key, coin);
  copy.tip = store.tip;
  return copy;
}

/** Outputs paying `total` to `owners`, split by random weights (an amount may be 0 when `total` is tiny). */
function split(total: bigint, owners: number[], wallets: SimWallet[], random: Prng): TxOut[] {
  const weights = owners.map(() => 1 + random.int(100));
  const sum = BigInt(weights.reduce((s, w) => s + w, 0));
  let left = total;
  return owners.map((owner, i) => {
    const amount = i === owners.length - 1 ? left : (total * BigInt(weights[i]!)) / sum;
    left -= amount;
    return { amount, pubkey: wallets[owner]!.pubkey };
  });
}

/** A payment of `inputs` to `outputs`, not signed yet (the witnesses are placeholders). */
function draft(inputs: readonly WalletCoin[], outputs: TxOut[]): Tx {
  return {
    version: 1,
    inputs: inputs.map((c) => ({
      prevout: { txid: c.txid, vout: c.vout },
      script: new Uint8Array(),
      witness: new Uint8Array(64),
    })),
    outputs,
    lockTime: 0,
  };
}

/** What a payment of `inputs` to `owners` leaves for the outputs at `feeRate`, after its fee. */
export function amountAfterFee(
  inputs: readonly WalletCoin[],
  owners: number[],
  feeRate: bigint,
  wallets: SimWallet[],
): bigint {
  const total = inputs.reduce((s, c) => s + c.amount, 0n);
  const outputs = owners.map((o) => ({ amount: 1n, pubkey: wallets[o]!.pubkey }));
  return total - feeRate * BigInt(txSize(draft(inputs, outputs)));
}

/**
 * `tx` signed by the owners of `inputs`, paying `feeRate` per byte out of `outputs`' total.
 * Throws a RangeError when the inputs cannot pay the fee (`amountAfterFee` tells beforehand).
 * What is left is split by random weights; an output of coins worn down to a few base units may
 * be 0 (valid: consensus refuses only negative amounts).
 */
export function payment(
  inputs: readonly WalletCoin[],
  owners: number[],
  feeRate: bigint,
  wallets: SimWallet[],
  random: Prng,
  genesisHash: Uint8Array,
): Tx {
  const left = amountAfterFee(inputs, owners, feeRate, wallets);
  if (left < 0n) {
    throw new RangeError(`inputs are ${-left} short of the fee for ${owners.length} outputs`);
  }
  const outputs = split(left, owners, wallets, random);
  const unsigned = draft(inputs, outputs);
  const message = sighash(unsigned, genesisHash);
  // As core's `signTx`, with fresh BIP340 auxiliary randomness per input, as a wallet gives (so
  // no two inputs share a signature, even with one key). Signed by libsecp256k1
  // (tiny-secp256k1), whose BIP340 signatures are the same bytes as @noble/curves' for the same
  // key, message and randomness, ten times faster: the simulator signs thousands.
  return {
    ...unsigned,
    inputs: unsigned.inputs.map((input, i) => {
      const aux = Uint8Array.from({ length: 32 }, () => random.int(256));
      const witness = signSchnorr(message, wallets[inputs[i]!.owner]!.secret, aux);
      return { ...input, witness };
    }),
  };
}

function coinsOf(tx: Tx, owners: number[]): WalletCoin[] {
  const id = txid(tx);
  return tx.outputs.map((output, vout) => ({
    key: outpointKey({ txid: id, vout }),
    txid: id,
    vout,
    amount: output.amount,
    owner: owners[vout]!,
  }));
}

/**
 * Mine the history that funds the wallets with at least `coinCount` coins, on a real
 * `NodeState`, one block a second from `startSeconds`.
 */
export async function buildPreChain(
  params: ChainParams,
  coinCount: number,
  startSeconds: number,
  random: Prng,
): Promise<PreChain> {
  const wallets = Array.from({ length: WALLETS }, (_, i) => wallet(i));
  const store = new MemoryStore();
  const state = await NodeState.open(params, store);
  let time = startSeconds;
  const mine = async (payTo: Uint8Array): Promise<Tx> => {
    const { block } = await state.template(payTo, ++time);
    const solved = { ...block, header: solveHeader(block.header) };
    const result = await state.processBlock(solved, time);
    if (!result.ok || result.change.connected.length !== 1) {
      throw new Error(`pre-chain block refused: ${result.ok ? 'not connected' : result.reason}`);
    }
    return block.txs[0]!;
  };
  const funding = Math.ceil(coinCount / SPLIT_OUTPUTS);
  const coinbases: WalletCoin[] = [];
  for (let i = 0; i < funding; i++) {
    coinbases.push(...coinsOf(await mine(wallets[i % WALLETS]!.pubkey), [i % WALLETS]));
  }
  const burn = wallet(WALLETS).pubkey;
  for (let i = 0; i < COINBASE_MATURITY; i++) await mine(burn);
  const coins: WalletCoin[] = [];
  for (const coinbase of coinbases) {
    const count = Math.min(SPLIT_OUTPUTS, coinCount - coins.length);
    const owners = Array.from({ length: count }, () => random.int(WALLETS));
    const tx = payment([coinbase], owners, 1n, wallets, random, params.genesisHash);
    const accepted = await state.acceptTx(tx, time);
    if (!accepted.ok) throw new Error(`pre-chain split refused: ${accepted.reason}`);
    coins.push(...coinsOf(tx, owners));
  }
  await mine(burn);
  if (state.mempool.size !== 0) throw new Error('pre-chain splits did not fit one block');
  return { store, wallets, coins, height: state.chain.height };
}

export interface TxLoadOptions {
  preChain: PreChain;
  /** Payments per second, network-wide. */
  perSecond: number;
  scheduler: Scheduler;
  random: Prng;
  genesisHash: Uint8Array;
  /** The node a payment is made at (its user's tab). */
  pickNode(): SimNode;
  onError(error: Error): void;
}

/** Payments between the wallets at a Poisson rate, each at a random node. */
export class TxLoad {
  private timer: TimerHandle | undefined;
  private readonly available: WalletCoin[];
  /** Payments handed to a node, and those it accepted. */
  made = 0;
  accepted = 0;
  /**
   * Times no coin confirmed at the chosen node was found among a few tries, or the coins found
   * could not pay the fee (dust: they are set aside).
   */
  starved = 0;
  readonly refused: Record<string, number> = {};

  constructor(private readonly options: TxLoadOptions) {
    if (!(options.perSecond > 0)) throw new RangeError('perSecond must be positive');
    this.available = [...options.preChain.coins];
  }

  start(): void {
    const { scheduler, random, perSecond } = this.options;
    this.timer = scheduler.after(random.exponential(perSecond / 1000), () => {
      this.start();
      this.make().catch((err: unknown) => this.options.onError(err as Error));
    });
  }

  stop(): void {
    this.options.scheduler.cancel(this.timer);
    this.timer = undefined;
  }

  /**
   * One payment at a random node: 1–3 coins its chain has confirmed (and no pending payment
   * spends), paid to 1–3 random wallets at 1–20 base units per byte.
   */
  private async make(): Promise<void> {
    const { random, preChain } = this.options;
    const node = this.options.pickNode();
    const want = 1 + random.int(3);
    const inputs: WalletCoin[] = [];
    for (let tries = 0; tries < 3 * want && inputs.length < want; tries++) {
      if (this.available.length === 0) break;
      const i = random.int(this.available.length);
      const coin = this.available[i]!;
      const [confirmed] = await node.state.chain.getCoins([coin.key]);
      if (!confirmed || node.state.mempool.spenderOf(coin.key)) continue;
      inputs.push(coin);
      this.available[i] = this.available[this.available.length - 1]!;
      this.available.pop();
    }
    if (inputs.length === 0) {
      this.starved++;
      return;
    }
    const owners = Array.from({ length: 1 + random.int(3) }, () => random.int(WALLETS));
    const feeRate = BigInt(1 + random.int(20));
    if (amountAfterFee(inputs, owners, feeRate, preChain.wallets) < 0n) {
      // Dust: fees and splits wore these coins down until they cannot pay a payment's fee. A
      // wallet would leave them unspent; they leave the load.
      this.starved++;
      return;
    }
    const tx = payment(inputs, owners, feeRate, preChain.wallets, random, this.options.genesisHash);
    this.made++;
    const rejection = await node.p2p.submitTx(tx, 'local');
    if (rejection) {
      this.refused[rejection.reason] = (this.refused[rejection.reason] ?? 0) + 1;
      this.available.push(...inputs);
      return;
    }
    this.accepted++;
    this.available.push(...coinsOf(tx, owners));
  }
}
