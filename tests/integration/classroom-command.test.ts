/**
 * `npm run classroom` (tools/classroom.mjs): it starts coturn and the tracker, prints the URL
 * and what each part needs from the network, the tracker hands out TURN credentials that this
 * coturn accepts (coturn's own test client, `turnutils_uclient`, relays messages between two
 * allocations with them, over UDP and TCP) and refuses with a wrong password, and SIGTERM stops
 * both (their ports are free again). Without coturn, with TURN_URL already set, or with the
 * TURN port taken (Debian's coturn service), it refuses to start and says why. The coturn cases are skipped, saying why, where coturn is missing.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import type { PeersAnswer } from '../../core/wire/signal.js';
import { NET_A, closeAll, connect } from '../helpers/tracker-client.js';

const UCLIENT = '/usr/bin/turnutils_uclient';
const hasCoturn = existsSync('/usr/bin/turnserver') && existsSync(UCLIENT);
let child: ChildProcess | undefined;

afterAll(() => {
  closeAll();
  if (child?.exitCode === null) child.kill('SIGKILL');
});

/** A port free for TCP right now (coturn uses the same number for UDP and TCP). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** True when something listens on 127.0.0.1:`port` (TCP). */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(true));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(false)));
  });
}

/** The exit code of `proc`, once it has exited. */
function exitOf(proc: ChildProcess): Promise<number | null> {
  if (proc.exitCode !== null) return Promise.resolve(proc.exitCode);
  return new Promise((resolve) => proc.once('exit', resolve));
}

function classroom(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['tools/classroom.mjs', '--no-build'], {
    env: { ...process.env, TURN_URL: '', TURN_SECRET: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Output until `done` matches it, or the process exits (rejects after `ms`). */
function outputUntil(proc: ChildProcess, done: RegExp, ms = 30_000): Promise<string> {
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out:\n${output}`)), ms);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (done.test(output)) {
        clearTimeout(timer);
        resolve(output);
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve(output);
    });
  });
}

/** coturn's test client: two allocations sending `n` messages to each other through the relay. */
function relayThrough(port: number, username: string, credential: string, tcp: boolean) {
  const args = ['-y', '-n', '3', '-m', '1', '-p', String(port), '-u', username, '-w', credential];
  const result = spawnSync(UCLIENT, [...(tcp ? ['-t'] : []), ...args, '127.0.0.1'], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('npm run classroom', () => {
  it.skipIf(!hasCoturn)(
    'starts coturn and the tracker, whose credentials coturn accepts; SIGTERM stops both',
    async () => {
      const [pagePort, turnPort] = [await freePort(), await freePort()];
      child = classroom({
        HOST: '127.0.0.1',
        PORT: String(pagePort),
        TURN_PORT: String(turnPort),
      });
      const output = await outputUntil(child, /Press Ctrl-C to stop both/);
      expect(output).toContain(`Open http://127.0.0.1:${pagePort} in several tabs.`);
      expect(output).toContain(`TURN server (coturn) on 127.0.0.1 port ${turnPort}`);
      expect(output).toMatch(new RegExp(`page \\+ tracker +TCP ${pagePort}:`));
      expect(output).toMatch(new RegExp(`TURN +UDP and TCP ${turnPort}:`));
      expect(output).toMatch(/TURN relays +UDP 49152-65535:/);

      const socket = await connect(`http://127.0.0.1:${pagePort}`);
      const answer = (await socket
        .timeout(5000)
        .emitWithAck('join', { network: NET_A, nodeId: 'teacher' })) as PeersAnswer;
      const [grant] = answer.iceServers ?? [];
      expect(grant?.urls).toEqual([
        `turn:127.0.0.1:${turnPort}?transport=udp`,
        `turn:127.0.0.1:${turnPort}?transport=tcp`,
      ]);
      expect(grant!.username).toMatch(/^\d+:teacher$/);

      for (const tcp of [false, true]) {
        const relayed = relayThrough(turnPort, grant!.username, grant!.credential, tcp);
        expect(relayed.status, relayed.output).toBe(0);
        expect(relayed.output).toMatch(/tot_recv_msgs=[1-9]/);
      }
      const refused = relayThrough(turnPort, grant!.username, 'd3Jvbmc=', false);
      expect(refused.status).not.toBe(0);
      expect(refused.output).toContain('Cannot complete Allocation');

      closeAll();
      const exited = exitOf(child);
      const rest = outputUntil(child, /stopped the tracker and the TURN server/);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(await rest).toContain('classroom: stopped the tracker and the TURN server');
      expect(await listening(pagePort)).toBe(false);
      expect(await listening(turnPort)).toBe(false);
    },
    60_000,
  );

  it('without coturn, says how to install it and does not start', async () => {
    child = classroom({ TURNSERVER: '/nonexistent/turnserver', PORT: '0', HOST: '127.0.0.1' });
    const output = await outputUntil(child, /needs coturn/);
    expect(output).toContain('apt-get install -y coturn');
    expect(await exitOf(child)).toBe(2);
  });

  it('refuses a TURN_URL of its own: it runs the TURN server itself', async () => {
    child = classroom({ TURN_URL: 'turn:192.0.2.1:3478', TURNSERVER: process.execPath });
    const output = await outputUntil(child, /unset TURN_URL/);
    expect(output).toContain('starts its own TURN server');
    expect(await exitOf(child)).toBe(2);
  });

  it("refuses a TURN port another program holds (as Debian's coturn service would)", async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as { port: number };
    try {
      child = classroom({
        HOST: '127.0.0.1',
        PORT: '0',
        TURN_PORT: String(port),
        TURNSERVER: process.execPath, // never started: the port check comes first
      });
      const output = await outputUntil(child, /is not free/);
      expect(output).toContain(`port ${port} on 127.0.0.1 is not free (TCP: EADDRINUSE)`);
      expect(output).toContain('systemctl disable --now coturn');
      expect(await exitOf(child)).toBe(2);
    } finally {
      holder.close();
    }
  });
});
