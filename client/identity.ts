/**
 * Which node this tab is. `?node=NAME` opens a named node (bookmarkable); otherwise the id kept
 * in sessionStorage survives reloads. A tab opened with window.open copies sessionStorage, so
 * the node also holds a Web Lock on its id: a tab that finds the id locked starts a fresh node.
 */
import { isNodeId } from '../core/index.js';

export interface IdentityEnv {
  search: string;
  session: Pick<Storage, 'getItem' | 'setItem'>;
  /** navigator.locks, when the browser has Web Locks. */
  locks: LockManager | undefined;
  randomId(): string;
}

export interface Identity {
  nodeId: string;
  /** True when `?node=` named it. */
  named: boolean;
  /** Set when the wanted id was taken by another tab and a fresh one was used instead. */
  notice?: string;
}

const SESSION_KEY = 'tabcoin.nodeId';

/** Hold an exclusive lock on `nodeId` for the life of the tab; false if another tab has it. */
function tryLock(locks: LockManager | undefined, nodeId: string): Promise<boolean> {
  if (!locks) return Promise.resolve(true);
  return new Promise((resolve) => {
    void locks.request(`tabcoin-node-${nodeId}`, { ifAvailable: true }, (lock) => {
      resolve(lock !== null);
      // Keep the lock until the tab goes away.
      return lock ? new Promise<void>(() => undefined) : undefined;
    });
  });
}

export async function claimIdentity(env: IdentityEnv): Promise<Identity> {
  const named = new URLSearchParams(env.search).get('node');
  if (named !== null) {
    if (!isNodeId(named)) {
      throw new Error(`?node= must be 1-64 characters of letters, digits, _ or -, got "${named}"`);
    }
    if (await tryLock(env.locks, named)) return { nodeId: named, named: true };
    const fresh = await claimFresh(env);
    return {
      ...fresh,
      notice: `Node "${named}" is open in another tab; this tab runs node ${fresh.nodeId}.`,
    };
  }
  const kept = env.session.getItem(SESSION_KEY);
  if (kept && isNodeId(kept) && (await tryLock(env.locks, kept)))
    return { nodeId: kept, named: false };
  return claimFresh(env);
}

async function claimFresh(env: IdentityEnv): Promise<Identity> {
  for (;;) {
    const id = env.randomId();
    if (await tryLock(env.locks, id)) {
      env.session.setItem(SESSION_KEY, id);
      return { nodeId: id, named: false };
    }
  }
}

/** A random node id like "tab-3f9a1c2e". */
export function randomNodeId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(4));
  return `tab-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}
