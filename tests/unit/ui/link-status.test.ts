/** The peers panel's line when there are no links: alone, or known nodes and why no link. */
import { describe, expect, it } from 'vitest';
import { noCandidates, type LinkFailure } from '../../../client/net/link-attempt.js';
import type { MeshStatus } from '../../../client/net/mesh.js';
import { ALONE_TEXT, linkSummary } from '../../../client/ui/link-status.js';
import { Emitter } from '../../../client/events.js';
import type { NodeEvents, TabNode } from '../../../client/node.js';
import { LINK_REPEAT_MS, NodeJournal, linkFailureText } from '../../../client/ui/node-journal.js';

const failure: LinkFailure = {
  peer: 'bob',
  initiator: true,
  outcome: 'timed-out',
  stage: 'ice-checking',
  cause: 'no route between the hosts: … a TURN server is needed',
  at: 1_000_000,
  elapsedMs: 15_000,
  local: noCandidates(),
  remote: noCandidates(),
};
const status = (s: Partial<MeshStatus>): MeshStatus => ({
  known: 0,
  attempts: [],
  failures: [],
  routes: [],
  introductions: [],
  ...s,
});

describe('linkSummary', () => {
  it('says "open another tab" only when the tracker knows no other node', () => {
    expect(linkSummary(status({}), 0)).toBe(ALONE_TEXT);
    expect(linkSummary(status({ known: 2 }), 0)).not.toBe(ALONE_TEXT);
    expect(linkSummary(status({ known: 2 }), 1)).toBeUndefined();
  });

  it('counts known nodes and gives the latest failure with its stage and cause', () => {
    expect(linkSummary(status({ known: 1, failures: [failure] }), 0)).toBe(
      '1 node known, 0 links: 1 attempt failed; latest, bob at ICE checking: no route between the hosts: … a TURN server is needed.',
    );
    expect(
      linkSummary(
        status({
          known: 3,
          attempts: [{ peer: 'carol', initiator: false, stage: 'signaling', startedAt: 0 }],
        }),
        0,
      ),
    ).toBe('3 nodes known, 0 links: connecting to 1 (signaling).');
  });
});

describe('linkFailureText', () => {
  it('names the peer, the stage, the time it took and the cause', () => {
    expect(linkFailureText(failure)).toBe(
      'link to bob timed out at ICE checking after 15.0 s (we dialled): no route between the hosts: … a TURN server is needed',
    );
  });
});

describe('the event log', () => {
  it('records failed link attempts and the notices raised while the node started', () => {
    const node = Object.assign(new Emitter<NodeEvents>(), {
      identity: { nodeId: 'me' },
      startNotices: ['ICE setting: page URL: TURN server turn:h:3478 has no username'],
    });
    let now = 5;
    const journal = new NodeJournal(node as unknown as TabNode, () => now);
    node.emit('link-failed', failure);
    expect(journal.entries().map((e) => [e.kind, e.text, e.from])).toEqual([
      ['link', linkFailureText(failure), 'bob'],
      ['notice', 'ICE setting: page URL: TURN server turn:h:3478 has no username', undefined],
    ]);
    // The mesh retries every 30 s: the same failure again adds a line only after a while.
    now += 30_000;
    node.emit('link-failed', failure);
    expect(journal.entries()).toHaveLength(2);
    node.emit('link-failed', { ...failure, stage: 'refused', cause: 'refused: …' });
    expect(journal.entries()).toHaveLength(3);
    now += LINK_REPEAT_MS;
    node.emit('link-failed', failure);
    expect(journal.entries()).toHaveLength(4);
  });
});
