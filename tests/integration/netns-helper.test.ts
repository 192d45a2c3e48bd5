/**
 * The network-namespace helper the cross-host e2e tests stand on (tests/helpers/netns.ts): the
 * network it builds is the one they describe (hosts reach the server and each other; isolated,
 * only the server; with multicast dropped, unicast but no mDNS), it removes everything it made, cleans up after a step fails, and deletes
 * namespaces (and what runs in them) left by an earlier run. Skipped, saying why, where
 * namespaces cannot be made (not root, no `ip`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  createNetwork,
  multicastReachable,
  netnsUnavailable,
  removeStaleNamespaces,
  tcpReachable,
} from '../helpers/netns.js';

// Not the e2e spec's names or subnet, so both may run at once.
const PREFIX = `${process.env.NETNS_PREFIX ?? 'tcnet'}t`.slice(0, 8);
const SUBNET = '10.231.9';
const unavailable = netnsUnavailable(PREFIX);
const namespaces = () =>
  spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .stdout.split('\n')
    .map((line) => line.split(' ')[0]!)
    .filter((name) => name.startsWith(`${PREFIX}-`))
    .sort();

describe.skipIf(!!unavailable)(`network namespaces (${unavailable ?? 'available'})`, () => {
  it('hosts reach the server and each other; isolated, only the server; multicast dropped, unicast only; removed, nothing is left', async () => {
    removeStaleNamespaces(PREFIX);
    const net = createNetwork({ prefix: PREFIX, subnet: SUBNET, hosts: ['a', 'b'] });
    try {
      expect(namespaces()).toEqual([`${PREFIX}-a`, `${PREFIX}-b`, `${PREFIX}-srv`]);
      const [a, b] = net.hosts;
      expect([a!.address, b!.address, net.server.address]).toEqual([
        `${SUBNET}.11`,
        `${SUBNET}.12`,
        `${SUBNET}.1`,
      ]);
      expect(tcpReachable(a!.ns, b!.address, 9)).toBe(true);
      expect(tcpReachable(a!.ns, net.server.address, 9)).toBe(true);
      net.isolate(true);
      expect(tcpReachable(a!.ns, b!.address, 9, 500)).toBe(false);
      expect(tcpReachable(b!.ns, a!.address, 9, 500)).toBe(false);
      expect(tcpReachable(b!.ns, net.server.address, 9)).toBe(true);
      expect(await multicastReachable(a!.ns, b!.ns)).toBe(false);
      net.isolate(false);
      expect(tcpReachable(a!.ns, b!.address, 9)).toBe(true);
      expect(await multicastReachable(a!.ns, b!.ns)).toBe(true);
      net.dropMulticast(true); // unicast still flows, multicast not
      expect(tcpReachable(a!.ns, b!.address, 9)).toBe(true);
      expect(await multicastReachable(a!.ns, b!.ns)).toBe(false);
      net.dropMulticast(false);
      // Each host's Chromium wrapper starts the browser inside that host's namespace.
      expect(existsSync(a!.chromium)).toBe(true);
      expect(net.runIn(a!.ns, 'ip', ['-4', '-o', 'addr', 'show']).output).toContain(a!.address);
    } finally {
      net.remove();
    }
    expect(namespaces()).toEqual([]);
    expect(existsSync(net.hosts[0]!.chromium)).toBe(false);
  });

  it('a step that fails removes what was made before it, and nothing else', () => {
    removeStaleNamespaces(PREFIX);
    spawnSync('ip', ['netns', 'add', `${PREFIX}-b`]); // someone else's: host b cannot be made
    try {
      expect(() => createNetwork({ prefix: PREFIX, subnet: SUBNET, hosts: ['a', 'b'] })).toThrow(
        /ip netns add/,
      );
      expect(namespaces()).toEqual([`${PREFIX}-b`]);
    } finally {
      spawnSync('ip', ['netns', 'del', `${PREFIX}-b`]);
    }
  });

  it("deletes an earlier run's namespaces and ends what still runs in them", async () => {
    const stale = `${PREFIX}-old`;
    spawnSync('ip', ['netns', 'add', stale]);
    const sleeper = spawn('ip', ['netns', 'exec', stale, 'sleep', '600'], { stdio: 'ignore' });
    const ended = new Promise((resolve) =>
      sleeper.once('exit', (_code, signal) => resolve(signal)),
    );
    await expect
      .poll(() => spawnSync('ip', ['netns', 'pids', stale], { encoding: 'utf8' }).stdout.trim())
      .not.toBe('');
    expect(removeStaleNamespaces(PREFIX)).toEqual([stale]);
    expect(await ended).toBe('SIGKILL');
    expect(namespaces()).toEqual([]);
  });
});
