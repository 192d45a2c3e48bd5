/**
 * Which node a tab is: named nodes, sessionStorage ids kept across reloads, the browser's last
 * node reopened on the plain URL when free, and a Web Lock conflict that is said, not hidden.
 */
import { describe, expect, it } from 'vitest';
import { claimIdentity, type IdentityEnv } from '../../client/identity.js';

/** A LockManager stand-in: each name can be held by one tab. */
function fakeLocks(held: Set<string>): LockManager {
  return {
    request: (name: string, options: LockOptions, callback: LockGrantedCallback<unknown>) => {
      const free = !held.has(name);
      if (free) held.add(name);
      void options;
      return Promise.resolve(callback(free ? ({ name, mode: 'exclusive' } as Lock) : null));
    },
    query: () => Promise.resolve({ held: [], pending: [] }),
  } as unknown as LockManager;
}

type Store = Map<string, string>;
const storage = (map: Store) => ({
  getItem: (k: string) => map.get(k) ?? null,
  setItem: (k: string, v: string) => void map.set(k, v),
});

/** One tab: its URL query, the browser's locks and localStorage, the tab's sessionStorage. */
function env(
  search: string,
  held: Set<string>,
  session: Store = new Map(),
  local: Store = new Map(),
  network = 'regtest',
): IdentityEnv {
  let n = 0;
  return {
    search,
    network,
    session: storage(session),
    local: storage(local),
    locks: fakeLocks(held),
    randomId: () => `tab-${++n}`,
  };
}

/** The tab holding `nodeId` closes: its lock is released. */
const close = (held: Set<string>, nodeId: string) => held.delete(`tabcoin-node-${nodeId}`);

describe('claimIdentity', () => {
  it('opens a named node from ?node=NAME; a second tab on that name gets a fresh node and says why', async () => {
    const held = new Set<string>();
    expect(await claimIdentity(env('?node=alice', held))).toEqual({
      nodeId: 'alice',
      named: true,
      origin: 'named',
    });
    const second = await claimIdentity(env('?node=alice', held));
    expect(second).toMatchObject({ named: false, origin: 'taken', wanted: 'alice' });
    expect(second.nodeId).not.toBe('alice');
    expect(second.notice).toMatch(/"alice" is already open in another tab/);
    expect(second.notice).toContain(`runs a new node, ${second.nodeId}, with its own empty wallet`);
  });

  it('keeps the session id across reloads, and a window.open copy of it starts a fresh node', async () => {
    const held = new Set<string>();
    const session: Store = new Map();
    const local: Store = new Map();
    const first = await claimIdentity(env('', held, session, local));
    expect(first.origin).toBe('fresh');
    close(held, first.nodeId); // a reload: a new page, the same session storage
    expect(await claimIdentity(env('', held, session, local))).toMatchObject({
      nodeId: first.nodeId,
      origin: 'reload',
    });
    // A tab opened with window.open copies sessionStorage while the original still holds the lock.
    const copy = new Map(session);
    const opened = await claimIdentity(env('', held, copy, local));
    expect(opened.nodeId).not.toBe(first.nodeId);
    expect(copy.get('tabcoin.nodeId')).toBe(opened.nodeId);
  });

  it('the plain URL in a new tab reopens the last node of this browser when it is free', async () => {
    const held = new Set<string>();
    const local: Store = new Map();
    const first = await claimIdentity(env('', held, new Map(), local));
    // While it is open, a new tab cannot have it: a fresh node.
    const other = await claimIdentity(env('', held, new Map(), local));
    expect(other).toMatchObject({ origin: 'fresh' });
    expect(other.nodeId).not.toBe(first.nodeId);
    // Both close; a new tab (empty session) reopens the last node opened, the second one.
    close(held, first.nodeId);
    close(held, other.nodeId);
    expect(await claimIdentity(env('', held, new Map(), local))).toMatchObject({
      nodeId: other.nodeId,
      origin: 'last',
    });
    // Named nodes count as the last node too; each network remembers its own.
    close(held, other.nodeId);
    await claimIdentity(env('?node=bob', held, new Map(), local));
    close(held, 'bob');
    expect((await claimIdentity(env('', held, new Map(), local))).nodeId).toBe('bob');
    close(held, 'bob');
    expect((await claimIdentity(env('', held, new Map(), local, 'main'))).origin).toBe('fresh');
  });

  it('a stand-in for a taken node does not replace the last node', async () => {
    const held = new Set<string>();
    const local: Store = new Map();
    await claimIdentity(env('?node=alice', held, new Map(), local));
    const standIn = await claimIdentity(env('?node=alice', held, new Map(), local));
    expect(standIn.origin).toBe('taken');
    close(held, 'alice');
    close(held, standIn.nodeId);
    expect((await claimIdentity(env('', held, new Map(), local))).nodeId).toBe('alice');
  });

  it('refuses a node name with characters the tracker would refuse', async () => {
    await expect(claimIdentity(env('?node=bad%20name', new Set()))).rejects.toThrow(
      /\?node= must be/,
    );
  });
});
