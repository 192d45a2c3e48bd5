/**
 * Tall regtest chains in memory, fast: the block index of `height` coinbase-only blocks is
 * written straight into a MemoryStore (no mining, no bodies), then opened as a tab reopening
 * its database would. For tests and benchmarks of work that must not grow with height.
 */
import {
  blockMerkle,
  createCoinbase,
  genesisEntry,
  headerHash,
  headerId,
  MemoryStore,
  NodeState,
  toStored,
  workFromBits,
  type Block,
  type BlockEntry,
  type BlockHeader,
  type StoredEntry,
} from '../../core/index.js';
import { alice, buildBlock, params } from './regtest.js';

export async function nodeAtHeight(height: number): Promise<NodeState> {
  const store = new MemoryStore();
  const genesis = genesisEntry(params);
  const entries: StoredEntry[] = [toStored(genesis)];
  let prev: BlockHeader = genesis.header;
  let work = genesis.chainWork;
  for (let h = 1; h <= height; h++) {
    const coinbase = createCoinbase({
      height: h,
      extraNonce: 0,
      outputs: [{ amount: 1n, pubkey: alice.pubkey }],
    });
    const header: BlockHeader = {
      version: 1,
      prevHash: headerHash(prev),
      merkleRoot: blockMerkle([coinbase]).root,
      time: prev.time + params.targetSpacing,
      bits: params.powLimitBits,
      nonce: 0,
    };
    work += workFromBits(header.bits);
    entries.push({
      id: headerId(header),
      header,
      height: h,
      chainWork: work,
      status: 'valid',
      sequence: h,
    });
    prev = header;
  }
  await store.write({ putEntries: entries, tip: entries[entries.length - 1]!.id });
  return NodeState.open(params, store);
}

/** The entry a block on `parent` will get, for building blocks before processing them. */
export function childEntry(parent: BlockEntry, block: { header: BlockHeader }): BlockEntry {
  return {
    ...parent,
    id: headerId(block.header),
    header: block.header,
    height: parent.height + 1,
    parent,
  };
}

/** `count` coinbase-only regtest blocks on genesis, one second apart (times long past). */
export function emptyChain(count: number): Block[] {
  const blocks: Block[] = [];
  let parent = genesisEntry(params);
  for (let i = 0; i < count; i++) {
    const block = buildBlock(parent, { payTo: alice, time: parent.header.time + 1 });
    blocks.push(block);
    parent = childEntry(parent, block);
  }
  return blocks;
}
