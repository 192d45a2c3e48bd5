/**
 * NodeController's render timing at the tip (client/ui/node-controller.ts, client/pacer.ts): a
 * render asked for just after a new tip waits for the block's relay moment, and no render waits
 * more than one moment in all, however often new tips move it on (blocks mined back to back
 * held the status line until the last of them). In Node: an EventTarget stands in for the
 * element (it answers the context request with the node), animation frames and timers are
 * driven by hand.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NodeController } from '../../../client/ui/node-controller.js';
import { RELAY_FIRST_MS } from '../../../client/pacer.js';
import type { TabNode } from '../../../client/node.js';

type Listener = () => void;

function fakeNode() {
  const listeners = new Map<string, Set<Listener>>();
  return {
    state: { chain: { bestHeader: { height: 10 }, height: 10 } },
    relayFirstUntil: 0,
    on(event: string, fn: Listener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(fn);
      return () => listeners.get(event)!.delete(fn);
    },
    emit(event: string) {
      for (const fn of listeners.get(event) ?? []) fn();
    },
    /** A new tip at the tip: the node sets the relay moment, then the UI hears of it. */
    newTip() {
      this.relayFirstUntil = performance.now() + RELAY_FIRST_MS;
      this.emit('changed');
    },
  };
}

/** A host element: counts renders, answers the node context request with `node`. */
function fakeHost(node: ReturnType<typeof fakeNode>) {
  const host = new EventTarget() as EventTarget & {
    controllers: { hostConnected?(): void }[];
    renders: number;
    addController(c: { hostConnected?(): void }): void;
    requestUpdate(): void;
  };
  host.controllers = [];
  host.renders = 0;
  host.addController = (c) => void host.controllers.push(c);
  host.requestUpdate = () => void host.renders++;
  host.addEventListener('context-request', (event) => {
    const request = event as Event & { callback(value: unknown, unsubscribe?: () => void): void };
    request.callback(node as unknown as TabNode, () => {});
  });
  return host;
}

let frames: FrameRequestCallback[] = [];
/** Run the animation frames asked for so far. */
const frame = () => {
  const due = frames;
  frames = [];
  for (const fn of due) fn(performance.now());
};

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  frames = [];
  vi.stubGlobal('requestAnimationFrame', (fn: FrameRequestCallback) => frames.push(fn));
  vi.stubGlobal('cancelAnimationFrame', () => {});
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

function setUp() {
  const node = fakeNode();
  const host = fakeHost(node);
  const controller = new NodeController(host as never, { events: ['changed'] });
  for (const c of host.controllers) c.hostConnected?.();
  frame(); // the first render, when the node arrives (the context consumer asks for one too)
  expect(controller.node).toBe(node);
  const base = host.renders;
  expect(base).toBeGreaterThan(0);
  return { node, renders: () => host.renders - base };
}

describe('NodeController at the tip', () => {
  it('a render asked for after a new tip waits out the relay moment', () => {
    const { node, renders } = setUp();
    node.newTip();
    frame();
    expect(renders()).toBe(0);
    vi.advanceTimersByTime(RELAY_FIRST_MS - 1);
    frame();
    expect(renders()).toBe(0);
    vi.advanceTimersByTime(1);
    frame();
    expect(renders()).toBe(1);
  });

  it('a frame asked for before a new tip waits when it comes, but one moment at most in all', () => {
    const { node, renders } = setUp();
    node.emit('changed'); // asked for with no new tip: a frame at once...
    vi.advanceTimersByTime(10);
    node.newTip(); // ...but a tip comes before it
    frame();
    expect(renders(), 'held for the new block').toBe(0);
    // Blocks back to back, every 100 ms: each moves the relay moment on.
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(100);
      node.newTip();
      frame();
    }
    // Each render came at the first frame after its 150 ms were up (at 210 and 510 ms), mid-run:
    // the status line follows the run instead of waiting for its last block.
    expect(renders()).toBe(2);
  });
});
