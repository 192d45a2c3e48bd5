/**
 * Tracker load on loopback (bounded): 2,000 simulated peers join one room and exchange
 * signals with the peers they were introduced to. Prints join latency p50/p99, signals per
 * second and the tracker's memory per connection (a separate process, read from /metrics).
 */
import { spawn } from 'node:child_process';
import { io, type Socket } from 'socket.io-client';

const NETWORK = 'c'.repeat(64);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : NaN;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms),
    ),
  ]);
}

async function startTrackerProcess(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tracker/main.ts'], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      RATE_LIMIT_PER_SECOND: '1000',
      RATE_LIMIT_BURST: '1000',
      // Every simulated peer joins from 127.0.0.1: lift the per-address join limit.
      JOIN_BURST: '1000000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await withTimeout(
    new Promise<string>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        const match = /listening on (http:\/\/\S+)/.exec(chunk.toString());
        if (match) resolve(match[1]!);
      });
    }),
    20_000,
    'tracker start',
  );
  return { url, stop: () => child.kill('SIGTERM') };
}

export async function benchTracker(
  peers = 2000,
  signalsPerPeer = 4,
  concurrency = 100,
): Promise<void> {
  const tracker = await startTrackerProcess();
  const sockets: Socket[] = [];
  try {
    const rssBefore = await metric(tracker.url, 'process_resident_memory_bytes');
    const heapBefore = await metric(tracker.url, 'nodejs_heap_size_used_bytes');
    const latencies: number[] = [];
    const introduced: string[][] = [];
    let received = 0;
    let next = 0;
    const joinOne = async (i: number) => {
      const socket = io(tracker.url, {
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      sockets[i] = socket;
      socket.on('signal', () => received++);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      const start = performance.now();
      const answer = (await socket
        .timeout(30_000)
        .emitWithAck('join', { network: NETWORK, nodeId: `peer${i}` })) as {
        peers: string[];
      };
      latencies.push(performance.now() - start);
      introduced[i] = answer.peers;
    };
    const joinStart = performance.now();
    await withTimeout(
      Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < peers) await joinOne(next++);
        }),
      ),
      120_000,
      `${peers} joins`,
    );
    const joinSeconds = (performance.now() - joinStart) / 1000;
    const rssAfter = await metric(tracker.url, 'process_resident_memory_bytes');
    const heapAfter = await metric(tracker.url, 'nodejs_heap_size_used_bytes');

    let expected = 0;
    const signalStart = performance.now();
    sockets.forEach((socket, i) => {
      for (const to of (introduced[i] ?? []).slice(0, signalsPerPeer)) {
        socket.emit('signal', {
          to,
          data: {
            type: 'candidate',
            candidate: `candidate:${i} 1 udp 2122260223 127.0.0.1 ${40000 + i} typ host`,
          },
        });
        expected++;
      }
    });
    await withTimeout(
      new Promise<void>((resolve) => {
        const check = () => (received >= expected ? resolve() : setTimeout(check, 5));
        check();
      }),
      60_000,
      `${expected} signals`,
    );
    const signalSeconds = (performance.now() - signalStart) / 1000;
    latencies.sort((a, b) => a - b);
    console.log(
      `tracker load: ${peers} peers on loopback (tracker in its own process), concurrency ${concurrency}`,
    );
    console.log(
      `  join latency p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms; ` +
        `${(peers / joinSeconds).toFixed(0)} joins/s`,
    );
    console.log(
      `  signals: ${expected} relayed in ${signalSeconds.toFixed(2)} s = ${(expected / signalSeconds).toFixed(0)} /s`,
    );
    console.log(
      `  memory per connection: ${((rssAfter - rssBefore) / peers / 1024).toFixed(1)} KiB RSS, ` +
        `${((heapAfter - heapBefore) / peers / 1024).toFixed(1)} KiB JS heap`,
    );
  } finally {
    for (const socket of sockets) socket?.close();
    tracker.stop();
  }
}
