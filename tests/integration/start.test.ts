/** `npm start` builds the client and serves it, with /healthz, from one port. */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';

let child: ChildProcess | undefined;

afterAll(() => {
  child?.kill('SIGTERM');
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
});
