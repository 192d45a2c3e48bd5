#!/usr/bin/env node
/**
 * `npm run classroom`: a classroom on one host with one command. Builds the client, starts
 * coturn's `turnserver` (Debian package `coturn`) with a fresh random shared secret, then the
 * tracker serving the page and handing each tab short-lived TURN credentials for that server
 * (TURN_URL + TURN_SECRET, coturn's shared-secret scheme): tabs link directly where the
 * network lets them and through the TURN relay where it isolates clients. Prints the URL to
 * open and what each part needs from the network. Ctrl-C (or SIGTERM) stops both.
 *
 * Settings (environment): PORT, HOST and the tracker's others (docs/architecture.md);
 * TURN_PORT (3478); TURN_HOST, the address(es) tabs reach the TURN server at, comma-separated
 * (default: this host's LAN IPv4 addresses, or HOST when it is one address); TURN_RELAY_PORTS
 * (49152-65535, coturn's default range); TURNSERVER (path of turnserver). `--no-build` serves
 * the existing dist/ without building it again.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
/** URLs per ICE server the page accepts (client/net/ice-config.ts, MAX_ICE_URLS). */
const MAX_TURN_URLS = 4;
/** TURN allocations one credential (one node) may hold: 2 per link (UDP and TCP) and spare. */
const USER_QUOTA = 64;

function fail(message) {
  console.error(`classroom: ${message}`);
  process.exit(2);
}

function findTurnserver() {
  if (process.env.TURNSERVER)
    return existsSync(process.env.TURNSERVER) ? process.env.TURNSERVER : undefined;
  const which = spawnSync('sh', ['-c', 'command -v turnserver'], { encoding: 'utf8' });
  if (which.status === 0) return which.stdout.trim();
  return ['/usr/bin/turnserver', '/usr/sbin/turnserver'].find((p) => existsSync(p));
}

/** This host's addresses other machines can reach (IPv4, not loopback or link-local). */
function lanAddresses() {
  return Object.values(networkInterfaces())
    .flat()
    .filter((i) => i && !i.internal && i.family === 'IPv4' && !i.address.startsWith('169.254.'))
    .map((i) => i.address);
}

function portSetting(name, fallback) {
  const raw = process.env[name] ?? String(fallback);
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    fail(`${name} must be a port from 1 to 65535, got "${raw}"`);
  return port;
}

const turnserver = findTurnserver();
if (!turnserver)
  fail(
    'needs coturn (`turnserver`): sudo apt-get install -y coturn (or set TURNSERVER), ' +
      'or run `npm start` for a tracker without TURN',
  );
if (process.env.TURN_URL || process.env.TURN_SECRET)
  fail('starts its own TURN server: unset TURN_URL and TURN_SECRET (or use `npm start`)');

const host = process.env.HOST || '0.0.0.0';
const port = process.env.PORT || '8080';
const turnPort = portSetting('TURN_PORT', 3478);
const [minPort, maxPort] = (process.env.TURN_RELAY_PORTS ?? '49152-65535').split('-').map(Number);
if (!(minPort >= 1024 && maxPort <= 65535 && minPort < maxPort))
  fail(`TURN_RELAY_PORTS must be a range like 49152-65535, got "${process.env.TURN_RELAY_PORTS}"`);

const allInterfaces = host === '0.0.0.0' || host === '::';
const turnHosts = process.env.TURN_HOST
  ? process.env.TURN_HOST.split(',').map((h) => h.trim())
  : allInterfaces
    ? lanAddresses()
    : [host];
if (turnHosts.length === 0)
  fail('found no LAN address for the TURN server: set TURN_HOST to the address tabs can reach');
if (turnHosts.some((h) => !/^[\d.]+$|^[0-9a-f:]+$/i.test(h)))
  fail(`TURN_HOST must list IP addresses, got "${turnHosts.join(',')}"`);
if (turnHosts.length > MAX_TURN_URLS)
  fail(
    `this host has ${turnHosts.length} addresses (${turnHosts.join(', ')}); a page takes at ` +
      `most ${MAX_TURN_URLS} TURN URLs: set TURN_HOST to the one(s) on the classroom's network`,
  );
const hostPart = (h) => (h.includes(':') ? `[${h}]` : h);
// UDP first (what WebRTC prefers); TCP too, while there is room, for networks that drop UDP.
const turnUrls = turnHosts.map((h) => `turn:${hostPart(h)}:${turnPort}?transport=udp`);
for (const h of turnHosts)
  if (turnUrls.length < MAX_TURN_URLS)
    turnUrls.push(`turn:${hostPart(h)}:${turnPort}?transport=tcp`);
const loopbackOnly = turnHosts.every((h) => h.startsWith('127.') || h === '::1');

/** Why `address`:`port` cannot be had over TCP or UDP, or undefined when both are free. */
async function portTaken(address, port) {
  const tcp = await new Promise((resolve) => {
    const server = createServer();
    server.once('error', (err) => resolve(`TCP: ${err.code}`));
    server.listen(port, address, () => server.close(() => resolve(undefined)));
  });
  if (tcp) return tcp;
  return new Promise((resolve) => {
    const socket = createSocket(address.includes(':') ? 'udp6' : 'udp4');
    socket.once('error', (err) => resolve(`UDP: ${err.code}`));
    socket.bind(port, address, () => socket.close(() => resolve(undefined)));
  });
}

