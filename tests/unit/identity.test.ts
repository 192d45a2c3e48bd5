/** Which node a tab is: named nodes, sessionStorage ids kept across reloads, Web Lock takeover. */
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

function env(search: string, held: Set<string>, session = new Map<string, string>()): IdentityEnv {
  let n = 0;
  return {
    search,
    session: { getItem: (k) => session.get(k) ?? null, setItem: (k, v) => void session.set(k, v) },
    locks: fakeLocks(held),
    randomId: () => `tab-${++n}`,
  };
}

describe('claimIdentity', () => {
  it('opens a named node from ?node=NAME, and a fresh node when that name is open elsewhere', async () => {
    const held = new Set<string>();
    expect(await claimIdentity(env('?node=alice', held))).toEqual({ nodeId: 'alice', named: true });
    const second = await claimIdentity(env('?node=alice', held));
    expect(second.nodeId).not.toBe('alice');
    expect(second.notice).toMatch(/"alice" is open in another tab/);
  });

  it('keeps the session id across reloads, and a window.open copy of it starts a fresh node', async () => {
    const held = new Set<string>();
    const session = new Map<string, string>();
    const first = await claimIdentity(env('', held, session));
    // The lock is released when the tab reloads (a new page, the same session storage).
    held.delete(`tabcoin-node-${first.nodeId}`);
    expect((await claimIdentity(env('', held, session))).nodeId).toBe(first.nodeId);
    // A tab opened with window.open copies sessionStorage while the original still holds the lock.
    const copy = new Map(session);
    const opened = await claimIdentity(env('', held, copy));
    expect(opened.nodeId).not.toBe(first.nodeId);
    expect(copy.get('tabcoin.nodeId')).toBe(opened.nodeId);
  });

  it('refuses a node name with characters the tracker would refuse', async () => {
    await expect(claimIdentity(env('?node=bad%20name', new Set()))).rejects.toThrow(
      /\?node= must be/,
    );
  });
});
