/** Prometheus metrics (prom-client): connections, peers per room, signals, rejections. */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

export interface TrackerMetrics {
  registry: Registry;
  connections: Gauge;
  peers: Gauge<'network'>;
  joins: Counter;
  signals: Counter;
  rejected: Counter<'code'>;
}

export function createMetrics(): TrackerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    connections: new Gauge({
      name: 'tracker_connections',
      help: 'Open socket.io connections on this instance',
      registers: [registry],
    }),
    peers: new Gauge({
      name: 'tracker_peers',
      help: 'Joined peers on this instance, per network room (genesis id)',
      labelNames: ['network'],
      registers: [registry],
    }),
    joins: new Counter({
      name: 'tracker_joins_total',
      help: 'Successful joins',
      registers: [registry],
    }),
    signals: new Counter({
      name: 'tracker_signals_relayed_total',
      help: 'Signals relayed to a peer',
      registers: [registry],
    }),
    rejected: new Counter({
      name: 'tracker_payloads_rejected_total',
      help: 'Payloads refused, by error code',
      labelNames: ['code'],
      registers: [registry],
    }),
  };
}
