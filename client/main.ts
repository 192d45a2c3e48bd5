/// <reference types="vite/client" />
/**
 * Entry point: start this tab's node and hand it to the UI (`<tc-app>`, client/ui/; or, with
 * `?view=classroom`, the projector view `<tc-classroom>`, client/ui/classroom/). The node
 * stays reachable as `window.tabcoin` for tests, benchmarks and the console. In a built app,
 * registers the service worker (sw.ts) that keeps the app shell for reloads while the
 * tracker, which serves the page, is down. A reload keeps mining on, and a tab the browser froze
 * keeps its links (page-lifecycle.ts).
 */
import { TabNode, configFromLocation } from './node.js';
import {
  flushWhenHidden,
  keepLinksThroughFreeze,
  restoreMiner,
  stopOnPageHide,
} from './page-lifecycle.js';
import './ui/tc-app.js';
import './ui/classroom/tc-classroom.js';

declare global {
  interface Window {
    tabcoin?: TabNode;
  }
}

/** The element that shows this node: the app shell, or the classroom view in its place. */
function mount(): { node: TabNode | undefined; error: string } {
  const shell = document.querySelector('tc-app')!;
  if (new URLSearchParams(location.search).get('view') !== 'classroom') return shell;
  const view = document.createElement('tc-classroom');
  shell.replaceWith(view);
  document.title = 'Tabcoin classroom';
  return view;
}

const app = mount();

if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  navigator.serviceWorker
    .register('./sw.js', { type: 'module' })
    .catch((err: Error) => console.warn(`no offline app shell: ${err.message}`));
}

// A bad URL setting (an unknown network, pow=99) is shown like any start failure.
Promise.resolve()
  .then(() => TabNode.start(configFromLocation(location)))
  .then(
    (node) => {
      window.tabcoin = node;
      const resumed = restoreMiner(node, sessionStorage);
      if (resumed) node.startNotices.push(resumed);
      stopOnPageHide(node, sessionStorage);
      flushWhenHidden(node);
      keepLinksThroughFreeze(node, document);
      app.node = node;
    },
    (err: Error) => {
      app.error = err.message;
      console.error(err);
    },
  );
