/**
 * The attack lab's catalogue: every kind of invalid data a tab can send, what honest nodes must
 * answer (the reject reason), and whether that gets the sender banned. The crafting is in
 * craft.ts, the sending in lab.ts.
 */

export type AttackKind =
  | 'bad-signature'
  | 'bad-pow'
  | 'wrong-prev-hash'
  | 'history-rewrite'
  | 'double-spend-block'
  | 'double-spend-chain'
  | 'overspend'
  | 'inflated-coinbase'
  | 'premature-coinbase'
  | 'future-timestamp'
  | 'bad-bits'
  | 'bad-merkle-root'
  | 'oversize-block'
  | 'malformed-message'
  | 'oversized-message'
  | 'flood';

export interface AttackSpec {
  kind: AttackKind;
  title: string;
  /** What it sends. */
  description: string;
  /** The reason honest nodes give. */
  reason: string;
  /** Consensus-invalid: honest nodes disconnect and ban the sender. */
  bans: boolean;
  /** Needs a mature coin of this tab's own key (mine COINBASE_MATURITY + 1 blocks first). */
  needsCoins: boolean;
}

export const ATTACKS: readonly AttackSpec[] = [
  {
    kind: 'bad-signature',
    title: 'Bad signature',
    description: "A transaction spending someone else's coin, signed with this tab's key.",
    reason: 'bad-signature',
    bans: true,
    needsCoins: false,
  },
  {
    kind: 'bad-pow',
    title: 'Proof of work not met',
    description: 'A block whose hash is above its target (never mined).',
    reason: 'high-hash',
    bans: true,
    needsCoins: false,
  },
  {
    kind: 'wrong-prev-hash',
    title: 'Wrong previous hash',
    description: 'A block built on a parent nobody has: held as an orphan, never connected.',
    reason: 'prev-blk-not-found',
    bans: false,
    needsCoins: false,
  },
  {
    kind: 'history-rewrite',
    title: 'Tampered transaction in a middle block',
    description: 'A block from the middle of the chain, resent with one output changed.',
    reason: 'bad-merkle-root',
    bans: true,
    needsCoins: false,
  },
  {
    kind: 'double-spend-block',
    title: 'Double spend in one block',
    description: 'A block with two transactions spending the same coin.',
    reason: 'bad-txns-inputs-missingorspent',
    bans: true,
    needsCoins: true,
  },
  {
    kind: 'double-spend-chain',
    title: 'Double spend across blocks',
    description: 'A valid block spending a coin, then a block spending it again.',
    reason: 'bad-txns-inputs-missingorspent',
    bans: true,
    needsCoins: true,
  },
  {
    kind: 'overspend',
    title: 'Overspend',
    description: 'A transaction paying out more than its input holds.',
    reason: 'bad-txns-in-belowout',
    bans: true,
    needsCoins: false,
  },
  {
    kind: 'inflated-coinbase',
    title: 'Inflated coinbase',
    description: 'A block whose coinbase pays 100 times the subsidy.',
    reason: 'bad-cb-amount',
    bans: true,
    needsCoins: false,
  },
  {
    kind: 'premature-coinbase',
    title: 'Premature coinbase spend',
    description: 'A transaction spending the newest block reward before it matures.',
    reason: 'bad-txns-premature-spend-of-coinbase',
    bans: true,
    needsCoins: false,
  },
  {
    kind: 'future-timestamp',
    title: 'Future timestamp',
    description: 'A block dated two hours ahead (refused for now, not banned: clocks differ).',
    reason: 'time-too-new',
    bans: false,
    needsCoins: false,
  },
  {
    kind: 'bad-bits',
    title: 'Bad difficulty bits',
    description: 'A block claiming a difficulty other than the retarget rule gives.',
    reason: 'bad-diffbits',
    bans: true,
    needsCoins: false,
  },
  {
    kind: 'bad-merkle-root',
    title: 'Bad merkle root',
    description: 'A mined block whose header commits to other transactions than it carries.',
    reason: 'bad-merkle-root',
    bans: true,
    needsCoins: false,
  },
  {
    kind: 'oversize-block',
    title: 'Oversize block',
    description: 'A block over the 1,000,000-byte limit.',
    reason: 'bad-blk-length',
    bans: true,
    needsCoins: false,
  },
  {
    kind: 'malformed-message',
    title: 'Malformed message',
    description: 'A wire message with an unknown type.',
    reason: 'bad-message-type',
    bans: true,
    needsCoins: false,
  },
  {
    kind: 'oversized-message',
    title: 'Oversized message',
    description: 'A frame announcing a message larger than the protocol allows.',
    reason: 'bad-frame-too-large',
    bans: true,
    needsCoins: false,
  },
  {
    kind: 'flood',
    title: 'Flood',
    description: '20,000 pings at once: past the rate limit every message costs 10 points.',
    reason: 'rate-limited',
    bans: true,
    needsCoins: false,
  },
];

export function attackSpec(kind: AttackKind): AttackSpec {
  const spec = ATTACKS.find((a) => a.kind === kind);
  if (!spec) throw new RangeError(`unknown attack ${kind}`);
  return spec;
}
