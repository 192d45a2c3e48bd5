/**
 * Which node this tab is. `?node=NAME` opens a named node (bookmarkable). Without it, a reload
 * keeps the tab's node (its id in sessionStorage), and a new tab on the plain URL reopens this
 * browser's last node on that network (kept in localStorage) when no other tab has it open. A
 * node holds a Web Lock on its id for the life of the tab, so one node never runs in two tabs:
 * a tab that finds its wanted node taken starts a fresh one and says so (`notice`), never
 * silently.
 */
import { isNodeId } from '../core/index.js';

export interface IdentityEnv {
  search: string;
  /** The network: "last node" is remembered per network (each has its own databases). */
  network: string;
  session: Pick<Storage, 'getItem' | 'setItem'>;
  /** localStorage: the last node this browser opened, per network. */
  local: Pick<Storage, 'getItem' | 'setItem'>;
  /** navigator.locks, when the browser has Web Locks. */
  locks: LockManager | undefined;
  randomId(): string;
}

export interface Identity {
  nodeId: string;
  /** True when `?node=` named it. */
  named: boolean;
  /** How this tab came to run this node, for the page to say (reopened, taken, fresh). */
  origin: 'named' | 'reload' | 'last' | 'fresh' | 'taken';
  /** The node that was wanted but is open in another tab (origin 'taken'). */
  wanted?: string;
  /** Set when the wanted node was taken by another tab and a fresh one was used instead. */
  notice?: string;
}

const SESSION_KEY = 'tabcoin.nodeId';
const lastKey = (network: string) => `tabcoin.lastNode.${network}`;

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

/** Decide and lock this tab's node; remember it as this browser's last node on the network. */
export async function claimIdentity(env: IdentityEnv): Promise<Identity> {
  const identity = await choose(env);
  env.session.setItem(SESSION_KEY, identity.nodeId);
  // A stand-in for a taken node is not what the user chose: the plain URL keeps the old one.
  if (identity.origin !== 'taken') env.local.setItem(lastKey(env.network), identity.nodeId);
  return identity;
}

async function choose(env: IdentityEnv): Promise<Identity> {
  const named = new URLSearchParams(env.search).get('node');
  if (named !== null) {
    if (!isNodeId(named)) {
      throw new Error(`?node= must be 1-64 characters of letters, digits, _ or -, got "${named}"`);
    }
    if (await tryLock(env.locks, named)) return { nodeId: named, named: true, origin: 'named' };
    return taken(env, named);
  }
  const kept = env.session.getItem(SESSION_KEY);
  if (kept && isNodeId(kept) && (await tryLock(env.locks, kept)))
    return { nodeId: kept, named: false, origin: 'reload' };
  const last = env.local.getItem(lastKey(env.network));
  if (last && isNodeId(last) && last !== kept && (await tryLock(env.locks, last)))
    return { nodeId: last, named: false, origin: 'last' };
  return { nodeId: await claimFresh(env), named: false, origin: 'fresh' };
}

/** `wanted` is open in another tab: run a fresh node here, and say so. */
async function taken(env: IdentityEnv, wanted: string): Promise<Identity> {
  const nodeId = await claimFresh(env);
  return {
    nodeId,
    named: false,
    origin: 'taken',
    wanted,
    notice:
      `Node "${wanted}" is already open in another tab, and one node runs in one tab only. ` +
      `This tab runs a new node, ${nodeId}, with its own empty wallet. Close the other tab ` +
      `and reload this one to open "${wanted}" here.`,
  };
}

async function claimFresh(env: IdentityEnv): Promise<string> {
  for (;;) {
    const id = env.randomId();
    if (await tryLock(env.locks, id)) return id;
  }
}

/** A random node id like "tab-3f9a1c2e". */
export function randomNodeId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(4));
  return `tab-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}
