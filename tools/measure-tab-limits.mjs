#!/usr/bin/env node
/**
 * Measures the two browser limits a long-lived tab meets (docs/architecture.md, "Long-lived
 * tabs"); not a test, nothing asserted.
 *
 *   node tools/measure-tab-limits.mjs cap
 *     headless Chromium: how many RTCPeerConnections a page may create and close; whether a
 *     reload, gc(), idle time or a window.open sibling changes that.
 *   xvfb-run -a node --experimental-websocket tools/measure-tab-limits.mjs background [MIN] [FROZEN_S]
 *     headed Chromium (Playwright's pages never become hidden, so Chromium is started directly):
 *     a tab with a data channel and a tab without WebRTC, both hidden behind a third tab, for MIN
 *     minutes (default 7.5); 100 ms timers, a worker, and echoes from a visible window. With
 *     FROZEN_S, the first tab is then frozen that long through the DevTools protocol.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { findChromium } from './chromium.mjs';

const PORT = Number(process.env.PORT ?? 5399);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Serves `pages[name]` as a page whose script is `common + pages[name]`; POST /report collects. */
function serve(common, pages, onReport = () => undefined) {
  return http
    .createServer((req, res) => {
      if (req.method === 'POST') {
        let body = '';
        req.on('data', (d) => (body += d));
        req.on('end', () => (onReport(JSON.parse(body)), res.end('ok')));
        return;
      }
      const name = req.url.slice(1);
      res.setHeader('content-type', 'text/html');
      res.end(
        `<!doctype html><title>${name}</title><script>${common}${pages[name] ?? ''}</script>`,
      );
    })
    .listen(PORT);
}

async function cap() {
  const server = serve('', {});
  const browser = await chromium.launch({
    executablePath: findChromium(),
    args: ['--no-sandbox', '--disable-gpu', '--js-flags=--expose-gc'],
  });
  const fill = (page) =>
    page.evaluate(() => {
      for (let n = 0; n < 3000; n++) {
        try {
          const pc = new RTCPeerConnection();
          pc.createDataChannel('x');
          pc.close();
        } catch {
          return n;
        }
      }
      return 3000;
    });
  const one = (page) =>
    page.evaluate(() => {
      try {
        new RTCPeerConnection().close();
        return 'accepted';
      } catch (err) {
        return `refused (${err.message})`;
      }
    });
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${PORT}/a`);
  console.log('created and closed before refusal:', await fill(page));
  await page.reload();
  console.log('after a reload:', await one(page));
  await page.evaluate(() => globalThis.gc());
  console.log('after gc():', await one(page), '; then', await fill(page), 'more');
  const [popup] = await Promise.all([
    page.waitForEvent('popup'),
    page.evaluate(() => window.open('/b')),
  ]);
  await popup.waitForLoadState();
  console.log('a window.open popup of the full page:', await one(popup));
  const other = await browser.newPage();
  await other.goto(`http://127.0.0.1:${PORT}/c`);
  console.log('a separately opened tab:', await one(other));
  const started = Date.now();
  while ((await one(page)).startsWith('refused') && Date.now() - started < 120_000)
    await sleep(1000);
  console.log(
    `the full page, idle, accepts again after ${Math.round((Date.now() - started) / 1000)} s`,
  );
  await browser.close();
  server.close();
}

const PROBE = `
const t0 = performance.now(); const now = () => Math.round(performance.now() - t0);
const bc = new BroadcastChannel('probe');
const rec = { interval: [], chain: [], worker: [], events: [] };
function timers() {
  setInterval(() => rec.interval.push(now()), 100);
  const chain = () => { rec.chain.push(now()); setTimeout(chain, 100); }; chain();
  const w = new Worker(URL.createObjectURL(new Blob(['setInterval(() => postMessage(0), 100)'])));
  w.onmessage = () => rec.worker.push(now());
  for (const e of ['visibilitychange', 'freeze', 'resume'])
    document.addEventListener(e, () => rec.events.push([e, document.visibilityState, now()]));
}
function rtc(role, onChannel) {
  const sig = new BroadcastChannel('sig'); const pc = new RTCPeerConnection(); const queued = [];
  pc.onicecandidate = (e) => e.candidate && sig.postMessage({ from: role, c: e.candidate.toJSON() });
  sig.onmessage = async ({ data }) => {
    if (data.from === role) return;
    if (data.hello && role === 'a' && !pc.localDescription) {
      onChannel(pc.createDataChannel('x'));
      await pc.setLocalDescription(); sig.postMessage({ from: role, d: pc.localDescription.toJSON() });
    }
    if (data.d) {
      await pc.setRemoteDescription(data.d);
      if (data.d.type === 'offer') { await pc.setLocalDescription(); sig.postMessage({ from: role, d: pc.localDescription.toJSON() }); }
      queued.forEach((c) => pc.addIceCandidate(c));
    }
    if (data.c) pc.remoteDescription ? pc.addIceCandidate(data.c) : queued.push(data.c);
  };
  pc.ondatachannel = (e) => onChannel(e.channel);
  return sig;
}`;

