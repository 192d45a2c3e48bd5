/**
 * Classroom view benchmark (figures, not pass/fail): a 40-node in-process network over memory
 * links, converged; then the cost of one classroom model update over the view's 40 reports,
 * of one d3-force layout tick over 40 nodes and 120 links, and of decoding a 40-report status
 * message, each against the 50 ms long-task budget and one Schnorr verify measured in the same
 * run; and the status traffic per node per second in steady state (heartbeats only).
 */
import { schnorr } from '@noble/curves/secp256k1.js';
import {
  forceCenter,
  forceLink,
  forceManyBody,
  forceSimulation,
  type SimulationNodeDatum,
} from 'd3-force';
import { decodeMessage, encodeMessage, type StatusReport } from '../../core/index.js';
import { ClassroomModel } from '../../client/ui/classroom/classroom-model.js';
import { buildBlock } from '../helpers/regtest.js';
import { clock, link, makeNode, stopAll, type TestNode } from '../helpers/net.js';
import { median } from './timing.js';

const flush = async () => {
  for (let i = 0; i < 6; i++) await new Promise((resolve) => setTimeout(resolve, 0));
};

async function second(nodes: readonly TestNode[]): Promise<void> {
  clock.ms += 1000;
  for (const n of nodes) n.p2p.tick();
  await flush();
}

export async function benchClassroom(): Promise<void> {
  const nodes: TestNode[] = [];
  for (let i = 0; i < 40; i++) nodes.push(await makeNode(`n${i}`));
  for (let i = 0; i < 40; i++)
    for (const step of [1, 5, 13]) link(nodes[i]!, nodes[(i + step) % 40]!);
  for (let i = 0; i < 3; i++)
    await nodes[7]!.p2p.submitBlock(buildBlock(nodes[7]!.state.chain.tip), 'local');
  const view = nodes[0]!;
  let seconds = 0;
  while (view.p2p.status.table.size < 40 && seconds < 60) {
    await second(nodes);
    seconds++;
  }
  console.log(`\nclassroom: 40 nodes (6 links each) all visible to one node after ${seconds} s`);

  // Steady state: 30 s of heartbeats; bytes out per node per second (pings included).
  const before = nodes.map((n) => [...n.p2p.peers.values()].reduce((s, p) => s + p.bytesOut, 0));
  for (let i = 0; i < 30; i++) await second(nodes);
  const after = nodes.map((n) => [...n.p2p.peers.values()].reduce((s, p) => s + p.bytesOut, 0));
  const perNode = after.reduce((s, b, i) => s + b - before[i]!, 0) / 40 / 30;
  console.log(
    `  status + ping traffic in steady state: ${(perNode / 1024).toFixed(1)} KiB/s per node`,
  );

  const entries = view.p2p.status.table.list();
  const model = new ClassroomModel(view.name, () => clock.ms);
  const update = median(200, () => model.update(entries, view.state.chain));

  const simNodes: (SimulationNodeDatum & { id: string })[] = nodes.map((n) => ({ id: n.name }));
  const simLinks = model
    .update(entries, view.state.chain)
    .links.map(([source, target]) => ({ source, target }));
  const simulation = forceSimulation(simNodes)
    .force('charge', forceManyBody().strength(-420))
    .force(
      'link',
      forceLink(simLinks)
        .id((d) => (d as { id: string }).id)
        .distance(120),
    )
    .force('center', forceCenter(400, 260))
    .stop();
  const tick = median(300, () => simulation.tick());

  const reports: StatusReport[] = entries.map((e) => e.report);
  const bytes = encodeMessage({ type: 'status', version: 1, reports, opaque: new Uint8Array(0) });
  const decode = median(200, () => decodeMessage(bytes));

  const secret = new Uint8Array(32).fill(7);
  const message = new Uint8Array(32).fill(1);
  const signature = schnorr.sign(message, secret);
  const pub = schnorr.getPublicKey(secret);
  const verify = median(50, () => schnorr.verify(signature, message, pub));

  const line = (what: string, ms: number) =>
    console.log(
      `  ${what}: ${ms.toFixed(3)} ms = ${((ms / 50) * 100).toFixed(2)}% of a 50 ms long task, ` +
        `${(ms / verify).toFixed(2)}x one Schnorr verify (${verify.toFixed(3)} ms)`,
    );
  line('model update over 40 reports', update);
  line('d3-force layout tick, 40 nodes / 120 links', tick);
  line(`decode a 40-report status (${bytes.length} bytes)`, decode);
  stopAll(nodes);
}
