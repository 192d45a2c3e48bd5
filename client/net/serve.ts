/**
 * Answering peers: whether their hello is acceptable, the blocks and transactions they ask for
 * (getdata), and headers (getheaders).
 */
import {
  MAX_HEADERS_PER_MESSAGE,
  PROTOCOL_VERSION,
  type HelloMessage,
  hashToHex,
  headerId,
  type Chain,
  type InvItem,
  type Mempool,
} from '../../core/index.js';
import type { Peer } from './peer.js';
import { blockKey } from './p2p-types.js';

/** Send each requested block or pending transaction we have; `notfound` for the rest. */
export async function serveData(
  chain: Chain,
  mempool: Mempool,
  peer: Peer,
  items: readonly InvItem[],
): Promise<void> {
  const missing: InvItem[] = [];
  for (const item of items) {
    const id = hashToHex(item.hash);
    if (item.kind === 'tx') {
      const entry = mempool.get(id);
      if (entry) peer.send({ type: 'tx', tx: entry.tx });
      else missing.push(item);
      continue;
    }
    const entry = chain.getEntry(id);
    const block =
      entry && (entry.status === 'valid' || entry.status === 'data')
        ? await chain.getBlock(id)
        : undefined;
    if (block) {
      peer.known.add(blockKey(id));
      peer.send({ type: 'block', block });
      // It asked for our block to connect it: it has this chain now, though it will never
      // announce it back (we know it has it). Without this its height stays at its hello.
      if (!peer.bestAnnounced || entry!.chainWork > peer.bestAnnounced.chainWork)
        peer.bestAnnounced = entry;
    } else missing.push(item);
  }
  if (missing.length > 0) peer.send({ type: 'notfound', items: missing });
}

/** Answer getheaders: up to 2,000 headers after the first locator id on our active chain. */
export function serveHeaders(
  chain: Chain,
  peer: Peer,
  locator: readonly Uint8Array[],
  stop: Uint8Array,
): void {
  const stopId = stop.some((b) => b !== 0) ? hashToHex(stop) : undefined;
  const headers = chain.headersAfter(locator.map(hashToHex), stopId, MAX_HEADERS_PER_MESSAGE);
  for (const header of headers) peer.known.add(blockKey(headerId(header)));
  peer.send({ type: 'headers', headers });
}

/** Why a `hello` is refused (the link is then closed), or undefined when it is fine. */
export function helloRefusal(
  hello: HelloMessage,
  peer: Peer,
  genesisId: string,
): { reason: string; detail: string } | undefined {
  if (peer.state !== 'handshaking')
    return { reason: 'duplicate-hello', detail: 'hello was already received' };
  if (hello.version !== PROTOCOL_VERSION) {
    return {
      reason: 'bad-version',
      detail: `protocol ${hello.version}, this node speaks ${PROTOCOL_VERSION}`,
    };
  }
  if (hello.network !== genesisId) {
    return {
      reason: 'wrong-network',
      detail: `genesis ${hello.network.slice(0, 16)}…, ours is ${genesisId.slice(0, 16)}…`,
    };
  }
  if (hello.nodeId !== peer.id)
    return { reason: 'bad-hello', detail: 'node id does not match the link' };
  return undefined;
}
