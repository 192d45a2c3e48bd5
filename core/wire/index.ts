/**
 * Wire: the peer-to-peer message codecs (docs/protocol.md) — message types and limits, field
 * codecs, the canonical message encoding, data-channel framing and reassembly — and the
 * tracker's signaling messages, shared by the tracker and the node. Pure codecs: no sockets.
 * May import: primitives, consensus.
 */
export * from './wire-types.js';
export * from './wire.js';
export * from './wire-fields.js';
export * from './wire-frames.js';
export * from './wire-status.js';
export * from './wire-compact.js';
export * from './compact-block.js';
export * from './signal.js';
