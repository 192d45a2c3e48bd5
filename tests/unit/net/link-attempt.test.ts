/** Reading ICE candidates out of signals, and the words a failed attempt is explained with. */
import { describe, expect, it } from 'vitest';
import {
  candidateType,
  countCandidates,
  explainFailure,
  noCandidates,
  routeOfStats,
  type AttemptProgress,
} from '../../../client/net/link-attempt.js';

const progress = (change: Partial<AttemptProgress>): AttemptProgress => ({
  stage: 'ice-checking',
  local: noCandidates(),
  remote: noCandidates(),
  ...change,
});

describe('candidates', () => {
  it('reads the type of trickled candidates and of candidates inside an SDP', () => {
    expect(
      candidateType('candidate:1 1 udp 2122260223 9b1c.local 50514 typ host generation 0'),
    ).toBe('host');
    expect(candidateType('candidate:2 1 udp 8331 192.0.2.7 61000 typ relay raddr 0.0.0.0')).toBe(
      'relay',
    );
    expect(candidateType('typ hostile')).toBeUndefined();
    expect(candidateType(42)).toBeUndefined();
    const counts = noCandidates();
    countCandidates(
      { type: 'candidate', candidate: { candidate: 'candidate:1 1 udp 1 a.local 1 typ host' } },
      counts,
    );
    countCandidates(
      {
        type: 'offer',
        sdp: 'v=0\r\na=candidate:3 1 udp 1 198.51.100.1 9 typ srflx raddr 10.0.0.2 rport 9\r\na=candidate:4 1 udp 1 192.0.2.7 9 typ relay\r\n',
      },
      counts,
    );
    countCandidates({ type: 'candidate', candidate: { candidate: '' } }, counts); // end of candidates
    expect(counts).toEqual({ host: 1, srflx: 1, prflx: 0, relay: 1 });
  });
});

describe('explainFailure', () => {
  it('says TURN is needed when only direct addresses were tried', () => {
    const cause = explainFailure(
      progress({ local: { ...noCandidates(), host: 2 }, remote: { ...noCandidates(), srflx: 1 } }),
      'timed-out',
    );
    expect(cause).toBe(
      'no route between the hosts: none of the addresses answered (ours: 2 host; theirs: 1 srflx); on different networks, a Wi-Fi that isolates clients, or one that drops multicast (which hides host addresses behind mDNS names), a TURN server is needed',
    );
  });

  it('blames the TURN server when relay addresses were tried too', () => {
    const cause = explainFailure(
      progress({
        stage: 'ice-failed',
        local: { ...noCandidates(), host: 1, relay: 1 },
        remote: { ...noCandidates(), host: 1 },
      }),
      'failed',
    );
    expect(cause).toMatch(/even through the TURN relay.*refused the credentials/);
  });

  it('names the TURN server that refused or gave no relay address', () => {
    const direct = {
      local: { ...noCandidates(), host: 1 },
      remote: { ...noCandidates(), host: 1 },
    };
    expect(
      explainFailure(
        progress({
          ...direct,
          turn: true,
          serverErrors: [
            'stun:s:3478 701 STUN host lookup received error.',
            'turn:t:3478 401 Unauthorized',
          ],
        }),
        'timed-out',
      ),
    ).toBe(
      'the TURN server gave no relay address (turn:t:3478 401 Unauthorized): unreachable, or it refused the credentials',
    );
    expect(explainFailure(progress({ ...direct, turn: true }), 'timed-out')).toBe(
      'no route between the hosts (ours: 1 host; theirs: 1 host), and the configured TURN server gave no relay address',
    );
  });

  it('names missing addresses, refusals, silence and early closes', () => {
    expect(explainFailure(progress({}), 'timed-out')).toMatch(/gathered no network addresses/);
    expect(explainFailure(progress({ local: { ...noCandidates(), host: 1 } }), 'timed-out')).toBe(
      'the peer sent no network addresses',
    );
    expect(explainFailure(progress({ stage: 'signaling' }), 'timed-out')).toMatch(
      /never answered through the tracker/,
    );
    expect(explainFailure(progress({ stage: 'signaling' }), 'timed-out', 'a peer')).toMatch(
      /^the peer never answered through a peer \(/,
    );
    expect(explainFailure(progress({ stage: 'refused', error: 'Malformed URL' }), 'failed')).toBe(
      'refused: the browser would not create the connection (Malformed URL)',
    );
    expect(explainFailure(progress({ stage: 'closed' }), 'failed')).toMatch(
      /closed the connection/,
    );
    expect(explainFailure(progress({ stage: 'data-channel' }), 'timed-out')).toMatch(
      /data channel never opened/,
    );
  });
});

describe('routeOfStats', () => {
  /** The reports Chromium gives for a connected pair, `local` and `remote` candidate types. */
  const stats = (local: string, remote: string, selected = true) => [
    { id: 'T01', type: 'transport', selectedCandidatePairId: selected ? 'CP2' : undefined },
    { id: 'CP1', type: 'candidate-pair', localCandidateId: 'L1', remoteCandidateId: 'R1' },
    {
      id: 'CP2',
      type: 'candidate-pair',
      localCandidateId: 'L2',
      remoteCandidateId: 'R2',
      nominated: true,
      state: 'succeeded',
    },
    { id: 'L1', type: 'local-candidate', candidateType: 'relay' },
    { id: 'R1', type: 'remote-candidate', candidateType: 'relay' },
    { id: 'L2', type: 'local-candidate', candidateType: local },
    { id: 'R2', type: 'remote-candidate', candidateType: remote },
  ];

  it("follows the transport's selected pair to its candidates", () => {
    expect(routeOfStats(stats('host', 'host'))).toBe('direct');
    expect(routeOfStats(stats('srflx', 'prflx'))).toBe('direct');
    expect(routeOfStats(stats('relay', 'host'))).toBe('relayed');
    expect(routeOfStats(stats('host', 'relay'))).toBe('relayed');
  });

  it('falls back to the nominated, succeeded pair; unknown without one', () => {
    expect(routeOfStats(stats('relay', 'srflx', false))).toBe('relayed');
    expect(routeOfStats([{ id: 'T01', type: 'transport' }])).toBeUndefined();
    expect(routeOfStats([])).toBeUndefined();
  });
});
