/**
 * Checkers for the consensus vector files (encoding, addresses, compact bits, difficulty,
 * genesis, transactions). Each checks one vector against the code in both directions and
 * throws (node:assert) on any difference; they share nothing with the generator.
 */
import { deepStrictEqual as same, ok, strictEqual as equal, throws } from 'node:assert/strict';
import {
  ADDRESS_PREFIX,
  AddressError,
  ByteWriter,
  GENESIS_MESSAGE,
  MAIN,
  MapCoinView,
  NETWORKS,
  REGTEST,
  SignatureCache,
  bitsToTarget,
  blockMerkle,
  checkProofOfWork,
  checkTxInputs,
  checkTxSanity,
  coinbaseHeight,
  concatBytes,
  decodeAddress,
  decodeAll,
  decodeBlock,
  decodeTx,
  encodeAddress,
  encodeBlock,
  encodeHeader,
  encodeTx,
  encodeTxNoWitness,
  hashToHex,
  headerHash,
  headerId,
  isCoinbase,
  nextBitsLwma,
  outpointKey,
  publicKeyOf,
  sha256,
  sighash,
  signMessage,
  targetToBits,
  toHex,
  txSize,
  txid,
  txidHex,
  verifySignature,
  workFromBits,
  wtxid,
  type NetworkName,
  type TimedBits,
} from '../../../core/index.js';
import { bytes, headerFrom, txFrom } from './from-json.js';
import type { FileSpec, J } from './spec.js';

const hex64 = (n: bigint) => n.toString(16).padStart(64, '0');
const reasonOf = (result: { ok: boolean; reason?: string }) => (result.ok ? 'ok' : result.reason);

export const encoding: FileSpec = {
  compactSize: {
    kind: 'valid',
    check: (v: J) => {
      equal(toHex(new ByteWriter().varint(v.value).finish()), v.hex);
      same(
        decodeAll(bytes(v.hex), 'varint', (r) => r.varint()),
        { ok: true, value: v.value },
      );
    },
  },
  invalid: {
    kind: 'invalid',
    check: (v: J) =>
      equal(reasonOf(decodeAll(bytes(v.hex), 'varint', (r) => r.varint())), v.reason),
  },
};

export const addresses: FileSpec = {
  valid: {
    kind: 'valid',
    check: (v: J) => {
      equal(encodeAddress(bytes(v.pubkey), v.network), v.address.toLowerCase());
      const decoded = decodeAddress(v.address);
      same([decoded.network, toHex(decoded.pubkey)], [v.network, v.pubkey]);
      equal(
        v.address.toLowerCase().startsWith(`${ADDRESS_PREFIX[v.network as NetworkName]}1`),
        true,
      );
    },
  },
  invalid: {
    kind: 'invalid',
    check: (v: J) =>
      throws(
        () => decodeAddress(v.address),
        (err: unknown) => err instanceof AddressError && err.code === v.error,
      ),
  },
};

export const compactBits: FileSpec = {
  decode: {
    kind: 'valid',
    inputs: ['bits'],
    check: (v: J) => {
      equal(hex64(bitsToTarget(v.bits)), v.target);
      equal(workFromBits(v.bits).toString(), v.work);
    },
  },
  encode: {
    kind: 'valid',
    inputs: ['target'],
    check: (v: J) => equal(targetToBits(BigInt(`0x${v.target}`)), v.bits),
  },
};

const retarget = {
  targetSpacing: MAIN.targetSpacing,
  window: MAIN.retargetWindow,
  powLimit: MAIN.powLimit,
};

export const difficulty: FileSpec = {
  params: {
    kind: 'whole',
    check: (v: J) =>
      same(v, {
        targetSpacing: MAIN.targetSpacing,
        retargetWindow: MAIN.retargetWindow,
        powLimitBits: MAIN.powLimitBits,
      }),
  },
  cases: {
    kind: 'valid',
    inputs: ['blocks'],
    check: (v: J) => equal(nextBitsLwma(v.blocks as TimedBits[], retarget), v.nextBits),
  },
  chain: {
    kind: 'whole',
    inputs: ['time'],
    check: (chain: J) => {
      same(chain[0], { time: MAIN.genesis.header.time, bits: MAIN.genesis.header.bits });
      for (let i = 1; i < chain.length; i++) {
        const window = chain.slice(Math.max(0, i - 31), i) as TimedBits[];
        equal(chain[i].bits, nextBitsLwma(window, retarget), `chain block ${i}`);
      }
    },
  },
};

