/**
 * One WebRTC connection attempt as the mesh sees it: how far it got (stage), which network
 * addresses (ICE candidates) each side offered, and, when it fails, the likely cause in words.
 * simple-peer-link.ts reports progress; mesh.ts times attempts out and turns failures into
 * `link-failed` events for the event log and the peers panel.
 */
import type { Link } from './link.js';

/**
 * How far an attempt got:
 * - `signaling`: offer/answer not exchanged yet (no remote description);
 * - `ice-checking`: descriptions exchanged, ICE is trying address pairs;
 * - `ice-failed`: ICE tried every pair and none answered;
 * - `data-channel`: ICE connected but the data channel did not open;
 * - `refused`: the browser refused the connection (e.g. a bad ICE server setting);
 * - `closed`: the other side closed it before it opened.
 */
export type AttemptStage =
  'signaling' | 'ice-checking' | 'ice-failed' | 'data-channel' | 'refused' | 'closed';

/** ICE candidate types (RFC 8445): LAN/host, server-reflexive (STUN), peer-reflexive, relay (TURN). */
export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay';

export type CandidateCounts = Record<CandidateType, number>;

export interface AttemptProgress {
  stage: AttemptStage;
  /** Candidates this browser gathered and sent. */
  local: CandidateCounts;
  /** Candidates the peer sent us. */
  remote: CandidateCounts;
  /** The browser's error message, for `refused`, `ice-failed` and `closed`. */
  error?: string;
  /** True when a TURN server was in the configuration. */
  turn?: boolean;
  /** What STUN/TURN servers answered when asked for an address (e.g. "turn:h:3478 401 Unauthorized"). */
  serverErrors?: string[];
}

/** Server errors kept per attempt (the browser reports one per server and local address). */
export const MAX_SERVER_ERRORS = 4;

export interface PeerConnectionOptions {
  remoteId: string;
  initiator: boolean;
  iceServers: RTCIceServer[];
  /** Send a signal (offer, answer, ICE candidate) to the remote through the tracker. */
  sendSignal(data: unknown): void;
  /** Called whenever `progress()` changes. */
  onProgress?(progress: AttemptProgress): void;
}

/** How an open link travels: straight between the hosts, or through a TURN relay. */
export type LinkRoute = 'direct' | 'relayed';

export interface PeerConnection {
  /** Resolves once the data channel is open; rejects on error or close. Never times out. */
  ready: Promise<Link>;
  /** Once open: the route ICE chose (undefined if the browser's stats do not say). */
  route?(): Promise<LinkRoute | undefined>;
  /** Feed a signal received from the remote. */
  signal(data: unknown): void;
  /** A snapshot of how far the attempt got. */
  progress(): AttemptProgress;
  destroy(reason: string): void;
}

export type AttemptOutcome = 'timed-out' | 'failed';

/** A link attempt that ended without a link. */
export interface LinkFailure {
  peer: string;
  /** True when this node dialled. */
  initiator: boolean;
  outcome: AttemptOutcome;
  stage: AttemptStage;
  /** The likely cause, in words. */
  cause: string;
  /** Milliseconds since the epoch. */
  at: number;
  elapsedMs: number;
  local: CandidateCounts;
  remote: CandidateCounts;
}

export const noCandidates = (): CandidateCounts => ({ host: 0, srflx: 0, prflx: 0, relay: 0 });

const CANDIDATE_TYPE = / typ (host|srflx|prflx|relay)(?: |$)/;

/**
 * The type of an ICE candidate line (`candidate:… typ host …`), or undefined for anything else
 * (end-of-candidates, malformed text).
 */
export function candidateType(line: unknown): CandidateType | undefined {
  if (typeof line !== 'string') return undefined;
  return CANDIDATE_TYPE.exec(line)?.[1] as CandidateType | undefined;
}

/** Count the candidates carried by one simple-peer signal (a trickled candidate or an SDP). */
export function countCandidates(signal: unknown, into: CandidateCounts): void {
  if (typeof signal !== 'object' || signal === null) return;
  const s = signal as { type?: unknown; sdp?: unknown; candidate?: { candidate?: unknown } };
  if (s.type === 'candidate') {
    const type = candidateType(s.candidate?.candidate);
    if (type) into[type]++;
  } else if (typeof s.sdp === 'string') {
    for (const line of s.sdp.split(/\r?\n/)) {
      if (!line.startsWith('a=candidate:')) continue;
      const type = candidateType(line);
      if (type) into[type]++;
    }
  }
}

