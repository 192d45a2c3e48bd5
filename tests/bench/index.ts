/** `npm run bench`: every benchmark, one after another, printing figures (never pass/fail). */
import { benchConnect, benchReorg, benchSignatures } from './core-bench.js';
import { benchHeights, benchZeroFeeSpam } from './hostile-bench.js';
import { benchTracker } from './tracker-bench.js';
import { benchBrowserNetwork } from './browser-net-bench.js';
import { benchMining } from './mining-bench.js';
import { benchClassroom } from './classroom-bench.js';
import { benchExplain } from './explain-bench.js';
import { benchHostilePeers } from './net-bench.js';
import { benchRelay } from './relay-bench.js';

console.log(`Tabcoin benchmarks — node ${process.version}, ${new Date().toISOString()}`);
await benchSignatures();
await benchConnect();
await benchReorg();
await benchHostilePeers();
await benchZeroFeeSpam();
await benchHeights();
await benchTracker();
await benchBrowserNetwork();
await benchRelay();
await benchMining();
await benchClassroom();
await benchExplain();
