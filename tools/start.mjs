#!/usr/bin/env node
/**
 * `npm start`: build the client, then run the tracker serving it on PORT (default 8080).
 * Also the e2e tests' web server (playwright.config.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
  cwd: root,
  stdio: 'inherit',
});
if (build.status !== 0) {
  console.error('start: the client build failed (see above).');
  process.exit(build.status ?? 1);
}
const tracker = spawn(process.execPath, ['--import', 'tsx', 'tracker/main.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, STATIC_DIR: process.env.STATIC_DIR ?? 'dist' },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => tracker.kill(signal));
tracker.on('exit', (code) => process.exit(code ?? 0));
