/**
 * What `npm start` prints once the tracker listens: every address a browser can open, with what
 * each is for. Bound to all interfaces (0.0.0.0 or ::), that is this machine's URL plus one per
 * LAN address (os.networkInterfaces(), passed in so tests do not depend on the machine); bound
 * to one address, only that one.
 */
import type { NetworkInterfaceInfo } from 'node:os';

export interface BannerOptions {
  host: string;
  port: number;
  /** True when the tracker serves the built client (otherwise it only signals). */
  servesPage: boolean;
  /** os.networkInterfaces() */
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>;
  /** True when the tracker hands out TURN credentials. */
  turn: boolean;
}

const ALL_IPV4 = '0.0.0.0';
const ALL_ADDRESSES = '::';

function urlOf(address: string, port: number): string {
  return address.includes(':') ? `http://[${address}]:${port}` : `http://${address}:${port}`;
}

/** Addresses other hosts can reach: not loopback, not link-local (fe80::, 169.254.). */
function lanAddresses(
  interfaces: BannerOptions['interfaces'],
  ipv6: boolean,
): { name: string; address: string }[] {
  const found: { name: string; address: string }[] = [];
  for (const [name, infos] of Object.entries(interfaces)) {
    for (const info of infos ?? []) {
      if (info.internal) continue;
      if (info.family === 'IPv4' && info.address.startsWith('169.254.')) continue;
      if (info.family === 'IPv6' && (!ipv6 || /^fe[89ab]/i.test(info.address))) continue;
      found.push({ name, address: info.address });
    }
  }
  return found;
}

const isLoopback = (host: string) =>
  host === 'localhost' || host === '::1' || host.startsWith('127.');

/** The lines to print after "listening on": the URL to open, then each address and its use. */
export function bannerLines(options: BannerOptions): string[] {
  const { host, port, servesPage } = options;
  const all = host === ALL_IPV4 || host === ALL_ADDRESSES;
  const local = urlOf(all ? 'localhost' : host, port);
  const what = servesPage ? 'the page' : 'the tracker (signaling only; no page served)';
  const lines = [
    servesPage
      ? `Open ${local} in several tabs.`
      : 'Signaling only: STATIC_DIR is not set, so no page is served.',
  ];
  if (!all) {
    lines.push(
      isLoopback(host)
        ? `  Only this machine can open it (HOST=${host}); HOST=0.0.0.0 serves the local network.`
        : `  ${local}  ${what} for every host that can reach ${host}`,
    );
  } else {
    lines.push(`  ${local}  ${what} on this machine`);
    const lan = lanAddresses(options.interfaces, host === ALL_ADDRESSES);
    const width = Math.max(...lan.map((a) => urlOf(a.address, port).length), 0);
    for (const { name, address } of lan)
      lines.push(
        `  ${urlOf(address, port).padEnd(width)}  ${what} for other machines on the network of ${name}`,
      );
    if (lan.length === 0) lines.push('  (no network address besides loopback was found)');
  }
  if (servesPage && (all || !isLoopback(host)))
    lines.push(
      options.turn
        ? 'Tabs on other machines link directly where they can, else through the TURN server.'
        : 'Tabs on other machines link directly over WebRTC when their hosts can reach each other; on networks that isolate clients set TURN_URL and TURN_SECRET (README).',
    );
  return lines;
}