const PROBE_PAGES = {
  a: `timers(); let ch; rtc('a', (c) => { ch = c; ch.onmessage = (e) => ch.send(e.data); });
    bc.onmessage = ({ data }) => data === 'report' && bc.postMessage({ who: 'a', rec, ch: ch?.readyState });`,
  q: `timers(); bc.onmessage = ({ data }) => data === 'report' && bc.postMessage({ who: 'q', rec });`,
  v: `const echo = []; const all = {};
    const sig = rtc('v', (ch) => { ch.onopen = () => { clearInterval(hello);
      setInterval(() => ch.send(String(performance.now())), 1000); };
      ch.onmessage = (m) => echo.push(Math.round(performance.now() - Number(m.data))); });
    const hello = setInterval(() => sig.postMessage({ from: 'v', hello: 1 }), 500);
    bc.onmessage = ({ data }) => (all[data.who] = data);
    setInterval(() => { bc.postMessage('report');
      setTimeout(() => fetch('/report', { method: 'POST', body: JSON.stringify({ ...all, echo }) }), 2000); }, 15000);`,
  cover: '',
};

/** Fires, median and largest gap of the timestamps in [from, to). */
function summary(times, from, to) {
  const inside = times.filter((t) => t >= from && t < to);
  const gaps = inside
    .slice(1)
    .map((t, i) => t - inside[i])
    .sort((x, y) => x - y);
  const median = gaps.length ? gaps[gaps.length >> 1] : '-';
  return `${String(inside.length).padStart(4)} fires, gap median ${median} ms, max ${gaps.at(-1) ?? '-'} ms`;
}

async function background(minutes, frozenSeconds) {
  let report;
  const server = serve(PROBE, PROBE_PAGES, (r) => (report = r));
  const profile = mkdtempSync(join(tmpdir(), 'tabcoin-bg-'));
  const flags = [
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--allow-loopback-in-peer-connection',
    '--use-fake-ui-for-media-stream',
    '--remote-debugging-port=9339',
    '--remote-allow-origins=*',
    `--user-data-dir=${profile}`,
  ];
  const url = (name) => `http://127.0.0.1:${PORT}/${name}`;
  const browser = spawn(findChromium(), [...flags, url('v')], { stdio: 'ignore' });
  await sleep(4000);
  // Each later invocation hands its URLs to the running browser: a, q as tabs of a new window,
  // then cover in front of them (so a and q are hidden).
  spawn(findChromium(), [...flags, '--new-window', url('a'), url('q')], { stdio: 'ignore' });
  await sleep(4000);
  spawn(findChromium(), [...flags, url('cover')], { stdio: 'ignore' });
  await sleep(minutes * 60_000);
  if (frozenSeconds) {
    const targets = await (await fetch('http://127.0.0.1:9339/json')).json();
    const ws = new WebSocket(targets.find((t) => t.url === url('a')).webSocketDebuggerUrl);
    await new Promise((resolve) => (ws.onopen = resolve));
    const send = (id, state) =>
      ws.send(JSON.stringify({ id, method: 'Page.setWebLifecycleState', params: { state } }));
    send(1, 'frozen');
    await sleep(frozenSeconds * 1000);
    send(2, 'active');
    await sleep(20_000);
    ws.close();
  }
  await sleep(17_000); // one more report
  const exited = new Promise((resolve) => browser.once('exit', resolve));
  browser.kill();
  await exited;
  server.close();
  rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
  for (const who of ['a', 'q']) {
    const { rec, ch } = report[who];
    const hidden =
      rec.events.find(([e, v]) => e === 'visibilitychange' && v === 'hidden')?.[2] ?? 0;
    const end = Math.max(...rec.worker);
    console.log(
      `tab ${who} (${who === 'a' ? `data channel ${ch}` : 'no WebRTC'}), events ${JSON.stringify(rec.events)}`,
    );
    const marks = rec.events.filter(([e]) => e === 'freeze' || e === 'resume').map((e) => e[2]);
    for (let from = hidden; from < (marks[0] ?? end); from += 60_000) {
      const to = Math.min(from + 60_000, marks[0] ?? end);
      console.log(
        `  hidden minute ${Math.round((from - hidden) / 60_000)}: timers ${summary(rec.interval, from, to)}; chained ${summary(rec.chain, from, to)}; worker ${summary(rec.worker, from, to)}`,
      );
    }
    if (marks.length === 2)
      for (const [label, from, to] of [
        ['frozen', marks[0], marks[1]],
        ['resumed', marks[1], end],
      ])
        console.log(
          `  ${label}: timers ${summary(rec.interval, from, to)}; worker ${summary(rec.worker, from, to)}`,
        );
  }
  const echo = [...report.echo].sort((x, y) => x - y);
  console.log(
    `echoes from the visible tab: ${echo.length}, median ${echo[echo.length >> 1]} ms, max ${echo.at(-1)} ms`,
  );
}

const [mode, a, b] = process.argv.slice(2);
if (mode === 'cap') await cap();
else if (mode === 'background') {
  if (typeof WebSocket !== 'function' && b)
    throw new Error('run with node --experimental-websocket');
  await background(Number(a ?? 7.5), Number(b ?? 0));
} else console.error('usage: measure-tab-limits.mjs cap | background [MINUTES] [FROZEN_S]');
