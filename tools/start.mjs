#!/usr/bin/env node
/**
 * `npm start`. The tracker that serves the app and introduces tabs to each other is the next
 * piece of work (issue: Tracker); until it lands this builds the client and says so.
 */
import { spawnSync } from 'node:child_process';

const build = spawnSync('npx', ['vite', 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
console.log(
  [
    '',
    'Tabcoin: the consensus core is built and tested (npm test).',
    'The tracker that serves this app and connects tabs is coming with the tracker issue;',
    'until then `npm run dev` serves the page on http://localhost:5173.',
  ].join('\n'),
);
