/**
 * Seeded fuzz of the wire decoder and the node's message handler: 100,000 random and mutated
 * messages (mutated from valid ones) arrive from peers. Nothing crashes or rejects unhandled,
 * the node's chain and mempool do not change, and every input that is not a valid message is
 * answered with its reason (a `refused` event naming the decoder's reason).
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  FrameAssembler,
  MAIN,
  MemoryStore,
  NodeState,
  PROTOCOL_VERSION,
  decodeMessage,
  encodeMessage,
  frameMessage,
  headerHash,
} from '../../core/index.js';
import { memoryLinkPair } from '../../client/net/memory-link.js';
import { P2P, type RefusedEvent } from '../../client/net/p2p.js';
import { messageArb } from '../helpers/wire-arbitraries.js';
import { seeded } from '../helpers/tracker-client.js';

const INPUTS = 100_000;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
process.on('unhandledRejection', onUnhandled);
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
});

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('fuzzing the wire decoder and message handler', () => {
  it(`survives ${INPUTS.toLocaleString('en')} random and mutated messages without a state change`, async () => {
    const store = new MemoryStore();
    const state = await NodeState.open(MAIN, store); // real difficulty: no mutation mines a block
    const now = MAIN.genesis.header.time * 1000 + 3_600_000;
    const p2p = new P2P({
      nodeId: 'target',
      state,
      maxPeers: 4,
      env: {
        now: () => now,
        setInterval: () => 0,
        clearInterval: () => undefined,
        random: () => 0.5,
      },
    });
    const refused = new Map<string, RefusedEvent[]>();
    p2p.on('refused', (event) => {
      const list = refused.get(event.from) ?? [];
      list.push(event);
      refused.set(event.from, list);
    });
    const tipBefore = state.chain.tip.id;
    const writesBefore = store.writes;

    const random = seeded(2026);
    const int = (n: number) => Math.floor(random() * n);
    const valid = fc.sample(messageArb, { seed: 7, numRuns: 400 }).map((m) => encodeMessage(m));

    let peerCount = 0;
    let sender: ReturnType<typeof memoryLinkPair>[1] | undefined;
    let senderId = '';
    const connect = async () => {
      senderId = `fuzz${peerCount++}`;
      const [fromFuzzer, toFuzzer] = memoryLinkPair(senderId, 'target', queueMicrotask);
      fromFuzzer.attach({
        onFrame: () => undefined,
        onClose: () => undefined,
        onDrain: () => undefined,
      });
      p2p.addLink(toFuzzer);
      const hello = encodeMessage({
        type: 'hello',
        version: PROTOCOL_VERSION,
        network: MAIN.genesisId,
        nodeId: senderId,
        tip: headerHash(MAIN.genesis.header),
        height: 0,
        chainWork: 1n,
        userAgent: 'fuzzer',
      });
      for (const frame of frameMessage(hello)) fromFuzzer.send(frame);
      sender = fromFuzzer;
      await flush();
    };
    await connect();

    let invalid = 0;
    let answered = 0;
    for (let i = 0; i < INPUTS; i++) {
      let payload: Uint8Array;
      const kind = int(10);
      if (kind < 2) {
        payload = Uint8Array.from({ length: int(64) }, () => int(256));
      } else {
        const base = valid[int(valid.length)]!;
        payload = Uint8Array.from(base);
        if (kind < 6)
          for (let f = 0; f <= int(4); f++)
            if (payload.length) payload[int(payload.length)] = int(256);
            else if (kind < 8) payload = payload.slice(0, int(payload.length));
            else
              payload = Uint8Array.from([
                ...payload,
                ...Array.from({ length: 1 + int(8) }, () => int(256)),
              ]);
      }
      const frame = Uint8Array.from([0, ...payload]); // a whole-message frame
      const expected = decodeMessage(payload);
      const framed = new FrameAssembler().push(frame);
      const id = senderId;
      const before = refused.get(id)?.length ?? 0;
      sender!.send(frame);
      await flush();
      if (!framed.ok || !expected.ok) {
        invalid++;
        const reason = framed.ok ? (expected.ok ? '' : expected.reason) : framed.reason;
        const events = refused.get(id) ?? [];
        if (events.length > before && events[before]!.reason === reason) answered++;
      }
      if (!p2p.peers.has(id)) await connect();
    }

    expect(unhandled).toEqual([]);
    expect(invalid).toBeGreaterThan(INPUTS / 5); // many mutations (e.g. inside a hash) stay valid
    expect(answered).toBe(invalid);
    expect(state.chain.tip.id).toBe(tipBefore);
    expect(state.chain.height).toBe(0);
    expect(state.mempool.size).toBe(0);
    expect(store.writes).toBe(writesBefore);
    p2p.stop();
  }, 600_000);
});
