/** The start banner: every address other hosts can open, with what each is for. */
import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { bannerLines } from '../../../tracker/banner.js';

const iface = (address: string, family: 'IPv4' | 'IPv6', internal = false) =>
  ({ address, family, internal, netmask: '', mac: '', cidr: null }) as NetworkInterfaceInfo;

/** A laptop on Wi-Fi with a Docker bridge, as os.networkInterfaces() reports it. */
const interfaces = {
  lo: [iface('127.0.0.1', 'IPv4', true), iface('::1', 'IPv6', true)],
  wlan0: [
    iface('192.168.1.23', 'IPv4'),
    iface('fe80::1c2:3ff:fe4:5', 'IPv6'),
    iface('2001:db8::23', 'IPv6'),
  ],
  docker0: [iface('172.17.0.1', 'IPv4')],
  eth1: [iface('169.254.10.2', 'IPv4')],
};
const urls = (lines: string[]) => lines.flatMap((l) => l.match(/http:\/\/\S+/g) ?? []);

describe('bannerLines', () => {
  it('bound to 0.0.0.0: this machine, then each LAN IPv4 address and its interface', () => {
    const lines = bannerLines({
      host: '0.0.0.0',
      port: 8080,
      servesPage: true,
      interfaces,
      turn: false,
    });
    expect(lines[0]).toBe('Open http://localhost:8080 in several tabs.');
    expect(urls(lines)).toEqual([
      'http://localhost:8080',
      'http://localhost:8080',
      'http://192.168.1.23:8080',
      'http://172.17.0.1:8080',
    ]);
    expect(lines.find((l) => l.includes('192.168.1.23'))).toMatch(
      /other machines on the network of wlan0/,
    );
    expect(lines.at(-1)).toMatch(/TURN_URL and TURN_SECRET/);
  });

  it('bound to :: also lists global IPv6 addresses, never link-local ones', () => {
    const lines = bannerLines({ host: '::', port: 9000, servesPage: true, interfaces, turn: true });
    expect(urls(lines)).toContain('http://[2001:db8::23]:9000');
    expect(lines.join('\n')).not.toMatch(/fe80|169\.254/);
    expect(lines.at(-1)).toMatch(/through the TURN server/);
  });

  it('bound to loopback: only the loopback URL, and how to serve the network', () => {
    const lines = bannerLines({
      host: '127.0.0.1',
      port: 8080,
      servesPage: true,
      interfaces,
      turn: false,
    });
    expect(urls(lines)).toEqual(['http://127.0.0.1:8080']);
    expect(lines[1]).toMatch(/Only this machine can open it.*HOST=0\.0\.0\.0/);
  });

  it('says so when no address besides loopback exists', () => {
    const lines = bannerLines({
      host: '0.0.0.0',
      port: 8080,
      servesPage: true,
      interfaces: { lo: interfaces.lo },
      turn: false,
    });
    expect(urls(lines)).toEqual(['http://localhost:8080', 'http://localhost:8080']);
    expect(lines).toContain('  (no network address besides loopback was found)');
  });
});