const STAGE_WORDS: Record<AttemptStage, string> = {
  signaling: 'signaling',
  'ice-checking': 'ICE checking',
  'ice-failed': 'ICE failed',
  'data-channel': 'opening the data channel',
  refused: 'refused by the browser',
  closed: 'closed by the peer',
};

/** The stage in words, e.g. "ICE checking". */
export function stageWords(stage: AttemptStage): string {
  return STAGE_WORDS[stage];
}

const total = (c: CandidateCounts) => c.host + c.srflx + c.prflx + c.relay;

function offered(c: CandidateCounts): string {
  const parts = (['host', 'srflx', 'relay'] as const).filter((t) => c[t] > 0);
  return parts.length === 0 ? 'none' : parts.map((t) => `${c[t]} ${t}`).join(', ');
}

/**
 * The likely cause of a failed attempt, in words a user can act on; `through` names the route
 * its signals took (the tracker, this browser, a peer).
 */
export function explainFailure(
  progress: AttemptProgress,
  outcome: AttemptOutcome,
  through = 'the tracker',
): string {
  const { stage, local, remote, error } = progress;
  switch (stage) {
    case 'refused':
      return /username and credential/i.test(error ?? '')
        ? `refused: a TURN server is configured without username and credential (${error})`
        : `refused: the browser would not create the connection (${error ?? 'no reason given'})`;
    case 'closed':
      return 'the peer closed the connection before it opened (it may have left or reached its link limit)';
    case 'signaling':
      return outcome === 'timed-out'
        ? `the peer never answered through ${through} (it may have left, be full, or be unreachable)`
        : `signaling failed (${error ?? 'no reason given'})`;
    case 'data-channel':
      return 'ICE connected but the data channel never opened';
    case 'ice-checking':
    case 'ice-failed': {
      const turnError = progress.serverErrors?.find((e) => e.startsWith('turn'));
      if (local.relay === 0 && turnError)
        return `the TURN server gave no relay address (${turnError}): unreachable, or it refused the credentials`;
      if (total(local) === 0)
        return 'this browser gathered no network addresses (no network interface or default route?)';
      if (total(remote) === 0) return 'the peer sent no network addresses';
      if (local.relay > 0 || remote.relay > 0)
        return `no route between the hosts, even through the TURN relay (ours: ${offered(local)}; theirs: ${offered(remote)}): the TURN server may be unreachable or refused the credentials`;
      if (progress.turn)
        return `no route between the hosts (ours: ${offered(local)}; theirs: ${offered(remote)}), and the configured TURN server gave no relay address`;
      return `no route between the hosts: none of the addresses answered (ours: ${offered(local)}; theirs: ${offered(remote)}); on different networks, a Wi-Fi that isolates clients, or one that drops multicast (which hides host addresses behind mDNS names), a TURN server is needed`;
    }
  }
}

/**
 * The route of a connection from its WebRTC stats (RTCPeerConnection.getStats, as a list): the
 * transport's selected candidate pair (else a nominated, succeeded pair) is relayed when either
 * of its candidates is a TURN relay candidate.
 */
export function routeOfStats(reports: readonly Record<string, unknown>[]): LinkRoute | undefined {
  const byId = new Map(reports.map((r) => [r.id, r]));
  const selectedId = reports.find((r) => r.type === 'transport')?.selectedCandidatePairId;
  const pair =
    byId.get(selectedId) ??
    reports.find(
      (r) =>
        r.type === 'candidate-pair' &&
        (r.selected === true || (r.nominated === true && r.state === 'succeeded')),
    );
  if (!pair) return undefined;
  const local = byId.get(pair.localCandidateId);
  const remote = byId.get(pair.remoteCandidateId);
  if (!local || !remote) return undefined;
  return local.candidateType === 'relay' || remote.candidateType === 'relay' ? 'relayed' : 'direct';
}
