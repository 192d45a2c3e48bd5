import { describe, expect, it } from 'vitest';
import { REGTEST, decodeBlock, encodeBlock, type Coin } from '../../../core/index.js';
import { SharedBodies, SharedStore } from '../../../tools/sim/shared-store.js';

describe('simulator stores sharing block bodies', () => {
  it('keeps one copy of a block and its undo data for every node that stores it', async () => {
    const shared = new SharedBodies();
    const [a, b] = [new SharedStore(shared), new SharedStore(shared)];
    const id = REGTEST.genesisId;
    // Each node decodes its own copy from the wire: equal data, different objects.
    const decode = () => {
      const decoded = decodeBlock(encodeBlock(REGTEST.genesis));
      if (!decoded.ok) throw new Error(decoded.message);
      return decoded.value;
    };
    const [copyA, copyB] = [decode(), decode()];
    const undoA: Coin[] = [];
    await a.write({ putBlocks: [{ id, block: copyA }], putUndo: [{ id, coins: undoA }] });
    await b.write({ putBlocks: [{ id, block: copyB }], putUndo: [{ id, coins: [] }], tip: id });
    expect(await b.getBlock(id)).toBe(copyA);
    expect(await b.getUndo(id)).toBe(undoA);
    expect(b.tip).toBe(id);
    // Deleting from one node's store leaves the others' alone.
    await a.write({ deleteBlocks: [id] });
    expect(await a.getBlock(id)).toBeUndefined();
    expect(await b.getBlock(id)).toBe(copyA);
  });
});
