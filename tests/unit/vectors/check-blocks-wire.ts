/**
 * Checkers for the block, wire and tracker-signal vector files: headers, merkle trees, a chain
 * processed by a real regtest node, refusals with their reasons, every wire message both ways
 * with its frames, malformed messages and frame sequences, and tracker payloads.
 */
import { deepStrictEqual as same, ok, strictEqual as equal } from 'node:assert/strict';
import {
  FrameAssembler,
  MemoryStore,
  NodeState,
  REGTEST,
  blockMerkle,
  checkBlockSanity,
  checkProofOfWork,
  computeMerkleRoot,
  decodeBlock,
  decodeHeader,
  decodeMessage,
  encodeBlock,
  encodeHeader,
  encodeMessage,
  frameMessage,
  hashToHex,
  headerHash,
  headerId,
  parseJoinRequest,
  parsePeersRequest,
  parseSignalRequest,
  toHex,
  txidHex,
  wtxid,
  type Block,
} from '../../../core/index.js';
import { bytes, headerFrom, messageFrom } from './from-json.js';
import type { FileSpec, J } from './spec.js';

const reasonOf = (result: { ok: boolean; reason?: string }) => (result.ok ? 'ok' : result.reason);

function blockFrom(hex: string): Block {
  const decoded = decodeBlock(bytes(hex));
  ok(decoded.ok, `block decodes (${decoded.ok ? '' : decoded.reason})`);
  equal(toHex(encodeBlock(decoded.value)), hex, 'block re-encodes to the same bytes');
  return decoded.value;
}

/** A regtest node that has processed the file's chain (built once per parsed file). */
const nodes = new WeakMap<object, Promise<NodeState>>();
async function nodeWithChain(file: J): Promise<NodeState> {
  let node = nodes.get(file);
  if (!node) {
    node = (async () => {
      const state = await NodeState.open(REGTEST, new MemoryStore());
      for (const b of file.chain) {
        const result = await state.processBlock(blockFrom(b.hex), file.chainNow);
        ok(result.ok, `chain block ${b.height} accepted`);
      }
      return state;
    })();
    nodes.set(file, node);
  }
  return node;
}

export const blocks: FileSpec = {
  headers: {
    kind: 'valid',
    check: (v: J) => {
      const header = headerFrom(v.fields);
      equal(toHex(encodeHeader(header)), v.hex);
      same(decodeHeader(bytes(v.hex)), { ok: true, value: header });
      equal(toHex(headerHash(header)), v.hash);
      equal(headerId(header), v.id);
      equal(hashToHex(bytes(v.hash)), v.id, 'id is the hash byte-reversed');
      equal(checkProofOfWork(bytes(v.hex)), v.powValid);
    },
  },
  merkle: {
    kind: 'valid',
    check: (v: J) => {
      const result = computeMerkleRoot(v.leaves.map(bytes));
      same([toHex(result.root), result.mutated], [v.root, v.mutated]);
    },
  },
  chainNow: { kind: 'whole', inputs: ['chainNow'], check: (now: J) => ok(Number.isInteger(now)) },
  chain: {
    kind: 'whole',
    check: async (chain: J, file: J) => {
      const node = await NodeState.open(REGTEST, new MemoryStore());
      equal(node.chain.tip.chainWork.toString(), (BigInt(chain[0].chainWork) / 2n).toString());
      for (const [i, v] of chain.entries()) {
        equal(v.height, i + 1);
        const block = blockFrom(v.hex);
        equal(headerId(block.header), v.id);
        equal(toHex(block.header.merkleRoot), v.merkleRoot);
        equal(toHex(blockMerkle(block.txs).root), v.merkleRoot);
        same(block.txs.map(txidHex), v.txids);
        same(
          block.txs.map((tx) => hashToHex(wtxid(tx))),
          v.wtxids,
        );
        const result = await node.processBlock(block, file.chainNow);
        ok(result.ok, `block ${v.height}: ${result.ok ? '' : result.reason}`);
        same(
          [node.chain.tip.id, node.chain.height, node.chain.tip.chainWork.toString()],
          [v.id, v.height, v.chainWork],
        );
      }
    },
  },
  invalid: {
    kind: 'invalid',
    check: (v: J) => equal(reasonOf(checkBlockSanity(blockFrom(v.hex), REGTEST)), v.reason),
  },
  invalidOnChain: {
    kind: 'invalid',
    check: async (v: J, file: J) => {
      const node = await nodeWithChain(file);
      const block = blockFrom(v.hex);
      equal(toHex(block.header.prevHash), toHex(headerHash(node.chain.tip.header)));
      equal(reasonOf(await node.processBlock(block, file.chainNow)), v.reason);
    },
  },
};

function assemble(frames: string[]): Uint8Array {
  const assembler = new FrameAssembler();
  let message: Uint8Array | undefined;
  for (const [i, frame] of frames.entries()) {
    const result = assembler.push(bytes(frame));
    ok(result.ok, `frame ${i} accepted`);
    equal(result.value !== undefined, i === frames.length - 1, `message ends at the last frame`);
    message = result.value;
  }
  return message!;
}

export const wire: FileSpec = {
  messages: {
    kind: 'valid',
    check: (v: J) => {
      const message = messageFrom(v.fields);
      const encoded = encodeMessage(message);
      if (v.hex !== undefined) equal(toHex(encoded), v.hex);
      const sent = assemble(v.frames);
      equal(toHex(sent), toHex(encoded));
      same(frameMessage(encoded).map(toHex), v.frames);
      same(decodeMessage(sent), { ok: true, value: message });
    },
  },
  invalidMessages: {
    kind: 'invalid',
    check: (v: J) => equal(reasonOf(decodeMessage(bytes(v.hex))), v.reason),
  },
  invalidFrames: {
    kind: 'invalid',
    check: (v: J) => {
      const assembler = new FrameAssembler();
      v.frames.forEach((frame: string, i: number) => {
        const result = assembler.push(bytes(frame));
        if (i < v.frames.length - 1) ok(result.ok, `frame ${i} accepted`);
        else equal(reasonOf(result), v.reason);
      });
    },
  },
};

const PARSERS = { join: parseJoinRequest, signal: parseSignalRequest, peers: parsePeersRequest };

export const signal: FileSpec = {
  cases: {
    kind: 'invalid',
    check: (v: J) => {
      const parse = PARSERS[v.event as keyof typeof PARSERS];
      ok(parse, `event ${v.event}`);
      equal(reasonOf(parse(v.payload)), v.result);
    },
  },
};
