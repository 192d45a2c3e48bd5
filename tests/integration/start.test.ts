/**
 * `npm start` builds the client and serves it, with /healthz, from one port, and prints the
 * addresses to open: loopback only when bound to it, every LAN address when bound to all.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';

let child: ChildProcess | undefined;
let tracker: ChildProcess | undefined;

afterAll(() => {
  child?.kill('SIGTERM');
  tracker?.kill('SIGTERM');
});

describe('npm start', () => {
  it('prints the URL to open (loopback only when bound to it), then serves the page and /healthz there', async () => {
    child = spawn(process.execPath, ['tools/start.mjs'], {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed:\n${output}`)), 60_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /Open (http:\/\/\S+) in several tabs/.exec(output);
        if (match && output.includes('Only this machine')) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      };
      child!.stdout!.on('data', onData);
      child!.stderr!.on('data', onData);
      child!.once('exit', (code) => reject(new Error(`start exited with ${code}:\n${output}`)));
    });
    // Bound to loopback: no address another host could not open is offered.
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(output.match(/http:\/\/\S+/g)?.every((u) => u.startsWith(url))).toBe(true);
    expect(output).toMatch(/Only this machine can open it \(HOST=127\.0\.0\.1\)/);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Tabcoin</title>');
    const health = await fetch(`${url}/healthz`);
    expect(await health.json()).toMatchObject({ ok: true });
    const deepLink = await fetch(`${url}/some/client/route`);
    expect(await deepLink.text()).toContain('<title>Tabcoin</title>'); // single-page fallback
  }, 90_000);

  it("bound to 0.0.0.0, prints this machine's URL and one per LAN IPv4 address", async () => {
    tracker = spawn(process.execPath, ['--import', 'tsx', 'tracker/main.ts'], {
      env: { ...process.env, PORT: '0', HOST: '0.0.0.0', STATIC_DIR: 'dist' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner:\n${output}`)), 30_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (/Tabs on other machines/.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      tracker!.stdout!.on('data', onData);
      tracker!.stderr!.on('data', onData);
      tracker!.once('exit', (code) => reject(new Error(`tracker exited with ${code}:\n${output}`)));
    });
    const port = /listening on http:\/\/localhost:(\d+)/.exec(output)![1];
    // The same source main.ts reads, here in the test process: this machine's LAN addresses.
    const lan = Object.entries(networkInterfaces()).flatMap(([name, infos]) =>
      (infos ?? [])
        .filter((i) => !i.internal && i.family === 'IPv4' && !i.address.startsWith('169.254.'))
        .map((i) => ({ name, url: `http://${i.address}:${port}` })),
    );
    const printed = output.match(/http:\/\/\S+/g) ?? [];
    expect(printed.filter((u) => !u.startsWith('http://localhost:'))).toEqual(
      lan.map((a) => a.url),
    );
    for (const { name, url } of lan)
      expect(output).toMatch(
        new RegExp(
          `${url.replaceAll('.', '\\.')} +the page for other machines on the network of ${name}\n`,
        ),
      );
    if (lan.length === 0) expect(output).toContain('no network address besides loopback');
    // What it prints can be opened: the tracker answers on its LAN addresses.
    for (const { url } of lan) expect((await fetch(`${url}/healthz`)).status).toBe(200);
  }, 60_000);
});
