/**
 * The node's settings: what a page URL asks for (`?network=`, `&pow=`, ICE servers, `&anon=1`,
 * `&compact=0`) and the chain parameters they select.
 */
import {
  MAX_POW_BITS,
  MIN_POW_BITS,
  NETWORKS,
  regtestParams,
  type ChainParams,
  type NetworkName,
} from '../core/index.js';
import { iceConfigFromParams, keepAcceptedIceServers } from './net/ice-config.js';
import { browserRefusesIceServers } from './net/simple-peer-link.js';

export interface NodeConfig {
  network: NetworkName;
  /** Tracker origin (the page's own by default). */
  trackerUrl: string;
  /** STUN/TURN servers; none needed between tabs of one machine. */
  iceServers: RTCIceServer[];
  /** ICE settings that were dropped, and why (shown to the user at start). */
  iceProblems: string[];
  /** `&anon=1`: the status this node sends carries no name (the classroom view hides it). */
  anonymous?: boolean;
  /** `&pow=N` on regtest: a network of its own needing N leading zero bits (regtestParams). */
  powBits?: number;
  /** `&compact=0`: no compact block relay (whole blocks only, as a version-1 node gets). */
  compactBlocks?: boolean;
  /**
   * Introductions over BroadcastChannel to this browser's other tabs (default on). Off for an
   * attack-lab tab (`&lab=1`): it plays a stranger on another machine, so it links only through
   * the tracker (and peers), and its bans and origin throttles are a remote attacker's.
   */
  sameBrowserIntroductions?: boolean;
}

/** The chain parameters of `config`: a raised-difficulty regtest has its own (and its own store). */
export function paramsFor(config: Pick<NodeConfig, 'network' | 'powBits'>): {
  params: ChainParams;
  storeName: string;
} {
  if (config.powBits === undefined) {
    return { params: NETWORKS[config.network], storeName: config.network };
  }
  return { params: regtestParams(config.powBits), storeName: `regtest-pow${config.powBits}` };
}

/**
 * Node settings from the page URL: `?network=regtest`, and ICE servers (`&stun=`, `&turn=` with
 * `&turnUser=`/`&turnPass=`, `&ice=` JSON; net/ice-config.ts). ICE servers the browser would
 * refuse are dropped with a problem each, so they never stop links that do not need them.
 */
export function configFromLocation(location: Location): NodeConfig {
  const params = new URLSearchParams(location.search);
  const network = (params.get('network') ?? 'main') as NetworkName;
  if (!(network in NETWORKS)) throw new Error(`unknown network "${network}" (main or regtest)`);
  const pow = params.get('pow');
  if (pow !== null && network !== 'regtest') throw new Error('pow= needs network=regtest');
  const powBits = pow === null ? undefined : Number(pow);
  if (
    powBits !== undefined &&
    !(Number.isInteger(powBits) && powBits >= MIN_POW_BITS && powBits <= MAX_POW_BITS)
  ) {
    throw new Error(
      `pow=${pow}: the leading zero bits must be a whole number from ${MIN_POW_BITS} to ${MAX_POW_BITS}`,
    );
  }
  const ice = keepAcceptedIceServers(iceConfigFromParams(params), browserRefusesIceServers);
  return {
    powBits,
    network,
    trackerUrl: location.origin,
    iceServers: ice.servers,
    iceProblems: ice.problems,
    anonymous: params.get('anon') === '1',
    compactBlocks: params.get('compact') !== '0',
    sameBrowserIntroductions: params.get('lab') !== '1',
  };
}
