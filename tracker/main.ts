/** `npm start` runs this: a tracker serving the built client, until Ctrl-C. */
import { networkInterfaces } from 'node:os';
import { bannerLines } from './banner.js';
import { configFromEnv } from './config.js';
import { startTracker } from './server.js';

let config;
try {
  config = configFromEnv();
} catch (err) {
  console.error(`tracker: ${(err as Error).message}`);
  process.exit(2);
}

try {
  const tracker = await startTracker(config);
  console.log(`Tabcoin tracker listening on ${tracker.url}`);
  const banner = bannerLines({
    host: config.host,
    port: Number(new URL(tracker.url).port),
    servesPage: !!config.staticDir,
    interfaces: networkInterfaces(),
    turn: !!config.turn,
  });
  for (const line of banner) console.log(line);
  if (config.turn) console.log(`Handing out TURN credentials for ${config.turn.urls.join(', ')}.`);
  if (config.staticDir) {
    console.log(
      `Name a node with ?node=NAME, e.g. ${tracker.url}/?network=regtest&node=alice: a name ` +
        `opens the same node (chain and wallet) again; the plain URL reopens this browser's last node.`,
    );
  }
  if (config.redisUrl) console.log('Sharing rooms with other trackers through Redis.');
  const stop = () => {
    console.log('tracker: shutting down');
    tracker.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (err) {
  const error = err as NodeJS.ErrnoException;
  if (error.code === 'EADDRINUSE') {
    console.error(
      `tracker: port ${config.port} is in use; set PORT to another port, e.g. PORT=8081 npm start`,
    );
  } else {
    console.error('tracker: failed to start:', error.message);
  }
  process.exit(1);
}
