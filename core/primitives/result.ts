/**
 * Typed outcomes for invalid data (STYLE.md: results, not exceptions). A rejection carries a
 * stable kebab-case reason, a category the network layer maps to peer handling, and a ban score.
 */

/**
 * - `consensus`: the data breaks a consensus rule; the sender misbehaved (ban score 100).
 * - `policy`: valid by consensus but this node will not relay or keep it (no ban).
 * - `missing-parent`: needs a block or transaction we do not have yet; not the sender's fault.
 * - `duplicate`: already known.
 * - `time-future`: a block too far in the future; it may become valid later, so it is not
 *   marked invalid and the sender is not punished.
 */
export type RejectCategory =
  'consensus' | 'policy' | 'missing-parent' | 'duplicate' | 'time-future';

export interface Rejection {
  ok: false;
  reason: string;
  category: RejectCategory;
  /** Misbehaviour points for the peer that sent it (100 = ban). */
  score: number;
  /** Human-readable detail for logs and the UI. */
  message: string;
}

/** A value, or why there is none. */
export type Result<T> = { ok: true; value: T } | Rejection;
/** A passed check, or why it failed. */
export type Check = { ok: true } | Rejection;

const DEFAULT_SCORE: Record<RejectCategory, number> = {
  consensus: 100,
  policy: 0,
  'missing-parent': 0,
  duplicate: 0,
  'time-future': 0,
};

export function reject(
  reason: string,
  message: string,
  category: RejectCategory = 'consensus',
  score: number = DEFAULT_SCORE[category],
): Rejection {
  return { ok: false, reason, category, score, message };
}

export const OK: { ok: true } = Object.freeze({ ok: true });
