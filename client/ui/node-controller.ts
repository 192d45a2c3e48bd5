/**
 * A reactive controller that gives a component the node (from `nodeContext`) and re-renders it
 * when chosen node events fire, at most once per animation frame: a syncing node emits hundreds
 * of events a second, and a hidden tab (no frames) then does no DOM work at all. During a sync,
 * a component off screen (IntersectionObserver) does none either until it scrolls into view or
 * the sync ends; those that skipped renders then catch up one per frame, so that no frame of the
 * sync's UI is a long task.
 *
 * @example
 * private readonly ctl = new NodeController(this, { events: ['changed', 'mining'] });
 * render() { const node = this.ctl.node; ... }
 */
import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { NodeEvents, TabNode } from '../node.js';
import { nodeContext } from './node-context.js';
import { isCatchingUp as chainCatchingUp, relayWait, renderDelay } from '../pacer.js';

/** True while the node downloads a run of blocks (client/pacer.ts). */
export function isCatchingUp(node: TabNode): boolean {
  return chainCatchingUp(node.state.chain);
}

/** Controllers whose host skipped renders off screen during a sync. */
const owed = new Set<NodeController>();
let repaying = 0;

/** Render the owed hosts, one per animation frame, so no frame does all of them. */
function repayOwed(): void {
  if (repaying) return;
  const step = () => {
    repaying = 0;
    const next = owed.values().next().value;
    if (!next) return;
    owed.delete(next);
    next.repay();
    if (owed.size > 0) repaying = requestAnimationFrame(step);
  };
  repaying = requestAnimationFrame(step);
}

export interface NodeControllerOptions {
  /** Node events that should re-render the host. */
  events: readonly (keyof NodeEvents)[];
  /** Other sources to watch once the node is known: subscribe `schedule`, return the offs. */
  watch?: (node: TabNode, schedule: () => void) => (() => void)[];
  /**
   * Called once per frame in which something changed (and once when the node arrives), before
   * the host re-renders: the place to start async reads such as wallet balances.
   */
  onFrame?: (node: TabNode) => void;
}

export class NodeController implements ReactiveController {
  node: TabNode | undefined = undefined;
  private subscriptions: (() => void)[] = [];
  private frame = 0;
  private timer: ReturnType<typeof setTimeout> | undefined = undefined;
  /** When the render now waiting (frame or timer) was first asked for, performance.now(). */
  private askedAt = 0;
  private connected = false;
  /** Whether the host is on screen (IntersectionObserver; true where there is none). */
  private visible = true;
  private observer: IntersectionObserver | undefined = undefined;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: NodeControllerOptions,
  ) {
    host.addController(this);
    new ContextConsumer(host, {
      context: nodeContext,
      subscribe: true,
      callback: (node) => this.attach(node),
    });
  }

  hostConnected(): void {
    this.connected = true;
    if (typeof IntersectionObserver !== 'undefined') {
      this.observer ??= new IntersectionObserver((entries) => {
        this.visible = entries.some((e) => e.isIntersecting);
        if (this.visible && owed.delete(this)) this.schedule();
      });
      this.observer.observe(this.host);
    }
    if (this.node) this.attach(this.node);
  }

  hostDisconnected(): void {
    this.connected = false;
    this.observer?.disconnect();
    owed.delete(this);
    this.unsubscribe();
    if (this.frame) cancelAnimationFrame(this.frame);
    clearTimeout(this.timer);
    this.frame = 0;
    this.timer = undefined;
  }

  /**
   * Ask for a re-render (and an `onFrame` call) on the next animation frame; while the node
   * is syncing, at most every SYNC_PACE_MS (rendering every frame would take a good part of
   * the main thread the sync needs); just after a new tip, once the block has had its moment
   * on the network (`renderDelay`).
   */
  schedule = (): void => {
    if (this.frame || this.timer) return;
    const node = this.node;
    this.askedAt = performance.now();
    const wait = node ? renderDelay(node.state.chain, node.relayFirstUntil, this.askedAt) : 0;
    if (wait > 0) this.later(wait);
    else this.frame = requestAnimationFrame(this.run);
  };

  private later(wait: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.frame ||= requestAnimationFrame(this.run);
    }, wait);
  }

  private run = (): void => {
    this.frame = 0;
    // A new tip since this frame was asked for: its block is still crossing the network (but
    // no render waits more than one relay moment in all, however fast blocks come).
    const node = this.node;
    const now = performance.now();
    const wait = node ? relayWait(node.state.chain, node.relayFirstUntil, now, this.askedAt) : 0;
    if (wait > 0) return this.later(wait);
    // Off screen during a sync: no DOM work until the host scrolls into view or the sync ends;
    // then the hosts that skipped renders catch up one per frame (all at once took 0.5 s).
    if (this.node && isCatchingUp(this.node)) {
      if (!this.visible) return void owed.add(this);
    } else if (owed.size > 0) repayOwed();
    owed.delete(this);
    if (this.node) this.options.onFrame?.(this.node);
    this.host.requestUpdate();
  };

  /** Render now (an owed render, after a sync). */
  repay(): void {
    if (!this.connected || !this.node) return;
    this.options.onFrame?.(this.node);
    this.host.requestUpdate();
  }

  private attach(node: TabNode | undefined): void {
    this.unsubscribe();
    this.node = node;
    if (!node || !this.connected) return;
    for (const event of this.options.events) this.subscriptions.push(node.on(event, this.schedule));
    if (this.options.watch) this.subscriptions.push(...this.options.watch(node, this.schedule));
    this.schedule();
  }

  private unsubscribe(): void {
    for (const off of this.subscriptions.splice(0)) off();
  }
}
