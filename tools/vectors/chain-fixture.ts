/**
 * The chain the block and wire vectors share: a 12-block regtest chain after genesis (block h
 * pays key1; block 12 also carries a payment spending block 1's coinbase), and the helpers
 * that build blocks on it (regtest proof of work needs about two tries).
 */
import {
  COIN,
  REGTEST,
  blockMerkle,
  blockSubsidy,
  checkProofOfWork,
  createCoinbase,
  encodeHeader,
  headerHash,
  sha256,
  signTx,
  txid,
  type Block,
  type BlockHeader,
  type ChainParams,
  type Tx,
  type TxOut,
} from '../../core/index.js';
import { KEYS, auxFor } from './fixtures.js';

export const [key1, key2, key3] = KEYS as [(typeof KEYS)[0], (typeof KEYS)[0], (typeof KEYS)[0]];
export const G = REGTEST.genesis.header;
/** The clock the chain vectors are validated at (seconds): after every block, within limits. */
export const CHAIN_NOW = G.time + 1_000;
export const label = (text: string) => sha256(new TextEncoder().encode(text));

export function mine(header: Omit<BlockHeader, 'nonce'>, valid = true): BlockHeader {
  for (let nonce = 0; ; nonce++) {
    const candidate = { ...header, nonce };
    if (checkProofOfWork(encodeHeader(candidate)) === valid) return candidate;
  }
}

export function block(parent: BlockHeader, txs: Tx[], opts: Partial<BlockHeader> = {}): Block {
  const header = mine({
    version: 1,
    prevHash: headerHash(parent),
    merkleRoot: blockMerkle(txs).root,
    time: parent.time + 10,
    bits: REGTEST.powLimitBits,
    ...opts,
  });
  return { header, txs };
}

export const coinbase = (height: number, outputs: TxOut[], tag?: string) =>
  createCoinbase({ height, outputs, tag: tag ? new TextEncoder().encode(tag) : undefined });

export function spend(prevout: { txid: Uint8Array; vout: number }, outputs: TxOut[]): Tx {
  return {
    version: 1,
    inputs: [{ prevout, script: new Uint8Array(), witness: new Uint8Array() }],
    outputs,
    lockTime: 0,
  };
}

export function sign(name: string, tx: Tx, params: ChainParams, secrets: Uint8Array[]): Tx {
  return signTx(
    tx,
    params.genesisHash,
    (i) => secrets[i]!,
    (i) => auxFor(name, i),
  );
}

/** The 12-block regtest chain: block h pays key1; block 12 also carries `transfer`. */
function buildChain() {
  const subsidy = blockSubsidy(1, REGTEST);
  const coinbases = Array.from({ length: 12 }, (_, i) =>
    coinbase(i + 1, [{ amount: subsidy, pubkey: key1.pubkey }]),
  );
  const fee = 10_000n;
  const transfer = sign(
    'transfer-regtest',
    spend({ txid: txid(coinbases[0]!), vout: 0 }, [
      { amount: 10n * COIN, pubkey: key2.pubkey },
      { amount: subsidy - 10n * COIN - fee, pubkey: key1.pubkey },
    ]),
    REGTEST,
    [key1.secret],
  );
  coinbases[11] = coinbase(12, [{ amount: subsidy + fee, pubkey: key1.pubkey }]);
  const blocks: Block[] = [];
  let parent = G;
  for (let h = 1; h <= 12; h++) {
    const b = block(parent, h === 12 ? [coinbases[11]!, transfer] : [coinbases[h - 1]!]);
    blocks.push(b);
    parent = b.header;
  }
  return { blocks, coinbases, transfer, subsidy };
}

export const chain = buildChain();

/** The chain's blocks and its payment, for the wire vectors. */
export function vectorChain(): { blocks: readonly Block[]; transfer: Tx } {
  return { blocks: chain.blocks, transfer: chain.transfer };
}
