/**
 * How this tab's links travel (direct or through a TURN relay) and who introduced them (the
 * tracker, another tab of this browser, a peer), the WebRTC link attempts under
 * way, and the ones that failed (newest first, one per peer): which peer, who dialled, how far
 * it got, and the likely cause. Shown inside the peers panel.
 */
import { LitElement, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { stageWords } from '../net/link-attempt.js';
import type { IntroducerKind } from '../net/signaling.js';
import { NodeController } from './node-controller.js';
import { panelStyles } from './theme.js';

const INTRODUCER_WORDS: Record<IntroducerKind, string> = {
  tracker: 'the tracker',
  broadcast: 'another tab of this browser',
  peers: 'a peer (relayed signaling)',
};

/** "Introduced by the tracker: a, b; by another tab of this browser: c", or nothing. */
function introductionLine(introductions: { peer: string; via: IntroducerKind }[]) {
  if (introductions.length === 0) return null;
  const parts = (Object.keys(INTRODUCER_WORDS) as IntroducerKind[]).flatMap((kind) => {
    const peers = introductions.filter((i) => i.via === kind).map((i) => i.peer);
    return peers.length > 0 ? [`by ${INTRODUCER_WORDS[kind]}: ${peers.join(', ')}`] : [];
  });
  return html`<p aria-label="Link introductions">Introduced ${parts.join('; ')}</p>`;
}

@customElement('tc-link-attempts')
export class TcLinkAttempts extends LitElement {
  static override styles = [panelStyles];

  private readonly ctl = new NodeController(this, { events: ['links'] });

  override render() {
    const node = this.ctl.node;
    if (!node) return null;
    const { attempts, failures, routes, introductions } = node.mesh.status();
    const relayed = routes.filter((r) => r.route === 'relayed').map((r) => r.peer);
    const names = relayed.length > 0 ? `: ${relayed.join(', ')}` : '';
    const routeLine =
      routes.length === 0
        ? null
        : html`<p aria-label="Link routes">
            ${`${routes.length - relayed.length} direct, ${relayed.length} relayed through TURN${names}`}
          </p>`;
    const introLine = introductionLine(introductions);
    if (attempts.length === 0 && failures.length === 0) return html`${routeLine}${introLine}`;
    return html`
      ${routeLine}${introLine}
      <h3 id="attempts-heading">Link attempts</h3>
      <div class="scroll">
        <table aria-labelledby="attempts-heading">
          <thead>
            <tr>
              <th>Peer</th>
              <th>Stage</th>
              <th>Result</th>
              <th>Likely cause</th>
            </tr>
          </thead>
          <tbody>
            ${attempts.map(
              (a) =>
                html`<tr>
                  <td class="mono">${a.peer}</td>
                  <td>
                    ${stageWords(a.stage)} <span class="muted">${a.initiator ? 'out' : 'in'}</span>
                  </td>
                  <td>connecting…</td>
                  <td></td>
                </tr>`,
            )}
            ${failures.map(
              (f) =>
                html`<tr class="failed">
                  <td class="mono">${f.peer}</td>
                  <td>
                    ${stageWords(f.stage)} <span class="muted">${f.initiator ? 'out' : 'in'}</span>
                  </td>
                  <td class="bad">
                    ${f.outcome === 'timed-out' ? 'timed out' : 'failed'}
                    <span class="muted">${new Date(f.at).toLocaleTimeString()}</span>
                  </td>
                  <td>${f.cause}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tc-link-attempts': TcLinkAttempts;
  }
}
