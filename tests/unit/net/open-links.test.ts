/** What the mesh keeps about an open link: its route read again as ICE settles, late candidates. */
import { describe, expect, it } from 'vitest';
import type { LinkRoute, PeerConnection } from '../../../client/net/link-attempt.js';
import type { Link } from '../../../client/net/link.js';
import type { MeshTimers } from '../../../client/net/mesh-types.js';
import {
  LATE_CANDIDATE_MS,
  MAX_LATE_CANDIDATES,
  OpenLinks,
  ROUTE_RECHECK_MS,
} from '../../../client/net/open-links.js';
import type { Introducer } from '../../../client/net/signaling.js';

/** Timers that fire when `advance` passes them. */
function manualTimers() {
  let now = 0;
  const due: { at: number; fn: () => void }[] = [];
  const timers: MeshTimers = {
    setTimeout: (fn, ms) => due.push({ at: now + ms, fn }),
    clearTimeout: () => undefined,
    setInterval: () => undefined,
    clearInterval: () => undefined,
  };
  const advance = async (ms: number) => {
    now += ms;
    for (const timer of due.filter((t) => t.at <= now)) {
      due.splice(due.indexOf(timer), 1);
      timer.fn();
    }
    await new Promise((resolve) => setTimeout(resolve, 0)); // route reads settle
  };
  return { timers, advance };
}

function setup() {
  const { timers, advance } = manualTimers();
  const current = new Map<string, Link>();
  const changes: { peer: string; route: LinkRoute }[] = [];
  const open = new OpenLinks({
    timers,
    isCurrent: (id, link) => current.get(id) === link,
    routeChanged: (peer, route) => changes.push({ peer, route }),
  });
  const connection = {
    answer: 'relayed' as LinkRoute | undefined,
    reads: 0,
    signals: [] as unknown[],
    route() {
      this.reads++;
      return Promise.resolve(this.answer);
    },
    signal(data: unknown) {
      this.signals.push(data);
    },
  };
  const link = { remoteId: 'ivy' } as Link;
  current.set('ivy', link);
  const via = { kind: 'tracker' } as Introducer;
  open.opened('ivy', connection as unknown as PeerConnection, link, via, 'o1');
  return { open, connection, current, changes, advance, via };
}

const candidate = (n: number) => ({ type: 'candidate', candidate: { candidate: `c${n}` } });

describe('OpenLinks', () => {
  it('reads the route as the link opens and again later, saying only when it changes', async () => {
    const { open, connection, changes, advance } = setup();
    await advance(0);
    expect(open.list()).toEqual([{ peer: 'ivy', route: 'relayed' }]);
    // ICE opened on the TURN pair; the host pair takes over a moment later.
    connection.answer = 'direct';
    await advance(ROUTE_RECHECK_MS[0] - 1);
    expect(open.list()).toEqual([{ peer: 'ivy', route: 'relayed' }]);
    await advance(1);
    expect(open.list()).toEqual([{ peer: 'ivy', route: 'direct' }]);
    await advance(ROUTE_RECHECK_MS.at(-1)!);
    expect(changes).toEqual([
      { peer: 'ivy', route: 'relayed' },
      { peer: 'ivy', route: 'direct' },
    ]);
    expect(connection.reads).toBe(ROUTE_RECHECK_MS.length + 1);
    await advance(600_000);
    expect(connection.reads).toBe(ROUTE_RECHECK_MS.length + 1); // bounded per link
  });

  it('stops reading the route of a link that closed, and forgets it', async () => {
    const { open, connection, current, advance } = setup();
    await advance(0);
    current.delete('ivy');
    expect(open.closed('ivy')).toBe(true);
    expect(open.closed('ivy')).toBe(false);
    await advance(ROUTE_RECHECK_MS.at(-1)!);
    expect(connection.reads).toBe(1);
    expect(open.list()).toEqual([]);
  });

  it('takes late candidates over the same source and origin, at most MAX_LATE_CANDIDATES', async () => {
    const { open, connection, via } = setup();
    open.lateSignal('ivy', candidate(1), 'o1', via);
    expect(connection.signals).toEqual([candidate(1)]);
    open.lateSignal('ivy', candidate(2), 'o1', { kind: 'broadcast' } as Introducer);
    open.lateSignal('ivy', candidate(3), 'o2', via);
    open.lateSignal('ivy', { type: 'offer', sdp: 'x' }, 'o1', via);
    open.lateSignal('ivy', null, 'o1', via);
    open.lateSignal('bob', candidate(4), 'o1', via);
    expect(connection.signals).toHaveLength(1);
    for (let n = 0; n < MAX_LATE_CANDIDATES + 5; n++)
      open.lateSignal('ivy', candidate(n), 'o1', via);
    expect(connection.signals).toHaveLength(MAX_LATE_CANDIDATES);
  });

  it(`takes none ${LATE_CANDIDATE_MS} ms after the link opened, or once it is not current`, async () => {
    const late = setup();
    await late.advance(LATE_CANDIDATE_MS);
    late.open.lateSignal('ivy', candidate(1), 'o1', late.via);
    expect(late.connection.signals).toEqual([]);
    const replaced = setup();
    replaced.current.set('ivy', { remoteId: 'ivy' } as Link); // another link to ivy since
    replaced.open.lateSignal('ivy', candidate(1), 'o1', replaced.via);
    expect(replaced.connection.signals).toEqual([]);
  });
});