// coturn itself starts even when another TURN server holds the port (both then answer, each
// refusing the other's credentials), so look first. Debian's coturn package may run its own.
for (const address of turnHosts) {
  const taken = await portTaken(address, turnPort);
  if (taken)
    fail(
      `port ${turnPort} on ${address} is not free (${taken}): is coturn's system service ` +
        'running (sudo systemctl disable --now coturn)? Or set TURN_PORT to another port.',
    );
}

if (!process.argv.includes('--no-build')) {
  const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) fail('the client build failed (see above)');
}

const scratch = mkdtempSync(join(tmpdir(), 'tabcoin-classroom-'));
const secret = randomBytes(32).toString('base64url');
// The secret goes in a config file only this user can read (the folder is 0700, the file
// 0600), not on coturn's command line, which every local user can read in /proc.
const config = join(scratch, 'turnserver.conf');
writeFileSync(
  config,
  [
    ...turnHosts.map((h) => `listening-ip=${h}`),
    `listening-port=${turnPort}`,
    `min-port=${minPort}`,
    `max-port=${maxPort}`,
    'use-auth-secret',
    `static-auth-secret=${secret}`,
    'realm=tabcoin',
    'fingerprint',
    `user-quota=${USER_QUOTA}`,
    'no-multicast-peers',
    ...(loopbackOnly ? ['allow-loopback-peers'] : []),
    'no-tls',
    'no-dtls',
    'no-cli',
    'log-file=stdout',
    'simple-log',
    `pidfile=${join(scratch, 'turnserver.pid')}`,
    `userdb=${join(scratch, 'turndb.sqlite')}`,
    '',
  ].join('\n'),
  { mode: 0o600 },
);
const coturn = spawn(turnserver, ['-c', config], { stdio: ['ignore', 'pipe', 'pipe'] });
let tracker;
let stopping = false;

/** Stops whichever still runs, then exits with `code`. */
async function stop(code) {
  if (stopping) return;
  stopping = true;
  const ends = [coturn, tracker]
    .filter((child) => child && child.exitCode === null && child.signalCode === null)
    .map((child) => {
      const ended = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      return ended;
    });
  await Promise.all(ends);
  rmSync(scratch, { recursive: true, force: true });
  console.log('classroom: stopped the tracker and the TURN server');
  process.exit(code);
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(0));

let coturnLog = '';
const coturnReady = new Promise((resolve) => {
  const onData = (chunk) => {
    coturnLog = (coturnLog + chunk.toString()).slice(-20_000);
    if (/Total General servers/.test(coturnLog)) resolve();
  };
  coturn.stdout.on('data', onData);
  coturn.stderr.on('data', onData);
});
coturn.once('exit', (code) => {
  if (stopping) return;
  console.error(`classroom: the TURN server exited (${code}):\n${coturnLog.slice(-4000)}`);
  if (/Address already in use|Cannot bind/i.test(coturnLog))
    console.error(`classroom: is another TURN server on port ${turnPort}? Set TURN_PORT.`);
  stop(1);
});
const coturnTimeout = setTimeout(() => {
  console.error(`classroom: the TURN server did not start within 15 s:\n${coturnLog}`);
  stop(1);
}, 15_000);
await coturnReady;
clearTimeout(coturnTimeout);
if (stopping) await new Promise(() => {}); // stop() exits the process

tracker = spawn(process.execPath, ['--import', 'tsx', 'tracker/main.ts'], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
  env: {
    ...process.env,
    HOST: host,
    PORT: port,
    STATIC_DIR: process.env.STATIC_DIR ?? 'dist',
    TURN_URL: turnUrls.join(','),
    TURN_SECRET: secret,
  },
});
tracker.once('exit', (code) => {
  if (stopping) return;
  console.error(`classroom: the tracker exited (${code})`);
  stop(1);
});
let trackerOut = '';
let announced = false;
tracker.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  if (announced) return;
  trackerOut += chunk.toString();
  const listening = /listening on http:\/\/\S+:(\d+)/.exec(trackerOut);
  if (!listening || !/Handing out TURN credentials for .*\n/.test(trackerOut)) return;
  announced = true;
  const pagePort = listening[1];
  const turnAt = turnHosts.map(hostPart).join(', ');
  console.log(
    [
      '',
      `TURN server (coturn) on ${turnAt} port ${turnPort}, with a fresh secret for this run.`,
      'What each part needs from the network (allow these to this host in its firewall):',
      `  page + tracker   TCP ${pagePort}: every student's browser (HTTP and WebSocket)`,
      `  TURN             UDP and TCP ${turnPort}: every student's browser (TCP where UDP is blocked)`,
      `  TURN relays      UDP ${minPort}-${maxPort}: every student's browser (relayed WebRTC traffic)`,
      '  between students nothing to open: WebRTC links directly (UDP, any port) where the',
      '                   network lets machines reach each other, else through the TURN relay.',
      'Press Ctrl-C to stop both.',
    ].join('\n'),
  );
});
