/** Attack-lab test helpers shared by the integration tests. */
import type { AttackKind } from '../../client/lab/attacks.js';

/**
 * Attacks whose defence is implemented in core/ (issue 12's consensus half): a body checked
 * against its header's merkle root before anything can mark the header invalid, and a
 * future-time limit of at most 3 block spacings. Their tests live in attack-lab-core.test.ts.
 */
export const CORE_DEFENDED: ReadonlySet<AttackKind> = new Set([
  'header-poisoning',
  'future-time-griefing',
]);
