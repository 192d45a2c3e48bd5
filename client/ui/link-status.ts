/**
 * What the peers panel says when this tab has no links: alone ("open this page in another
 * tab") only when the tracker told us of no other node; otherwise how many nodes are known and
 * why no link formed (attempts under way, or the latest failure's stage and cause).
 */
import { stageWords } from '../net/link-attempt.js';
import type { MeshStatus } from '../net/mesh.js';

export const ALONE_TEXT = 'No peers yet: open this page in another tab.';

/** The empty-panel line for `status` with `links` ready links, or undefined when linked. */
export function linkSummary(status: MeshStatus, links: number): string | undefined {
  if (links > 0) return undefined;
  const { known, attempts, failures } = status;
  if (known === 0 && attempts.length === 0 && failures.length === 0) return ALONE_TEXT;
  const nodes = `${known} node${known === 1 ? '' : 's'} known, 0 links`;
  if (attempts.length > 0) {
    const stages = [...new Set(attempts.map((a) => stageWords(a.stage)))].join(', ');
    const latest = failures[0] ? `; last failure: ${failures[0].cause}` : '';
    return `${nodes}: connecting to ${attempts.length} (${stages})${latest}.`;
  }
  const latest = failures[0];
  if (latest)
    return `${nodes}: ${failures.length} attempt${failures.length === 1 ? '' : 's'} failed; latest, ${latest.peer} at ${stageWords(latest.stage)}: ${latest.cause}.`;
  return `${nodes}: waiting to dial (retried every few seconds).`;
}
