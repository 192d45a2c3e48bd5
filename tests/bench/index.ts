/** `npm run bench`: every benchmark, one after another, printing figures (never pass/fail). */
import { benchConnect, benchReorg, benchSignatures } from './core-bench.js';
import { benchHeights, benchZeroFeeSpam } from './hostile-bench.js';
import { benchTracker } from './tracker-bench.js';
import { benchBrowserNetwork } from './browser-net-bench.js';
import { benchMining } from './mining-bench.js';
import { benchClassroom } from './classroom-bench.js';
import { benchExplain } from './explain-bench.js';
import { benchHostilePeers } from './net-bench.js';
import { benchVerify } from './verify-bench.js';
import { benchVerifySync } from './verify-sync-bench.js';

console.log(`Tabcoin benchmarks — node ${process.version}, ${new Date().toISOString()}`);
await benchSignatures();
await benchVerify();
await benchConnect();
await benchReorg();
await benchHostilePeers();
await benchZeroFeeSpam();
await benchHeights();
await benchTracker();
await benchBrowserNetwork();
await benchVerifySync();
await benchMining();
await benchClassroom();
await benchExplain();