export const genesis: FileSpec = {
  networks: {
    kind: 'valid',
    check: (v: J) => {
      const params = NETWORKS[v.network as NetworkName];
      ok(params, `network ${v.network}`);
      equal(v.addressPrefix, ADDRESS_PREFIX[params.network]);
      equal(v.message, GENESIS_MESSAGE);
      same(v.params, {
        powLimitBits: params.powLimitBits,
        retarget: params.retarget,
        targetSpacing: params.targetSpacing,
        retargetWindow: params.retargetWindow,
        maxFutureBlockTime: params.maxFutureBlockTime,
        halvingInterval: params.halvingInterval,
        initialSubsidy: params.initialSubsidy.toString(),
      });
      const header = headerFrom(v.header);
      equal(toHex(encodeHeader(header)), v.headerHex);
      equal(toHex(encodeHeader(params.genesis.header)), v.headerHex);
      equal(toHex(headerHash(header)), v.hash);
      equal(toHex(params.genesisHash), v.hash);
      equal(headerId(header), v.id);
      equal(params.genesisId, v.id);
      ok(checkProofOfWork(bytes(v.headerHex)), 'genesis meets its own target');
      equal(workFromBits(header.bits).toString(), v.work);
      const block = decodeBlock(bytes(v.hex));
      ok(block.ok);
      equal(toHex(encodeBlock(params.genesis)), v.hex);
      equal(toHex(blockMerkle(block.value.txs).root), v.merkleRoot);
      equal(v.merkleRoot, v.header.merkleRoot);
      const coinbase = txFrom(v.coinbase.fields);
      equal(toHex(encodeTx(coinbase)), v.coinbase.hex);
      equal(toHex(encodeTx(block.value.txs[0]!)), v.coinbase.hex);
      equal(txidHex(coinbase), v.coinbase.txid);
      equal(hashToHex(wtxid(coinbase)), v.coinbase.wtxid);
      equal(coinbaseHeight(coinbase), 0);
    },
  },
};

function checkSpending(v: J, keys: J[]): void {
  const tx = txFrom(v.fields);
  const own = NETWORKS[v.network as NetworkName];
  const other = own === MAIN ? REGTEST : MAIN;
  for (const net of [MAIN, REGTEST]) {
    same(
      v.sighash[net.network],
      tx.inputs.map(() => toHex(sighash(tx, net.genesisHash))),
    );
  }
  const coins = new Map(
    v.spent.map((coin: J, i: number) => [
      outpointKey(tx.inputs[i]!.prevout),
      { amount: BigInt(coin.amount), pubkey: bytes(coin.pubkey), height: 1, coinbase: false },
    ]),
  );
  tx.inputs.forEach((input, i) => {
    const pubkey = bytes(v.spent[i].pubkey);
    const message = bytes(v.sighash[own.network][i]);
    ok(verifySignature(input.witness, message, pubkey), `input ${i} verifies on ${own.network}`);
    const key = keys.find((k) => k.pubkey === v.spent[i].pubkey);
    ok(key, `input ${i} is signed by a vector key`);
    equal(toHex(signMessage(message, bytes(key.secret), bytes(v.aux[i]))), toHex(input.witness));
  });
  const context = (genesisHash: Uint8Array) => ({
    spendHeight: 1000,
    missingReason: 'bad-txns-inputs-missingorspent' as const,
    sigCache: new SignatureCache(),
    genesisHash,
  });
  const view = new MapCoinView(coins as Map<string, never>);
  const checked = checkTxInputs(tx, view, context(own.genesisHash));
  ok(checked.ok, `valid on ${own.network}`);
  equal(checked.value.fee.toString(), v.fee);
  equal(reasonOf(checkTxInputs(tx, view, context(other.genesisHash))), 'bad-signature');
}

export const transactions: FileSpec = {
  keys: {
    kind: 'valid',
    check: (v: J) => equal(toHex(publicKeyOf(bytes(v.secret))), v.pubkey),
  },
  valid: {
    kind: 'valid',
    check: (v: J, file: J) => {
      const tx = txFrom(v.fields);
      equal(toHex(encodeTx(tx)), v.hex);
      equal(toHex(encodeTxNoWitness(tx)), v.hexNoWitness);
      same(decodeTx(bytes(v.hex)), { ok: true, value: tx });
      equal(txidHex(tx), v.txid);
      equal(hashToHex(txid(tx)), hashToHex(sha256(sha256(bytes(v.hexNoWitness)))));
      equal(hashToHex(wtxid(tx)), v.wtxid);
      equal(txSize(tx), v.size);
      equal(isCoinbase(tx), v.coinbase === true);
      ok(checkTxSanity(tx).ok, 'passes checkTxSanity');
      equal(v.network in NETWORKS, true);
      if (v.spent) checkSpending(v, file.keys);
    },
  },
  sighashSteps: {
    kind: 'whole',
    check: (s: J, file: J) => {
      const tagHash = sha256(new TextEncoder().encode(s.tag));
      equal(toHex(tagHash), s.tagHash);
      equal(s.genesisHash, toHex(REGTEST.genesisHash));
      const preimage = concatBytes(tagHash, tagHash, bytes(s.genesisHash), bytes(s.txNoWitness));
      equal(toHex(preimage), s.preimage);
      equal(toHex(sha256(preimage)), s.sighash);
      const tx = file.valid.find((t: J) => t.name === s.tx);
      equal(tx.hexNoWitness, s.txNoWitness);
      equal(tx.sighash.regtest[0], s.sighash);
      equal(tx.fields.inputs[0].witness, s.signature);
      ok(verifySignature(bytes(s.signature), bytes(s.sighash), bytes(s.pubkey)));
    },
  },
  invalid: {
    kind: 'invalid',
    check: (v: J) => {
      const decoded = decodeTx(bytes(v.hex));
      if (v.stage === 'decode') return equal(reasonOf(decoded), v.reason);
      equal(v.stage, 'sanity');
      ok(decoded.ok, 'decodes');
      equal(reasonOf(checkTxSanity(decoded.value)), v.reason);
    },
  },
};
