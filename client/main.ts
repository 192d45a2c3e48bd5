/**
 * Entry point: start this tab's node and hand it to the UI (`<tc-app>`, client/ui/). The node
 * stays reachable as `window.tabcoin` for tests, benchmarks and the console.
 */
import { TabNode, configFromLocation } from './node.js';
import './ui/tc-app.js';

declare global {
  interface Window {
    tabcoin?: TabNode;
  }
}

const app = document.querySelector('tc-app')!;

TabNode.start(configFromLocation(location)).then(
  (node) => {
    window.tabcoin = node;
    app.node = node;
  },
  (err: Error) => {
    app.error = err.message;
    console.error(err);
  },
);
