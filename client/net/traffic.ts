/**
 * Messages and bytes a node received, by message type (all peers, including those gone): what
 * a sync costs in headers versus blocks, for the progress view, benches and tests.
 */
import type { WireMessage } from '../../core/index.js';

export interface TrafficCount {
  messages: number;
  bytes: number;
}

export class Traffic {
  private readonly byType = new Map<WireMessage['type'], TrafficCount>();
  private total = 0;

  /** One message of `type`, `bytes` long once reassembled, was received. */
  count(type: WireMessage['type'], bytes: number): void {
    let count = this.byType.get(type);
    if (!count) this.byType.set(type, (count = { messages: 0, bytes: 0 }));
    count.messages++;
    count.bytes += bytes;
    this.total += bytes;
  }

  /** What messages of `type` came to. */
  of(type: WireMessage['type']): TrafficCount {
    const count = this.byType.get(type);
    return { messages: count?.messages ?? 0, bytes: count?.bytes ?? 0 };
  }

  /** Bytes of every message received. */
  get bytes(): number {
    return this.total;
  }
}
