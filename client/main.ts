/**
 * Entry point: start this tab's node and hand it to the UI (`<tc-app>`, client/ui/; or, with
 * `?view=classroom`, the projector view `<tc-classroom>`, client/ui/classroom/). The node
 * stays reachable as `window.tabcoin` for tests, benchmarks and the console.
 */
import { TabNode, configFromLocation } from './node.js';
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
