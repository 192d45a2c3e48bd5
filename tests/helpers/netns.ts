/**
 * A small multi-host network on one Linux machine, built from network namespaces (root and
 * iproute2's `ip`): a "server" namespace holding a bridge with the server's address, like a
 * classroom's Wi-Fi access point with the teacher's machine on it, and "host" namespaces, each
 * plugged into the bridge by a veth pair, with a default route via the server (Chromium
 * gathers no ICE candidates in a namespace without a default route). Nothing touches the
 * machine's own interfaces: only the namespaces' addresses and their loopback are used.
 *
 * `isolate(true)` turns on bridge port isolation on every host port, as on a Wi-Fi that
 * isolates clients: hosts still reach the server's address but no longer each other (no
 * frames, so no ARP, unicast or mDNS between them), and the server does not route between them
 * (net.ipv4.ip_forward=0 in its namespace). iptables/nftables are not needed.
 *
 * Processes run inside a namespace through `ip netns exec` (which execs the command, so the
 * child's pid is the process itself); Chromium through a wrapper script given to Playwright as
 * its executable (Playwright talks to the browser over a pipe, which the wrapper passes on).
 */
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface NetnsHost {
  /** Namespace name, e.g. tcnet-a. */
  ns: string;
  /** Its address on the bridge, e.g. 10.231.0.11. */
  address: string;
  /** A Chromium launcher that runs the browser inside this namespace. */
  chromium: string;
}

export interface NetnsNetwork {
  server: { ns: string; address: string };
  hosts: NetnsHost[];
  /** On: hosts reach the server but not each other (client isolation). */
  isolate(on: boolean): void;
  /**
   * On: the bridge stops passing multicast to the hosts (as a Wi-Fi that filters it), so mDNS
   * names do not resolve between hosts; unicast, ARP and broadcast still flow.
   */
  dropMulticast(on: boolean): void;
  /** Starts `command` inside namespace `ns`. */
  spawnIn(ns: string, command: string, args: string[], options?: SpawnOptions): ChildProcess;
  /** Runs `command` inside `ns` and returns its exit status and output. */
  runIn(ns: string, command: string, args: string[]): { status: number | null; output: string };
  /** Ends what still runs in the namespaces and deletes them (with their veths and bridge). */
  remove(): void;
}

export interface NetnsOptions {
  /** Prefix of every namespace and interface name (at most 8 characters), e.g. "tcnet". */
  prefix: string;
  /** First three octets of the /24 the network uses, e.g. "10.231.0". */
  subnet: string;
  /** Host names (one letter or word each, e.g. ["a", "b"]). */
  hosts: string[];
  /** The browser the wrappers start (default CHROMIUM_PATH or /usr/bin/chromium). */
  chromiumPath?: string;
}

/** Runs `ip` with `args`; throws with its stderr when it fails. */
function ip(args: string[]): string {
  const result = spawnSync('ip', args, { encoding: 'utf8' });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`ip ${args.join(' ')}: ${result.stderr.trim()}`);
  return result.stdout;
}

/**
 * Why namespaces cannot be made here, or undefined when they can: not root, no `ip`, or the
 * kernel or container refusing `ip netns add` (tried once with a throwaway namespace).
 */
export function netnsUnavailable(prefix: string): string | undefined {
  if (process.platform !== 'linux')
    return `network namespaces are Linux-only (${process.platform})`;
  if (process.getuid?.() !== 0) return 'network namespaces need root (ip netns add)';
  const probe = spawnSync('ip', ['-V'], { encoding: 'utf8' });
  if (probe.error) return 'needs iproute2 (`ip`): apt-get install -y iproute2';
  const name = `${prefix}-probe`;
  spawnSync('ip', ['netns', 'del', name]);
  const add = spawnSync('ip', ['netns', 'add', name], { encoding: 'utf8' });
  if (add.status !== 0) return `ip netns add failed here: ${add.stderr.trim()}`;
  spawnSync('ip', ['netns', 'del', name]);
  return undefined;
}

