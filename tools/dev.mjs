#!/usr/bin/env node
/** `npm run dev`: the tracker (restarting on change) plus Vite's dev server with reload. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const trackerPort = process.env.TRACKER_PORT ?? '8080';
const children = [
  spawn('npx', ['tsx', 'watch', 'tracker/main.ts'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PORT: trackerPort },
  }),
  spawn('npx', ['vite'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, TRACKER_PORT: trackerPort },
  }),
];
const stop = () => children.forEach((child) => child.kill('SIGTERM'));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const child of children)
  child.on('exit', (code) => {
    stop();
    process.exitCode = code ?? 0;
  });
