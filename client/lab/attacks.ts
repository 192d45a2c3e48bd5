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
  | 'flood'
  | 'header-poisoning'
  | 'getdata-flood'
  | 'old-fork-invalid'
  | 'zero-fee-spam'
  | 'future-time-griefing'
  | 'text-frame'
  | 'rejoin-new-ids';

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
  /** The defence honest nodes show (hostile-peer attacks, issue 12). */
  defence?: string;
  /** The ban's reason when it differs from `reason` (the refusal shown). */
  banReason?: string;
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
  {
    kind: 'header-poisoning',
    title: 'Header poisoning with a tampered body',
    description:
      "An honest block's header, then its body with a second coinbase; the honest block is kept back.",
    reason: 'bad-merkle-root',
    bans: true,
    needsCoins: false,
    defence:
      'The body is checked against its header (merkle root) first: it never matched, so only its sender pays and the honest block is accepted later.',
  },
  {
    kind: 'getdata-flood',
    title: 'Getdata flood',
    description: `40 getdata messages, each asking 8 times for this chain's biggest block (the lab mines a 650 KB one first).`,
    reason: 'getdata-overflow',
    bans: false,
    needsCoins: true,
    defence:
      'Duplicates are served once, one answer at a time as the link drains; a peer that keeps asking past 32 blocks is dropped.',
  },
  {
    kind: 'old-fork-invalid',
    title: 'Invalid block on an old fork',
    description: 'A block on top of block 1 carrying two coinbases (its body matches its header).',
    reason: 'bad-cb-multiple',
    bans: true,
    needsCoins: false,
    defence: 'Refused and its sender banned without walking the whole block tree.',
  },
  {
    kind: 'zero-fee-spam',
    title: 'Zero-fee signature spam',
    description: '200 signed transactions paying no fee, spending every coin of this tab.',
    reason: 'tx-refusals-rate-limited',
    bans: false,
    needsCoins: true,
    defence:
      'A fee is checked before any signature, and a peer gets 20 free refusals, then 2 a second: the rest are dropped unchecked.',
  },
  {
    kind: 'future-time-griefing',
    title: 'Future-timestamp griefing',
    description:
      'A block dated one spacing past the future-time limit, as a miner would to slow the difficulty down.',
    reason: 'time-too-new',
    bans: false,
    needsCoins: false,
    defence:
      'The future-time limit is 3 spacings on main (regtest: 120 s), within what the retarget can absorb.',
  },
  {
    kind: 'text-frame',
    title: 'Text message',
    description: 'A text data-channel message whose characters spell a valid ping frame.',
    reason: 'bad-frame-type',
    bans: true,
    needsCoins: false,
    defence: 'Refused at the data channel, before anything reads it: the protocol is binary.',
  },
  {
    kind: 'rejoin-new-ids',
    title: 'Rejoin under new ids',
    description:
      'Get banned, then come back under 6 fresh node ids from the same machine, each misbehaving again.',
    reason: 'origin-throttled',
    bans: true,
    banReason: 'bad-message-type',
    needsCoins: false,
    defence:
      'A node that banned a peer admits at most 3 new links a minute from its address (origin), whatever their ids.',
  },
];

export function attackSpec(kind: AttackKind): AttackSpec {
  const spec = ATTACKS.find((a) => a.kind === kind);
  if (!spec) throw new RangeError(`unknown attack ${kind}`);
  return spec;
}