/** Ends the processes still inside namespace `ns` (ours: only this helper starts them). */
function endProcessesIn(ns: string): void {
  const pids = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).stdout ?? '';
  for (const pid of pids.split(/\s+/).filter(Boolean).map(Number)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Deletes namespaces named `<prefix>-…` left behind by an earlier run that did not clean up. */
export function removeStaleNamespaces(prefix: string): string[] {
  const names = ip(['netns', 'list'])
    .split('\n')
    .map((line) => line.split(' ')[0]!)
    .filter((name) => name.startsWith(`${prefix}-`));
  for (const name of names) {
    endProcessesIn(name);
    spawnSync('ip', ['netns', 'del', name]);
  }
  return names;
}

/** Builds the network; on any failure removes what it made and rethrows. */
export function createNetwork(options: NetnsOptions): NetnsNetwork {
  const { prefix, subnet, hosts } = options;
  if (!/^[a-z0-9]{1,8}$/.test(prefix)) throw new RangeError(`prefix must be 1–8 of [a-z0-9]`);
  if (!/^\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(subnet)) throw new RangeError('subnet like 10.231.0');
  if (hosts.length === 0 || hosts.length > 100) throw new RangeError('hosts: 1 to 100 names');
  if (hosts.some((h) => !/^[a-z0-9]{1,4}$/.test(h)))
    throw new RangeError('host names: 1–4 [a-z0-9]');

  const serverNs = `${prefix}-srv`;
  const bridge = `${prefix}-br`;
  const made: string[] = [];
  const wrappers = mkdtempSync(join(tmpdir(), `${prefix}-chromium-`));
  const browser = options.chromiumPath ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

  const remove = () => {
    for (const ns of made.reverse()) {
      endProcessesIn(ns);
      spawnSync('ip', ['netns', 'del', ns]);
    }
    made.length = 0;
    rmSync(wrappers, { recursive: true, force: true });
  };

  const hostPort = (name: string) => `${prefix}-${name}-p`; // the bridge side of the veth
  const setPort = (port: string, flag: string, on: boolean) =>
    ip([
      '-n',
      serverNs,
      'link',
      'set',
      'dev',
      port,
      'type',
      'bridge_slave',
      flag,
      on ? 'on' : 'off',
    ]);
  try {
    ip(['netns', 'add', serverNs]);
    made.push(serverNs);
    ip(['-n', serverNs, 'link', 'set', 'lo', 'up']);
    ip(['-n', serverNs, 'link', 'add', bridge, 'type', 'bridge']);
    ip(['-n', serverNs, 'addr', 'add', `${subnet}.1/24`, 'dev', bridge]);
    ip(['-n', serverNs, 'link', 'set', bridge, 'up']);
    // The server is no router between its clients (a new namespace starts at 0; say it).
    ip(['netns', 'exec', serverNs, 'sysctl', '-qw', 'net.ipv4.ip_forward=0']);

    const built = hosts.map((name, i): NetnsHost => {
      const ns = `${prefix}-${name}`;
      const address = `${subnet}.${11 + i}`;
      const inside = `${prefix}-${name}-e`;
      ip(['netns', 'add', ns]);
      made.push(ns);
      ip(['-n', ns, 'link', 'set', 'lo', 'up']);
      // Created straight into the two namespaces: nothing appears in the machine's own.
      ip([
        'link',
        'add',
        inside,
        'netns',
        ns,
        'type',
        'veth',
        'peer',
        'name',
        hostPort(name),
        'netns',
        serverNs,
      ]);
      ip(['-n', serverNs, 'link', 'set', hostPort(name), 'master', bridge, 'up']);
      ip(['-n', ns, 'addr', 'add', `${address}/24`, 'dev', inside]);
      ip(['-n', ns, 'link', 'set', inside, 'up']);
      ip(['-n', ns, 'route', 'add', 'default', 'via', `${subnet}.1`]);
      const chromium = join(wrappers, `chromium-${name}`);
      writeFileSync(chromium, `#!/bin/sh\nexec ip netns exec ${ns} '${browser}' "$@"\n`);
      chmodSync(chromium, 0o755);
      return { ns, address, chromium };
    });

    return {
      server: { ns: serverNs, address: `${subnet}.1` },
      hosts: built,
      isolate(on) {
        for (const name of hosts) setPort(hostPort(name), 'isolated', on);
      },
      dropMulticast(on) {
        for (const name of hosts) setPort(hostPort(name), 'mcast_flood', !on);
      },
      spawnIn(ns, command, args, spawnOptions = {}) {
        return spawn('ip', ['netns', 'exec', ns, command, ...args], spawnOptions);
      },
      runIn(ns, command, args) {
        const result = spawnSync('ip', ['netns', 'exec', ns, command, ...args], {
          encoding: 'utf8',
        });
        return { status: result.status, output: `${result.stdout}${result.stderr}` };
      },
      remove,
    };
  } catch (err) {
    remove();
    throw err;
  }
}

/**
 * True when a TCP connection from namespace `ns` to `address`:`port` opens within `timeoutMs`
 * (a refused connection also proves the address answers; only silence means unreachable).
 */
export function tcpReachable(ns: string, address: string, port: number, timeoutMs = 1500): boolean {
  const script = `const s=require('net').connect(${port},'${address}');s.setTimeout(${timeoutMs});
s.on('connect',()=>process.exit(0));s.on('error',(e)=>process.exit(e.code==='ECONNREFUSED'?0:1));
s.on('timeout',()=>process.exit(1));`;
  const result = spawnSync('ip', ['netns', 'exec', ns, process.execPath, '-e', script]);
  return result.status === 0;
}

/**
 * True when a UDP datagram sent from namespace `from` to the mDNS group (224.0.0.251, on a
 * test port, not 5353) reaches a listener in namespace `to` within `timeoutMs` of it listening.
 */
export async function multicastReachable(
  from: string,
  to: string,
  timeoutMs = 1500,
): Promise<boolean> {
  const port = 5399;
  const listen = `const s=require('dgram').createSocket({type:'udp4',reuseAddr:true});
s.on('message',()=>process.exit(0));
s.bind(${port},()=>{s.addMembership('224.0.0.251');console.log('ready');
setTimeout(()=>process.exit(1),${timeoutMs});});`;
  const send = `const s=require('dgram').createSocket('udp4');let n=0;
const t=setInterval(()=>{s.send('probe',${port},'224.0.0.251');if(++n===5){clearInterval(t);s.close();}},100);`;
  const listener = spawn('ip', ['netns', 'exec', to, process.execPath, '-e', listen], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const exited = new Promise<number | null>((resolve) => listener.once('exit', resolve));
  await new Promise<void>((resolve) => {
    listener.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    void exited.then(() => resolve());
  });
  spawnSync('ip', ['netns', 'exec', from, process.execPath, '-e', send]);
  return (await exited) === 0;
}
