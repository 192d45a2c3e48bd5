/**
 * Entry point: start this tab's node and show its state. A plain status page until the Lit
 * wallet UI lands; every field has an accessible name so tests read it as a person would.
 */
import { TabNode, configFromLocation } from './node.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** Log lines waiting for the next frame: a syncing node accepts hundreds of blocks a second. */
const pendingLog: HTMLLIElement[] = [];
let logFrame = 0;

function log(text: string, refused = false): void {
  const item = document.createElement('li');
  item.textContent = `${new Date().toLocaleTimeString()} ${text}`;
  if (refused) item.className = 'refused';
  pendingLog.push(item);
  logFrame ||= requestAnimationFrame(() => {
    logFrame = 0;
    const list = $('log');
    list.prepend(...pendingLog.splice(0).reverse());
    while (list.children.length > 200) list.lastElementChild?.remove();
  });
}

async function main(): Promise<void> {
  const node = await TabNode.start(configFromLocation(location));
  (window as unknown as { tabcoin: TabNode }).tabcoin = node;
  let frame = 0;
  const render = () => {
    frame ||= requestAnimationFrame(paint);
  };
  const paint = () => {
    frame = 0;
    const s = node.summary();
    $('node-id').textContent = s.nodeId;
    $('network').textContent = s.network;
    $('tracker').textContent = s.trackerConnected ? 'connected' : 'not connected';
    $('peers').textContent = String(s.peers);
    $('height').textContent = String(s.height);
    $('tip').textContent = s.tip;
    $('mempool').textContent = String(s.mempool);
    $('address').textContent = s.address;
  };
  node.on('changed', render);
  node.on('notice', (text) => {
    $('notice').textContent = text;
    log(text);
  });
  node.on('peer-connected', (p) => log(`peer ${p.id} connected`));
  node.on('peer-disconnected', (p) => log(`peer ${p.id} left: ${p.reason}`));
  let syncing = false;
  node.on('block-accepted', (b) => {
    if (!syncing) log(`block ${b.height} ${b.id.slice(0, 16)}… from ${b.from} (${b.status})`);
  });
  node.on('tx-accepted', (t) => log(`tx ${t.id.slice(0, 16)}… from ${t.from}`));
  node.on('refused', (r) =>
    log(`refused ${r.kind} from ${r.from}: ${r.reason} (${r.message})`, true),
  );
  node.on('banned', (b) => log(`banned ${b.id}: ${b.reason}`, true));
  node.on('sync-progress', (progress) => {
    if (syncing && !progress.syncing) log(`synced ${progress.done} blocks`);
    syncing = progress.syncing;
    const { done, total } = progress;
    const bar = $<HTMLProgressElement>('sync');
    bar.hidden = !syncing;
    bar.max = Math.max(1, total);
    bar.value = done;
  });
  const workers = $<HTMLInputElement>('workers');
  workers.max = String(node.miner.status().maxWorkers);
  workers.addEventListener('change', () => {
    workers.value = String(node.miner.setWorkers(Number(workers.value) || 1));
  });
  $('mining').addEventListener('click', () => {
    const button = $<HTMLButtonElement>('mining');
    if (node.miner.isRunning) node.miner.stop();
    else void node.miner.start();
    const running = node.miner.isRunning;
    button.textContent = running ? 'Stop mining' : 'Start mining';
    button.setAttribute('aria-pressed', String(running));
  });
  node.on('mining', (status) => {
    $('hashrate').textContent = status.running
      ? `${(status.hashrate / 1e6).toFixed(2)} M hashes/s` +
        (status.expectedSeconds ? `, ~${status.expectedSeconds.toFixed(0)} s per block` : '')
      : '';
  });
  $('mine').addEventListener('click', async () => {
    const button = $<HTMLButtonElement>('mine');
    button.disabled = true;
    try {
      await node.mineOneBlock();
    } catch (err) {
      log((err as Error).message, true);
    } finally {
      button.disabled = false;
    }
  });
  paint();
}

main().catch((err: Error) => {
  $('notice').textContent = `Tabcoin could not start: ${err.message}`;
  console.error(err);
});
