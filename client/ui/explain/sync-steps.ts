/**
 * How a new node gets the chain, as steps with counts: headers from peers, then block bodies
 * downloaded in parallel from several peers, each validated and connected to the chain in
 * height order. Pure: fed from the P2P 'sync-progress' event.
 */

export interface SyncCounts {
  /** Height of the best header known (headers from peers). */
  headers: number;
  /** Height of the active chain (blocks validated and connected). */
  connected: number;
  /** Block bodies requested from peers and not yet received. */
  inFlight: number;
  /** Height the sync started from. */
  start: number;
}

export type StepState = 'done' | 'active' | 'waiting';

export interface SyncStep {
  name: string;
  detail: string;
  state: StepState;
}

/** The four steps and where the sync stands in each. */
export function syncSteps(c: SyncCounts): SyncStep[] {
  const behind = c.headers - c.connected;
  const toFetch = Math.max(0, c.headers - c.start);
  const got = Math.max(0, c.connected - c.start);
  const finished = behind <= 0 && c.headers > c.start;
  const bodies: StepState = finished
    ? 'done'
    : c.inFlight > 0
      ? 'active'
      : got > 0
        ? 'active'
        : 'waiting';
  const connect: StepState = finished ? 'done' : got > 0 ? 'active' : 'waiting';
  return [
    {
      name: 'Headers from peers',
      detail: `${c.headers} headers known (${toFetch} new)`,
      state: c.headers > c.start ? 'done' : 'active',
    },
    {
      name: 'Bodies downloaded in parallel',
      detail: `${got} of ${toFetch} downloaded, ${c.inFlight} in flight`,
      state: bodies,
    },
    {
      name: 'Validated',
      detail: `${got} blocks checked (proof of work, transactions, signatures)`,
      state: connect,
    },
    {
      name: 'Connected',
      detail: `height ${c.connected} of ${c.headers}`,
      state: connect,
    },
  ];
}
